"""Auto-scheduling on small instances built for each rule, on the demo, and through ``lms schedule auto``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.calendars.workdays import ChinaCalendar
from lms.catalog.service import import_paths
from lms.models import (
    Course,
    CourseSkillGrant,
    Milestone,
    Obligation,
    Organisation,
    Person,
    Project,
    ProjectCourse,
    Room,
    SkillRecord,
    TrainerBusy,
)
from lms.scheduling.auto.planner import Plan, apply_plan, plan_schedule
from lms.scheduling.conflicts import find_conflicts
from lms.scheduling.sessions import create_session
from tests.conftest import DEMO_TODAY, LIBRARY

D = dt.date
TODAY = D(2026, 3, 2)  # a Monday; acceptance a week later, no holidays around
ACCEPTED = D(2026, 3, 9)
BAD_KINDS = {
    "trainer_double_booked",
    "room_double_booked",
    "trainer_unqualified",
    "non_working_day",
    "outside_window",
    "trainer_mix",
    "two_cities",
}
FAST = 2.0  # CP-SAT seconds in tests


def world(session: Session, pm: Any) -> dict[str, Any]:
    """One course, a vendor, a buyer, a manufacturer and project P1 in 杭州 accepted on ``ACCEPTED``."""
    (version, _created), *_ = import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
    orgs = {
        kind: Organisation(code=kind.upper(), kind=kind, name_zh=kind, name_en=kind)
        for kind in ("vendor", "buyer", "manufacturer")
    }
    session.add_all(orgs.values())
    session.flush()
    grants = session.exec(select(CourseSkillGrant).where(CourseSkillGrant.course_version_id == version.id)).all()
    assert grants
    things = {"version": version, "skills": [grant.skill_id for grant in grants], **orgs}
    things["project"] = project(session, things, "P1", ACCEPTED)
    return things


def project(session: Session, things: dict[str, Any], code: str, accepted: dt.date | None) -> Project:
    course = session.get(Course, things["version"].course_id)
    assert course is not None
    made = Project(code=code, name_zh=code, name_en=code, buyer_id=things["buyer"].id, site=f"{code} 现场", city="杭州")
    session.add(made)
    session.flush()
    session.add(ProjectCourse(project_id=made.id, course_id=course.id))
    session.add(Milestone(project_id=made.id, kind="acceptance", actual_date=accepted))
    session.flush()
    return made


def trainer(
    session: Session,
    things: dict[str, Any],
    code: str,
    *,
    city: str = "杭州",
    lead: bool = False,
    qualified: bool = True,
    maker: bool = False,
) -> Person:
    person = Person(
        code=code,
        kind="engineer" if maker else "trainer",
        name=f"老师{code}",
        organisation_id=things["manufacturer" if maker else "vendor"].id,
        home_city=city,
        is_technical_lead=lead,
    )
    session.add(person)
    session.flush()
    if qualified:
        for skill_id in things["skills"]:  # a trainer holds every skill the course grants
            session.add(SkillRecord(person_id=person.id, skill_id=skill_id, valid_from=D(2026, 1, 1)))
        session.flush()
    return person


def duty(
    session: Session, things: dict[str, Any], code: str, *, on: Project | None = None, **fields: Any
) -> Obligation:
    """A once-only clause: ``offset`` working days after acceptance (window from the day after)."""
    values: dict[str, Any] = {"offset_days": 1, "mode": "centralised", "min_days": 1} | fields
    made = Obligation(
        project_id=(on or things["project"]).id, code=code, clause_text=code, anchor="acceptance", **values
    )
    session.add(made)
    session.flush()
    return made


def plan(session: Session, solver: str = "cpsat", today: dt.date = TODAY) -> Plan:
    return plan_schedule(session=session, calendar=ChinaCalendar(), today=today, solver=solver, time_limit=FAST)


def bad_conflicts(session: Session, today: dt.date = TODAY) -> list[Any]:
    return [c for c in find_conflicts(session, ChinaCalendar(), today) if c.kind in BAD_KINDS]


def by_obligation(result: Plan) -> dict[str, Any]:
    return {p.obligation: p for p in result.proposals}


def test_every_feasible_deadline_met_without_conflicts(session: Session, pm: Any) -> None:
    things = world(session, pm)
    first = trainer(session, things, "T1")
    trainer(session, things, "T2", city="上海")
    session.add(Room(code="R1", name="杭州 101", organisation_id=things["vendor"].id, city="杭州", capacity=12))
    # T1 already teaches on the first day of every window; the plan must work around it.
    create_session(
        session, course_version=things["version"], days=[D(2026, 3, 10)], mode="centralised", place="x", city="杭州",
        trainers=[(first, "lead")],
    )  # fmt: skip
    duty(session, things, "OB-1", offset_days=2, min_days=2)
    duty(session, things, "OB-2", offset_days=3)
    duty(session, things, "OB-3", offset_days=3, place="training_centre", min_trainees=10)
    duty(session, things, "OB-4", offset_days=5, min_hours=8)  # 8 hours at six a day: two working days
    result = plan(session)
    assert not result.unplaced
    proposals = by_obligation(result)
    assert set(proposals) == {"OB-1", "OB-2", "OB-3", "OB-4"}
    assert proposals["OB-3"].room == "杭州 101" and len(proposals["OB-4"].days) == 2
    for proposal in proposals.values():
        assert proposal.window_start <= proposal.days[0] <= proposal.window_end
        assert proposal.reason
    apply_plan(session=session, plan=result, pm=pm)
    assert bad_conflicts(session) == []
    assert plan(session).proposals == []  # applied sessions serve their periods: nothing proposed twice


def test_busy_times_from_a_recurring_calendar_are_respected(session: Session, pm: Any, tmp_path: Path) -> None:
    from lms.calendars.ical_busy import import_busy

    things = world(session, pm)
    trainer(session, things, "T1")
    duty(session, things, "OB-1", offset_days=4)  # window 10–13 March
    ics = tmp_path / "t1.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;TZID=Asia/Shanghai:20260310T093000\r\nDTEND;TZID=Asia/Shanghai:20260310T113000\r\n"
        "RRULE:FREQ=DAILY;COUNT=2\r\nSUMMARY:audit\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:evening@test\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;TZID=Asia/Shanghai:20260312T183000\r\nDTEND;TZID=Asia/Shanghai:20260312T203000\r\n"
        "SUMMARY:dinner\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    import_busy(session, path=ics, trainer_code="T1", first=D(2026, 3, 1), last=D(2026, 3, 31))
    assert len(session.exec(select(TrainerBusy)).all()) == 3
    for solver in ("greedy", "cpsat"):
        assert plan(session, solver).proposals[0].days == (D(2026, 3, 12),)  # the evening does not count


def test_technical_lead_and_manufacturer_engineer_when_the_clause_asks(session: Session, pm: Any) -> None:
    things = world(session, pm)
    trainer(session, things, "T1")  # local and qualified, but not the technical lead
    trainer(session, things, "LEAD", city="南京", lead=True)
    trainer(session, things, "M1", city="上海", qualified=False, maker=True)
    duty(session, things, "OB-1", required_trainer_roles=["technical_lead", "manufacturer"])
    result = plan(session)
    [proposal] = result.proposals
    assert [(t.code, t.role) for t in proposal.trainers] == [("LEAD", "lead"), ("M1", "manufacturer")]
    assert "technical lead" in proposal.reason and "travels from 南京" in proposal.reason
    apply_plan(session=session, plan=result, pm=pm)
    assert bad_conflicts(session) == []


def test_what_cannot_be_placed_is_explained(session: Session, pm: Any) -> None:
    things = world(session, pm)
    trainer(session, things, "T1", qualified=False)
    trainer(session, things, "T2", lead=False)
    session.add(Room(code="R1", name="小教室", organisation_id=things["vendor"].id, city="杭州", capacity=8))
    duty(session, things, "OB-1", required_trainer_roles=["technical_lead"])
    duty(session, things, "OB-2", place="training_centre", min_trainees=20)
    duty(session, things, "OB-3", required_trainer_roles=["manufacturer"])
    weekend = project(session, things, "P2", D(2026, 3, 13))  # a Friday: two calendar days later is Sunday
    duty(session, things, "OB-4", on=weekend, offset_days=2, offset_unit="calendar")
    duty(session, things, "OB-5", on=project(session, things, "P0", D(2026, 1, 5)))
    duty(session, things, "OB-6", on=project(session, things, "P9", None))
    kinds = {(u.obligation, u.kind): u.reason for u in plan(session).unplaced}
    assert kinds[("OB-1", "no_qualified_trainer")] == "no technical lead holds a valid skill for SHW-OM"
    assert "seats 20" in kinds[("OB-2", "no_room")]
    assert ("OB-3", "no_manufacturer") in kinds
    assert kinds[("OB-5", "window_closed")].startswith("the window already closed on 2026-01-0")
    assert ("OB-6", "anchor_unknown") in kinds
    assert kinds[("OB-4", "window_too_short")].startswith("no 1 consecutive working days can start between")
    for record in session.exec(select(SkillRecord)).all():
        session.delete(record)
    session.flush()
    kinds = {(u.obligation, u.kind): u.reason for u in plan(session, "greedy").unplaced}
    assert kinds[("OB-2", "no_qualified_trainer")].startswith("nobody holds a valid skill for SHW-OM between")


def test_cpsat_places_what_greedy_starves(session: Session, pm: Any) -> None:
    """Earliest deadline first sends the local technical lead T1 to OB-A (due 10 March), then gives T3, the only
    lead left on the 11th, to OB-C; OB-B (due the 11th, a lead) is starved. CP-SAT sends T2 to OB-A instead."""
    things = world(session, pm)
    first = trainer(session, things, "T1", lead=True)
    trainer(session, things, "T2", city="上海")
    third = trainer(session, things, "T3", lead=True)
    create_session(
        session, course_version=things["version"], days=[D(2026, 3, 11)], mode="centralised", place="x", city="杭州",
        trainers=[(first, "lead")],
    )  # fmt: skip
    busy_from = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)  # 10:00–12:00 in Shanghai
    session.add(TrainerBusy(person_id=third.id, starts_at=busy_from, ends_at=busy_from + dt.timedelta(hours=2)))
    duty(session, things, "OB-A")  # 10 March: T1 or T2
    duty(
        session, things, "OB-B", offset_days=2, required_trainer_roles=["technical_lead"]
    )  # T1 on the 10th, T3 on the 11th
    duty(
        session,
        things,
        "OB-C",
        on=project(session, things, "P2", D(2026, 3, 10)),
        required_trainer_roles=["technical_lead"],
    )
    greedy, cpsat = plan(session, "greedy"), plan(session, "cpsat")
    assert [run.placed for run in greedy.runs] == [2]
    assert [run.placed for run in cpsat.runs] == [2, 3]
    assert cpsat.runs[1].placed_bound == 3 and cpsat.runs[1].objective < greedy.runs[0].objective
    assert [(u.obligation, u.kind) for u in greedy.unplaced] == [("OB-B", "capacity")] and not cpsat.unplaced
    assert {p.obligation: p.trainers[0].code for p in cpsat.proposals} == {"OB-A": "T2", "OB-B": "T1", "OB-C": "T3"}
    apply_plan(session=session, plan=cpsat, pm=pm)
    assert bad_conflicts(session) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cpsat_never_worse_than_greedy_on_crowded_instances(session: Session, pm: Any, seed: int) -> None:
    import random

    rng = random.Random(seed)
    things = world(session, pm)
    for n in range(3):
        trainer(session, things, f"T{n}", city=rng.choice(["杭州", "上海"]), lead=n == 0)
    for n in range(12):
        roles = ["technical_lead"] if rng.random() < 0.3 else None
        duty(
            session,
            things,
            f"OB-{n:02}",
            offset_days=rng.randint(1, 4),
            min_days=rng.randint(1, 2),
            required_trainer_roles=roles,
        )
    greedy, cpsat = plan(session, "greedy"), plan(session, "cpsat")
    assert cpsat.runs[-1].placed >= greedy.runs[0].placed
    assert cpsat.runs[-1].objective <= greedy.runs[0].objective
    apply_plan(session=session, plan=cpsat, pm=pm)
    assert bad_conflicts(session) == []


def test_a_large_model_keeps_the_earliest_starts(session: Session, pm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import lms.scheduling.auto.cpsat

    things = world(session, pm)
    for n in range(3):
        trainer(session, things, f"T{n}")
    for n in range(6):
        duty(session, things, f"OB-{n}", offset_days=15)
    monkeypatch.setattr(lms.scheduling.auto.cpsat, "MAX_LITERALS", 20)
    result = plan(session)
    assert result.runs[-1].placed == 6 and not result.unplaced
    apply_plan(session=session, plan=result, pm=pm)
    assert bad_conflicts(session) == []


def test_the_demo_gets_proposals_and_apply_creates_them(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    db = db_url
    assert cli("demo", "--as-of", DEMO_TODAY.isoformat(), db=db).code == 0
    args = ("schedule", "auto", "--as-of", DEMO_TODAY.isoformat(), "--time-limit", str(FAST))
    result = cli(*args, "--format", "json", db=db)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    placed = {(p["project"], p["obligation"], p["period"]) for p in data["proposals"]}
    assert ("P2026-NJ-REC2", "OB-1", "once") in placed  # its old plan fell outside the moved window
    assert ("P2026-SZ-SEC", "OB-2", "2026-Q4") in placed
    reasons = {(u["project"], u["kind"]) for u in data["unplaced"]}
    assert ("P2026-SZ-SEC2", "anchor_unknown") in reasons and ("P2025-HZ-SHW", "window_closed") in reasons
    assert [run["solver"] for run in data["solvers"]] == ["greedy", "cpsat"] and data["created"] == []
    text = cli(*args, db=db)
    assert text.code == 0 and "Proposed sessions" in text.out and "Not placed" in text.out
    assert "run again with --apply" in text.out
    applied = json.loads(cli(*args, "--apply", "--format", "json", db=db).out)
    created, moved = set(applied["created"]), set(applied["moved"])
    assert len(created) + len(moved) == len(applied["proposals"]) == len(data["proposals"])
    assert len(moved) == 1  # P2026-NJ-REC2's old session moves into the new window instead of a second beside it
    created |= moved
    conflicts = cli("schedule", "conflicts", "--as-of", DEMO_TODAY.isoformat(), "--format", "json", db=db)
    clashing = {c["kind"] for c in json.loads(conflicts.out) if created & set(c["sessions"])}
    assert not clashing & BAD_KINDS
    again = json.loads(cli(*args, "--solver", "greedy", "--format", "json", db=db).out)
    assert again["proposals"] == []
    missing = cli("schedule", "auto", "--project", "NOPE", db=db)
    assert missing.code == 1 and "NOPE" in missing.err


def test_modules_load_no_ui_and_no_solver_until_asked() -> None:
    import subprocess
    import sys

    code = (
        "import sys, lms.scheduling.auto.planner, lms.scheduling.auto.cpsat, lms.cli.autoschedule\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    modules = set(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    )
    assert not {name for name in modules if name.split(".")[0] in ("textual", "weasyprint", "ortools")}
