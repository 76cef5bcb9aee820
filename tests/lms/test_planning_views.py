"""The data behind the planning screens: calendar weeks and months, trainers' load, the dashboard's obligations in
two parts, paged session lists, and session drafts tried against the schedule without being kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, func, select

from lms.calendars.workdays import ChinaCalendar
from lms.db import make_engine
from lms.models import TrainingSession
from lms.scheduling.calendar_view import DayKind, LaneKind, Span, calendar_view, day_kind, span_of, step
from lms.scheduling.overview import attention_periods, dashboard_data, project_detail
from lms.scheduling.session_forms import SessionDraft, check_draft, draft_days, draft_of, validate
from lms.scheduling.session_pages import session_page
from lms.scheduling.trainers import skill_state, trainer_overview
from tests.conftest import DEMO_TODAY

CALENDAR = ChinaCalendar()


@pytest.fixture
def demo(demo_database: str) -> Iterator[Session]:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_day_kinds_know_holidays_and_make_up_days() -> None:
    assert day_kind(CALENDAR, dt.date(2026, 10, 1)) == DayKind.holiday
    assert day_kind(CALENDAR, dt.date(2026, 10, 10)) == DayKind.makeup  # a Saturday worked for National Day
    assert day_kind(CALENDAR, dt.date(2026, 10, 11)) == DayKind.weekend
    assert day_kind(CALENDAR, dt.date(2026, 10, 12)) == DayKind.working
    assert day_kind(CALENDAR, dt.date(2031, 1, 6)) == DayKind.unknown


def test_spans_and_steps() -> None:
    assert span_of(dt.date(2026, 11, 20), Span.week) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert span_of(dt.date(2026, 2, 10), Span.month) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert step(dt.date(2026, 1, 31), Span.month, 1) == dt.date(2026, 2, 28)
    assert step(dt.date(2026, 1, 5), Span.month, -1) == dt.date(2025, 12, 5)


def test_calendar_lanes_hold_multi_day_sessions_day_by_day(demo: Session) -> None:
    view = calendar_view(demo, CALENDAR, anchor=dt.date(2026, 11, 24), span=Span.week, lanes_by=LaneKind.trainer)
    lead = next(lane for lane in view.lanes if lane.key == "E001")
    monday = {entry.code: entry for entry in lead.days[dt.date(2026, 11, 23)]}
    assert set(monday) == {"S-JTXQ20", "S-RC4838"}  # the double booking the demo carries
    assert (monday["S-RC4838"].index, monday["S-RC4838"].length) == (1, 2)
    rooms = calendar_view(demo, CALENDAR, anchor=dt.date(2026, 9, 15), span=Span.month, lanes_by=LaneKind.room)
    assert any(lane.days for lane in rooms.lanes if lane.key == "HZ-TC-LAB")


def test_trainer_overview_has_skills_and_load(demo: Session) -> None:
    trainers = {t.code: t for t in trainer_overview(demo, today=DEMO_TODAY)}
    lead = trainers["E001"]
    assert lead.technical_lead and lead.sessions_ahead == 3 and lead.days_ahead >= 5
    assert any(skill.state == "expiring" for skill in trainers["E002"].skills)  # lapses next month
    assert trainers["M001"].manufacturer
    assert skill_state(DEMO_TODAY, None, DEMO_TODAY) == "valid"
    assert skill_state(DEMO_TODAY, DEMO_TODAY - dt.timedelta(days=1), DEMO_TODAY) == "expired"


def test_attention_periods_in_two_parts_are_the_dashboards_list(demo: Session) -> None:
    current = attention_periods(demo, CALENDAR, DEMO_TODAY)
    settled = attention_periods(demo, CALENDAR, DEMO_TODAY, settled=True)
    everything = dashboard_data(demo, CALENDAR, DEMO_TODAY)["obligations"]
    key = sorted
    assert key(map(repr, current + settled)) == key(map(repr, everything))
    assert all(p["window_end"] is None or p["window_end"] >= DEMO_TODAY - dt.timedelta(days=30) for p in current)


def test_session_page_filters_and_pages_in_sql(demo: Session) -> None:
    rows, total = session_page(demo, today=DEMO_TODAY)
    assert total == len(rows) == demo.exec(select(func.count()).select_from(TrainingSession)).one()
    upcoming = [r for r in rows if r["last_day"] >= DEMO_TODAY]
    assert rows[: len(upcoming)] == sorted(upcoming, key=lambda r: r["first_day"])  # coming ones first
    rows, total = session_page(demo, today=DEMO_TODAY, text="REC", offset=1, limit=1)
    assert total == 2 and len(rows) == 1 and "REC" in rows[0]["course"]


def test_project_detail_lists_displaced_sessions(demo: Session) -> None:
    detail = project_detail(demo, CALENDAR, DEMO_TODAY, "P2026-NJ-REC2")
    assert [d["session"] for d in detail["displaced"]] == ["S-RC4838"]
    assert detail["periods"][0]["clause_ref"] and detail["milestones"][2]["kind"] == "acceptance"


def test_a_draft_is_checked_and_rolled_back(demo: Session) -> None:
    before = demo.exec(select(func.count()).select_from(TrainingSession)).one()
    draft = SessionDraft(
        course="REC-CLS", project="P2026-NJ-REC2", obligation="OB-1", place="现场", city="南京",
        first_day="2026-11-23", day_count="2", trainers=["E001"],
    )  # fmt: skip
    check = check_draft(demo, CALENDAR, DEMO_TODAY, draft)
    assert not check.problems and check.days == [dt.date(2026, 11, 23), dt.date(2026, 11, 24)]
    assert {c.kind for c in check.conflicts} >= {"trainer_double_booked", "outside_window"}
    assert demo.exec(select(func.count()).select_from(TrainingSession)).one() == before


def test_draft_problems_are_per_field() -> None:
    problems = validate(CALENDAR, SessionDraft(first_day="23.11.2026", day_count="0"), new=True).problems
    assert set(problems) == {"course", "place", "city", "trainers", "day_count", "first_day"}
    # National Day: October 1–7 off, so the second day is the 8th.
    assert draft_days(CALENDAR, dt.date(2026, 9, 30), 2) == [dt.date(2026, 9, 30), dt.date(2026, 10, 8)]


def test_an_existing_session_as_a_draft(demo: Session) -> None:
    draft = draft_of(demo, "S-WEQB30")
    assert draft.course == "SEC-AC" and draft.day_count == "2" and draft.trainers[0] == "E002"


def test_the_session_filter_takes_percent_and_underscore_literally(demo: Session) -> None:
    first, second = demo.exec(select(TrainingSession).order_by(col(TrainingSession.id)).limit(2)).all()
    first.place, second.place = "A栋_3楼", "B栋 100%"
    demo.flush()  # not committed: the session closes with a rollback
    for typed, expected in (("_", first.code), ("%", second.code), ("_3", first.code), ("0%", second.code)):
        rows, total = session_page(demo, today=DEMO_TODAY, text=typed)
        assert (total, [row["code"] for row in rows]) == (1, [expected])
    assert session_page(demo, today=DEMO_TODAY, text="\\")[1] == 0
