"""A milestone moves: the auto-scheduler moves the session that serves the duty (roster kept, trainers re-checked),
adds none beside it, and the calendars carry the update (higher SEQUENCE) and a CANCEL for the trainer taken off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from sqlmodel import Session, select

from lms.calendars.ical import IcsMethod, Selection, export_ics
from lms.calendars.workdays import ChinaCalendar
from lms.config import settings
from lms.models import CalendarCancellation, Organisation, Person, RosterEntry, SkillRecord, TrainingSession
from lms.projects.projects_file import set_milestone_date
from lms.scheduling.auto.planner import apply_plan, plan_schedule
from lms.scheduling.sessions import add_to_roster, create_session, set_trainers
from tests.lms.test_autoschedule import ACCEPTED, TODAY, duty, trainer, world

D = dt.date


@pytest.fixture
def organizer(tmp_path: Path) -> None:
    (tmp_path / "no-config.yaml").write_text("branding:\n  organizer_email: training@vendor.cn\n", encoding="utf-8")
    settings.cache_clear()


def parsed(path: Path) -> tuple[Any, Any]:
    """The file through all three parsers; returns (icalendar's calendar, its one VEVENT)."""
    text = path.read_text(encoding="utf-8")
    assert len(IcsCalendarStream.calendar_from_ics(text).events) == 1
    assert vobject.readOne(text).vevent.uid.value
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_a_moved_acceptance_moves_the_session_and_cancels_the_trainer_taken_off(
    session: Session, pm: Any, tmp_path: Path, organizer: None
) -> None:
    things = world(session, pm)
    stays, leaves = trainer(session, things, "T1"), trainer(session, things, "T2", qualified=False)
    for skill_id in things["skills"]:  # T2's skills lapse before the new window
        session.add(
            SkillRecord(person_id=leaves.id, skill_id=skill_id, valid_from=D(2026, 1, 1), valid_until=D(2026, 3, 20))
        )
    stays.email, leaves.email = "t1@vendor.cn", "t2@vendor.cn"
    obligation = duty(session, things, "OB-1", offset_days=3)  # window: 10–12 March
    buyer = session.exec(select(Organisation).where(Organisation.kind == "buyer")).one()
    trainees = [Person(code=f"B{n}", kind="buyer_staff", name=f"学员{n}", organisation_id=buyer.id) for n in range(5)]
    session.add_all(trainees)
    served = create_session(
        session, course_version=things["version"], days=[D(2026, 3, 11)], mode="centralised", place="现场",
        city="杭州", trainers=[(leaves, "lead")], project_id=things["project"].id, obligation_id=obligation.id,
    )  # fmt: skip
    add_to_roster(session, served, trainees)
    session.commit()
    assert plan_schedule(session=session, calendar=ChinaCalendar(), today=TODAY, solver="greedy").proposals == []
    before = served.sequence

    set_milestone_date(
        session, project_code=things["project"].code, kind="acceptance", day=ACCEPTED + dt.timedelta(days=14)
    )
    plan = plan_schedule(session=session, calendar=ChinaCalendar(), today=TODAY, solver="greedy")
    [proposal] = plan.proposals
    assert proposal.moves == served.code and proposal.days == (D(2026, 3, 24),)
    assert [t.code for t in proposal.trainers] == ["T1"]  # T2's skills lapse on the 20th: re-checked, replaced
    changed = apply_plan(session=session, plan=plan, pm=pm)
    session.commit()

    assert [t.code for t in changed] == [served.code]
    sessions = session.exec(select(TrainingSession).where(TrainingSession.obligation_id == obligation.id)).all()
    assert [(s.code, s.first_day) for s in sessions] == [(served.code, D(2026, 3, 24))]  # moved, no duplicate
    assert len(session.exec(select(RosterEntry).where(RosterEntry.session_id == served.id)).all()) == 5
    assert served.sequence > before
    assert plan_schedule(session=session, calendar=ChinaCalendar(), today=TODAY, solver="greedy").proposals == []
    [cancelled] = session.exec(select(CalendarCancellation)).all()
    assert (cancelled.person_id, cancelled.sequence) == (leaves.id, served.sequence)

    update = export_ics(
        session, selection=Selection(trainer_code="T1"), output=tmp_path / "t1.ics", method=IcsMethod.request
    )
    calendar, event = parsed(update.files[0].path)
    assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == served.sequence
    assert event.decoded("DTSTART").date() == D(2026, 3, 24)
    withdrawn = export_ics(
        session, selection=Selection(trainer_code="T2"), output=tmp_path / "t2.ics", method=IcsMethod.request
    )
    calendar, event = parsed(withdrawn.files[0].path)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == served.uid and int(event["SEQUENCE"]) == served.sequence
    assert "t2@vendor.cn" in str(event["ATTENDEE"])


def test_a_trainer_removed_in_the_editor_gets_a_cancel(
    session: Session, pm: Any, tmp_path: Path, organizer: None
) -> None:
    things = world(session, pm)
    first, second = trainer(session, things, "T1"), trainer(session, things, "T2")
    training = create_session(
        session, course_version=things["version"], days=[D(2026, 3, 11)], mode="centralised", place="x", city="杭州",
        trainers=[(first, "lead"), (second, "assistant")],
    )  # fmt: skip
    set_trainers(session, training, [(first, "lead")])
    session.commit()
    result = export_ics(
        session, selection=Selection(trainer_code="T2"), output=tmp_path / "t2.ics", method=IcsMethod.publish
    )
    _calendar, event = parsed(result.files[0].path)
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == training.sequence


def test_no_proposal_starts_inside_the_lead_time(session: Session, pm: Any) -> None:
    things = world(session, pm)
    trainer(session, things, "T1")
    duty(session, things, "OB-1", offset_days=5)  # window 10–16 March
    today = D(2026, 3, 9)  # Monday: three working days on is Thursday the 12th
    plan = plan_schedule(session=session, calendar=ChinaCalendar(), today=today, solver="greedy")
    assert plan.proposals[0].days[0] == D(2026, 3, 12)
    sooner = plan_schedule(session=session, calendar=ChinaCalendar(), today=today, solver="greedy", lead_days=1)
    assert sooner.proposals[0].days[0] == D(2026, 3, 10)
