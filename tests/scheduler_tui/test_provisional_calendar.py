"""Planning into a year without its holiday notice: a session across New Year saves and is marked provisional."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.models import SessionDay, TrainingSession
from scheduler_tui.app import make_app
from scheduler_tui.screens.session_editor import SessionEditorScreen
from tests.scheduler_tui.conftest import rechecked, screen_text, settle, until
from tests.scheduler_tui.test_session_editor import set_value


async def test_a_session_from_new_years_eve_saves_and_is_marked_provisional(demo_copy: Engine, pm: Any) -> None:
    app = make_app(engine=demo_copy, pm=pm, today=dt.date(2026, 12, 7))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("n")
        await until(pilot, lambda: getattr(app.screen, "last_check", None) is not None)
        editor = app.screen
        assert isinstance(editor, SessionEditorScreen)
        set_value(editor, "course", "REC-CLS")
        set_value(editor, "project", "P2026-NJ-REC2")  # fills in its site: place and city
        await settle(pilot)
        set_value(editor, "first_day", "2026-12-31")
        set_value(editor, "day_count", "2")
        editor.query_one("#trainers").select("E001")
        await rechecked(pilot, editor)
        assert "first_day" not in editor.last_check.problems
        assert "01-04" in str(editor.query_one("#days").render())  # New Year's Day and the weekend skipped
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SessionEditorScreen), (editor.last_check.problems, screen_text(app))

        with Session(demo_copy) as session:
            created = session.exec(
                select(TrainingSession).where(TrainingSession.first_day == dt.date(2026, 12, 31))
            ).one()
            days = session.exec(select(SessionDay.day).where(SessionDay.session_id == created.id)).all()
        assert [day.isoformat() for day in days] == ["2026-12-31", "2027-01-04"]

        app.screen.query_one("#filter").value = created.code
        await settle(pilot, 0.5)
        assert created.code in screen_text(app) and "provisional calendar" in screen_text(app)


async def test_the_calendar_screen_imports_a_pasted_notice(demo_copy: Engine, pm: Any) -> None:
    from textual.widgets import Input, Static, TextArea

    from scheduler_tui.screens.notice_dialog import NoticeDialog
    from tests.lms.test_holiday_notices import NOTICES

    app = make_app(engine=demo_copy, pm=pm, today=dt.date(2026, 12, 7))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.action_show("calendar", anchor=dt.date(2027, 2, 8))
        await until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        before = app.workday_calendar()
        assert before.is_working_day(dt.date(2027, 2, 9))  # provisional: only the statutory days are off
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, NoticeDialog))
        dialog = app.screen
        dialog.query_one("#notice", TextArea).text = "一、元旦：1月1日放假。"
        await pilot.click("#check")
        await settle(pilot)
        assert app.screen is dialog, (app.screen, app.screen_stack)
        assert "does not say which year" in str(dialog.query_one("#problem", Static).render())

        dialog.query_one("#notice", TextArea).text = ""
        dialog.query_one("#path", Input).value = str(NOTICES / "2027-made-up.txt")
        await pilot.click("#ok")
        await until(pilot, lambda: "now official" in str(dialog.query_one("#problem", Static).render()))
        await pilot.click("#cancel")
        await settle(pilot)
        assert not isinstance(app.screen, NoticeDialog)
        assert not app.workday_calendar().is_working_day(dt.date(2027, 2, 9))  # the calendar was rebuilt
