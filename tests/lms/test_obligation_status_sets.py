"""Obligation status over a whole database (set-based: a few queries for every obligation) gives what asking one
obligation at a time gives, on a database that starts empty and is filled the way a vendor fills it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from lms.calendars.workdays import ChinaCalendar
from lms.catalog.service import import_paths
from lms.models import (
    Attachment,
    Attempt,
    Attendance,
    Certificate,
    Milestone,
    Obligation,
    Organisation,
    Person,
    Project,
    RosterEntry,
    SessionDay,
    TrainingSession,
)
from lms.projects.obligations import obligation_status, portfolio_status
from lms.projects.session_facts import load_session_facts, serving_sessions
from lms.scheduling.overview import attention_periods
from lms.scheduling.sessions import create_session
from tests.conftest import LIBRARY

D = dt.date
ACCEPTED = D(2026, 3, 2)  # a Monday with no holiday near
TODAY = D(2026, 3, 20)
COURSE = LIBRARY / "solar-hot-water.yaml"


def statuses(session: Session, calendar: ChinaCalendar) -> dict[tuple[str, str], str]:
    return {(p.obligation, p.period): p.status.value for p in portfolio_status(session, calendar, TODAY)}


def build(session: Session, pm: Any) -> dict[str, Any]:
    (version, _created), *_ = import_paths(session, pm, [COURSE])
    vendor = Organisation(code="V", kind="vendor", name_zh="厂家", name_en="Vendor")
    buyer = Organisation(code="B", kind="buyer", name_zh="医院", name_en="Hospital")
    session.add_all([vendor, buyer])
    session.flush()
    project = Project(code="P1", name_zh="P1", name_en="P1", buyer_id=buyer.id, site="现场", city="杭州")
    session.add(project)
    session.flush()
    session.add(Milestone(project_id=project.id, kind="acceptance", actual_date=ACCEPTED))
    plain = Person(code="T1", kind="trainer", name="张老师", organisation_id=vendor.id)
    lead = Person(code="T2", kind="trainer", name="李工", organisation_id=vendor.id, is_technical_lead=True)
    trainees = [Person(code=f"B{n}", kind="buyer_staff", name=f"学员{n}", organisation_id=buyer.id) for n in range(6)]
    session.add_all([plain, lead, *trainees])
    session.flush()
    return {"version": version, "project": project, "plain": plain, "lead": lead, "trainees": trainees}


def duty(
    session: Session, things: dict[str, Any], code: str, project: Project | None = None, **fields: Any
) -> Obligation:
    values: dict[str, Any] = {"anchor": "acceptance", "offset_days": 2, "mode": "centralised", "min_days": 1}
    owner = project or things["project"]
    made = Obligation(project_id=owner.id, code=code, clause_text=code, **(values | fields))
    session.add(made)
    session.flush()
    return made


def serve(
    session: Session,
    things: dict[str, Any],
    obligation: Obligation,
    days: list[dt.date],
    *,
    status: str,
    present: int = 0,
    rostered: int = 0,
    lead: bool = False,
    code: str | None = None,
) -> TrainingSession:
    """A session for ``obligation``; ``present`` of the roster came on every day."""
    training = create_session(
        session, course_version=things["version"], days=days, mode="centralised", place="现场", city="杭州",
        trainers=[(things["lead" if lead else "plain"], "lead")], project_id=obligation.project_id,
        obligation_id=obligation.id, status=status, code=code,
    )  # fmt: skip
    people = things["trainees"][: max(present, rostered)]
    session.add_all(RosterEntry(session_id=training.id, person_id=p.id) for p in people)
    for day in session.exec(select(SessionDay).where(SessionDay.session_id == training.id)):
        session.add_all(Attendance(session_day_id=day.id, person_id=p.id) for p in people[:present])
    session.flush()
    return training


def test_statuses_over_the_database_match_one_obligation_at_a_time(session: Session, pm: Any) -> None:
    calendar = ChinaCalendar()
    assert statuses(session, calendar) == {}  # empty, as a vendor starts
    things = build(session, pm)
    assert statuses(session, calendar) == {}  # a project without duties yet

    met = duty(session, things, "OB-MET", min_trainees=3)
    scanned = serve(session, things, met, [D(2026, 3, 3)], status="held", present=4)
    session.add(
        Attachment(
            kind="signin_scan", session_id=scanned.id, session_day=D(2026, 3, 3), original_name="a.pdf",
            media_type="application/pdf", sha256="0" * 64, size=1,
        )
    )  # fmt: skip
    unscanned = duty(session, things, "OB-SCAN", min_trainees=3)
    serve(session, things, unscanned, [D(2026, 3, 3), D(2026, 3, 4)], status="held", present=3)
    short = duty(session, things, "OB-SHORT", min_trainees=5)
    serve(session, things, short, [D(2026, 3, 3)], status="held", present=4)
    mix = duty(session, things, "OB-MIX", required_trainer_roles=["technical_lead"])
    serve(session, things, mix, [D(2026, 3, 4)], status="held", present=2)
    assessed = duty(session, things, "OB-ASSESS", assessment_required=True, certificate_required=True)
    exam = serve(session, things, assessed, [D(2026, 3, 4)], status="held", present=3, lead=True)
    first, second, third = things["trainees"][:3]
    version_id = things["version"].id
    session.add_all(
        Attempt(person_id=p.id, course_version_id=version_id, session_id=exam.id, status="graded", passed=True)
        for p in (first, second)
    )
    session.add(
        Certificate(
            serial="C-1", family="C", person_id=first.id, course_version_id=things["version"].id,
            session_id=exam.id, issued_on=D(2026, 3, 5),
        )
    )  # fmt: skip
    duty(session, things, "OB-LATE")  # no session, window closed
    duty(session, things, "OB-RISK", offset_days=14)  # closes within 5 working days, nothing planned
    planned = duty(session, things, "OB-PLAN", offset_days=30, min_trainees=3)
    serve(session, things, planned, [D(2026, 4, 1)], status="confirmed", rostered=3)
    thin = duty(session, things, "OB-THIN", offset_days=30, min_trainees=5)
    serve(session, things, thin, [D(2026, 4, 2)], status="planned", rostered=2)
    duty(session, things, "OB-WAIT", anchor="delivery")  # no delivery date yet
    seasons = duty(session, things, "OB-SEASON", offset_days=0, cadence="spring_autumn", min_days=0)
    serve(session, things, seasons, [D(2026, 4, 8)], status="planned", rostered=1)
    session.commit()

    found = statuses(session, calendar)
    assert {code: status for (code, period), status in found.items() if period in ("once", "spring_autumn")} == {
        "OB-MET": "met",
        "OB-SCAN": "met",
        "OB-SHORT": "partly_met",
        "OB-MIX": "partly_met",
        "OB-ASSESS": "partly_met",
        "OB-LATE": "overdue",
        "OB-RISK": "at_risk",
        "OB-PLAN": "planned",
        "OB-THIN": "at_risk",
        "OB-WAIT": "waiting",
    }
    assert found[("OB-SEASON", "2026-spring")] == "planned"
    assert found[("OB-SEASON", "2026-autumn")] == "planned"
    every = {(p.obligation, p.period): p for p in portfolio_status(session, calendar, TODAY)}
    assert "met by" in every[("OB-MET", "once")].reason and not every[("OB-MET", "once")].scans_missing
    assert every[("OB-SCAN", "once")].scans_missing == [D(2026, 3, 3), D(2026, 3, 4)]
    assert "no technical lead" in every[("OB-MIX", "once")].reason
    assessed_reason = every[("OB-ASSESS", "once")].reason
    assert "1 trainees present but not assessed" in assessed_reason
    assert "1 trainees passed but hold no certificate" in assessed_reason
    assert "4 trainees present" in every[("OB-SHORT", "once")].reason

    # The same answers, to the letter, when each obligation is asked on its own (its own few queries).
    for obligation in session.exec(select(Obligation)):
        alone = [p.as_dict() for p in obligation_status(session, obligation, calendar, TODAY)]
        assert alone == [p.as_dict() for key, p in every.items() if key[0] == obligation.code]
    assert_dashboard_lists_what_obligations_say(session, calendar)


def assert_dashboard_lists_what_obligations_say(session: Session, calendar: ChinaCalendar) -> None:
    """The dashboard's two parts (quick current, slow settled) list exactly the periods not met that open within
    its 120 days, each as ``obligation_status`` of its obligation alone gives it: status, reason, sessions."""
    shown = attention_periods(session, calendar, TODAY) + attention_periods(session, calendar, TODAY, settled=True)
    horizon = TODAY + dt.timedelta(days=120)
    alone = [
        period.as_dict()
        for obligation in session.exec(select(Obligation))
        for period in obligation_status(session, obligation, calendar, TODAY)
        if period.status != "met" and (period.window_start is None or period.window_start <= horizon)
    ]
    assert shown and sorted(map(repr, shown)) == sorted(map(repr, alone))


def test_the_dashboard_reads_years_of_settled_periods_as_each_obligation_does(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    calendar = ChinaCalendar()
    assert attention_periods(session, calendar, TODAY, settled=True) == []  # empty, as a vendor starts
    things = build(session, pm)
    older = Project(code="P0", name_zh="P0", name_en="P0", buyer_id=things["project"].buyer_id, site="现场",
                    city="杭州", warranty_months=24)  # fmt: skip
    session.add(older)
    session.flush()
    session.add(Milestone(project_id=older.id, kind="acceptance", actual_date=D(2024, 3, 4)))
    seasons = duty(session, things, "OB-SEASONS", older, offset_days=0, cadence="spring_autumn", min_trainees=2)
    serve(session, things, seasons, [D(2024, 4, 10)], status="held", present=3)  # met
    serve(session, things, seasons, [D(2024, 9, 11), D(2024, 9, 12)], status="held", present=1, code="S-Z")  # few
    # the same day, as short of trainees, made later but first by code: the one made first is named, everywhere
    serve(session, things, seasons, [D(2024, 9, 11)], status="held", present=1, code="S-A")
    serve(session, things, seasons, [D(2025, 3, 12)], status="cancelled", present=0, rostered=4)
    serve(session, things, seasons, [D(2025, 9, 10)], status="closed", present=2)  # met, closed
    mixed = duty(session, things, "OB-LEAD", older, required_trainer_roles=["technical_lead"], min_trainees=1)
    serve(session, things, mixed, [D(2024, 3, 5)], status="held", present=2)  # no technical lead
    serve(session, things, mixed, [D(2024, 3, 6)], status="planned", rostered=2, lead=True)  # never held
    lenient = tmp_path / "lenient.yaml"  # the course asks for half the days: the facts read it from the spec
    lenient.write_text(COURSE.read_text(encoding="utf-8") + "\nattendance:\n  min_share: 0.5\n", encoding="utf-8")
    (things["version"], _created), *_ = import_paths(session, pm, [lenient])
    exams = duty(session, things, "OB-EXAM", older, assessment_required=True, certificate_required=True)
    exam = serve(session, things, exams, [D(2024, 3, 5), D(2024, 3, 6)], status="held", present=3, lead=True)
    first, second = things["trainees"][:2]
    session.add_all(
        Attempt(person_id=p.id, course_version_id=things["version"].id, session_id=exam.id, status="graded",
                passed=True)
        for p in (first, second)
    )  # fmt: skip
    session.add(
        Certificate(
            serial="C-9", family="C", person_id=first.id, course_version_id=things["version"].id,
            session_id=exam.id, issued_on=D(2024, 3, 8),
        )
    )  # fmt: skip
    duty(session, things, "OB-NEVER", older)  # no session in two years: overdue
    recent = duty(session, things, "OB-RECENT", offset_days=30, min_trainees=2)
    serve(session, things, recent, [D(2026, 3, 30)], status="planned", rostered=1)
    session.commit()

    settled = {(p["obligation"], p["period"]): p for p in attention_periods(session, calendar, TODAY, settled=True)}
    assert {key: p["status"] for key, p in settled.items()} == {
        ("OB-SEASONS", "2024-autumn"): "partly_met",
        ("OB-SEASONS", "2025-spring"): "overdue",
        ("OB-LEAD", "once"): "partly_met",
        ("OB-EXAM", "once"): "partly_met",
        ("OB-NEVER", "once"): "overdue",
    }
    assert settled[("OB-SEASONS", "2024-autumn")]["reason"].startswith("S-Z was held but: 1 trainees present, the")
    assert "no technical lead" in settled[("OB-LEAD", "once")]["reason"]
    assert "1 trainees passed but hold no certificate" in settled[("OB-EXAM", "once")]["reason"]
    assert "1 trainees present but not assessed" in settled[("OB-EXAM", "once")]["reason"]
    # A session's trainees are read when a check first asks, the same whichever sessions were expected to be asked.
    every = [t for trainings in serving_sessions(session, [seasons.id or 0, exams.id or 0]).values() for t in trainings]
    present = {p.id for p in things["trainees"][:3]}
    for expected in (None, [], [exam.id or 0]):
        facts = load_session_facts(session, every, expected)
        assert facts[exam.id or 0].attended == present and facts[exam.id or 0].people.certified == {first.id}
        assert facts[exam.id or 0].attendance_share == 0.5
    current = {(p["obligation"], p["period"]) for p in attention_periods(session, calendar, TODAY)}
    assert ("OB-SEASONS", "2026-spring") in current and ("OB-RECENT", "once") in current
    assert_dashboard_lists_what_obligations_say(session, calendar)
