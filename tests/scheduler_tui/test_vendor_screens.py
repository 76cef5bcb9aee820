"""The planning screens on a vendor's own database (built from empty with commands, see ``vendor_world``): the
sessions filter, a confirm override, the roster after ``g``, the attendance cursor across sessions, where the
calendar opens, the projects screen at 80×24 and the skills about to lapse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.i18n import in_language, set_language
from lms.models import Attendance, Person, SessionDay
from lms.scheduling.calendar_view import opening_day
from lms.scheduling.session_pages import session_page
from scheduler_tui.app import make_app
from scheduler_tui.screens.calendar import CalendarScreen
from scheduler_tui.screens.roster import RosterScreen
from scheduler_tui.screens.sessions import SessionsScreen
from tests.scheduler_tui.conftest import open_screen, screen_text, settle, until
from tests.scheduler_tui.vendor_world import TODAY


def codes(engine: Engine, text: str, language: str) -> list[str]:
    with Session(engine) as session, in_language(language):
        rows, _total = session_page(session, today=TODAY, text=text)
    return sorted(row["code"] for row in rows)


def test_the_filter_finds_sessions_by_status_label_and_trainer(vendor_copy: Engine) -> None:
    assert codes(vendor_copy, "计划中", "zh") == codes(vendor_copy, "planned", "en") == ["S-SHW-0", "S-SHW-3"]
    assert codes(vendor_copy, "已确认", "zh") == ["S-SHW-1", "S-SHW-2"]
    assert codes(vendor_copy, "planned", "zh") == ["S-SHW-0", "S-SHW-3"]  # the stored code works in any language
    assert codes(vendor_copy, "王强", "zh") == codes(vendor_copy, "wang qiang", "en") == ["S-SHW-0", "S-SHW-2"]
    assert codes(vendor_copy, "T-SUN", "en") == ["S-SHW-3"]


async def test_the_sessions_screen_filters_by_the_status_it_shows(vendor_copy: Engine, pm: Any) -> None:
    set_language("zh")
    app = make_app(engine=vendor_copy, pm=pm, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "4", SessionsScreen)
        await pilot.press("slash", *"计划中")
        await until(pilot, lambda: len(screen.picker.rows) == 1)
        assert screen.picker.rows[0]["code"] == "S-SHW-3"  # S-SHW-0 was held on Friday: 已举办 now
        screen.query_one("#filter").value = "王强"
        await until(pilot, lambda: [row["code"] for row in screen.picker.rows] == ["S-SHW-2", "S-SHW-0"])


async def test_the_sessions_screen_says_who_overrode_a_confirm_and_why(vendor_copy: Engine, pm: Any) -> None:
    app = make_app(engine=vendor_copy, pm=pm, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert "S-SHW-2" in screen_text(app) and "override" in screen_text(app)
        await pilot.press("down")  # S-SHW-1 (confirmed cleanly), then S-SHW-2
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert "S-SHW-2 confirmed despite open problems by " in status
        assert "采购人同意由王强带班，李工远程支持" in status


async def test_g_keeps_the_session_and_leaves_the_filter_as_typed(vendor_copy: Engine, pm: Any) -> None:
    app = make_app(engine=vendor_copy, pm=pm, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("down", "down")  # S-SHW-3
        await until(pilot, lambda: app.screen.sheet is not None and app.screen.sheet.code == "S-SHW-3")
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, RosterScreen) and app.screen.sheet is not None)
        screen = app.screen
        assert screen.query_one("#filter").value == ""
        assert screen.sheet.code == "S-SHW-3" and screen.picker.current["code"] == "S-SHW-3"
        assert len(screen.picker.rows) == 4  # every session still listed


def marks_on(engine: Engine, day: dt.date) -> dict[str, bool]:
    with Session(engine) as session:
        found = session.exec(
            select(Person.code, Attendance.present)
            .join(Attendance, Attendance.person_id == Person.id)  # type: ignore[arg-type]
            .join(SessionDay, SessionDay.id == Attendance.session_day_id)  # type: ignore[arg-type]
            .where(SessionDay.day == day)
        ).all()
    return dict(found)


async def test_the_attendance_cursor_goes_to_the_new_sessions_day(vendor_copy: Engine, pm: Any) -> None:
    """Wednesday 25 November: S-SHW-1's second day and S-SHW-2's first. The cursor follows today, not the column."""
    wednesday = dt.date(2026, 11, 25)
    app = make_app(engine=vendor_copy, pm=pm, today=wednesday)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await until(pilot, lambda: app.screen.sheet is not None)
        screen = app.screen
        sheet = screen.query_one("#sheet")
        assert screen.sheet.code == "S-SHW-1"
        sheet.move_cursor(column=4)  # 11-25, its second day
        await pilot.press("down")
        await until(pilot, lambda: screen.sheet is not None and screen.sheet.code == "S-SHW-2")
        assert sheet.cursor_coordinate.column == 3  # 11-25, its first day (not 11-26, its second)
        await pilot.press("enter", "space")
        await settle(pilot)
        assert marks_on(vendor_copy, wednesday) == {"B06": True}
        assert marks_on(vendor_copy, dt.date(2026, 11, 26)) == {}
        await pilot.press("right", "right")  # 11-27, S-SHW-2's last day
        screen.picker.table.focus()
        await pilot.press("up")
        await until(pilot, lambda: screen.sheet is not None and screen.sheet.code == "S-SHW-1")
        assert sheet.cursor_coordinate.column == 4  # today again


def test_the_calendar_opens_where_the_work_is(vendor_copy: Engine) -> None:
    with Session(vendor_copy) as session:
        assert opening_day(session, TODAY) == (dt.date(2026, 11, 24), "S-SHW-1")  # Sunday: the coming week
        assert opening_day(session, dt.date(2026, 11, 23)) == (dt.date(2026, 11, 23), None)  # this week has work
        assert opening_day(session, dt.date(2026, 11, 26)) == (dt.date(2026, 11, 26), None)  # S-SHW-2 runs
        assert opening_day(session, dt.date(2027, 3, 1)) == (dt.date(2027, 3, 1), None)  # nothing planned


async def test_the_calendar_opens_on_the_coming_week_and_marks_provisional_weeks(vendor_copy: Engine, pm: Any) -> None:
    app = make_app(engine=vendor_copy, pm=pm, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.view.first == dt.date(2026, 11, 23)
        assert screen.cursor_place()[0].key == "T-LI" and screen.cursor_place()[1] == dt.date(2026, 11, 24)
        title = str(screen.query_one("#period").render())
        assert "next session S-SHW-1" in title and "provisional" not in title
        app.action_show("calendar", anchor=dt.date(2027, 2, 22))
        await until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        assert "Week 2027-02-22 – 2027-02-28 · by trainer · provisional calendar" in str(
            app.screen.query_one("#period").render()
        )


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_project_shows_every_milestone_and_its_obligations(
    vendor_copy: Engine, pm: Any, size: tuple[int, int]
) -> None:
    app = make_app(engine=vendor_copy, pm=pm, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        text = screen_text(app)
        assert "acceptance    2026-11-20  2026-11-20" in text, text
        periods = app.screen.query_one("#periods")
        assert periods.size.height >= 6 and periods.row_count == 10


@pytest.mark.parametrize(("size", "skill"), [((80, 24), "SHW-MAINTAIN"), ((120, 36), "SHW-MAINTAIN Solar")])
async def test_lapsing_skills_show_their_code_in_full(vendor_copy: Engine, pm: Any, size: Any, skill: str) -> None:
    app = make_app(engine=vendor_copy, pm=pm, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("8")
        await until(pilot, lambda: getattr(app.screen, "matrix", None) is not None)
        line = next(line for line in screen_text(app).splitlines() if "12-31  39" in line)
        assert f"赵敏    {skill}" in line, line
