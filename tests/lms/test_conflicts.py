"""Conflicts: each kind found on a small schedule built for it; nothing reported on a clean one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session, select

from lms.calendars.workdays import ChinaCalendar
from lms.catalog.service import import_paths
from lms.models import CourseSkillGrant, Organisation, Person, Room, RosterEntry, SkillRecord
from lms.scheduling.conflicts import find_conflicts
from lms.scheduling.sessions import add_to_roster, create_session
from tests.conftest import DEMO_TODAY, LIBRARY

D = dt.date


def setup(session: Session, pm: Any) -> dict[str, Any]:
    (version, _created), *_ = import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
    vendor = Organisation(code="V", kind="vendor", name_zh="供应商", name_en="Vendor")
    buyer = Organisation(code="B", kind="buyer", name_zh="采购方", name_en="Buyer")
    session.add_all([vendor, buyer])
    session.flush()
    alice = Person(code="T1", kind="trainer", name="王老师", organisation_id=vendor.id)
    bob = Person(code="T2", kind="trainer", name="李老师", organisation_id=vendor.id)
    room = Room(code="R1", name="101 教室", organisation_id=vendor.id, city="杭州", capacity=2)
    session.add_all([alice, bob, room])
    session.flush()
    for grant in session.exec(select(CourseSkillGrant).where(CourseSkillGrant.course_version_id == version.id)):
        session.add(SkillRecord(person_id=alice.id, skill_id=grant.skill_id, valid_from=D(2026, 1, 1)))
    session.flush()
    return {"version": version, "alice": alice, "bob": bob, "room": room, "buyer": buyer}


def make(
    session: Session,
    things: dict[str, Any],
    days: list[dt.date],
    trainer: str,
    *,
    city: str = "杭州",
    room: bool = False,
) -> Any:
    return create_session(
        session,
        course_version=things["version"],
        days=days,
        mode="centralised",
        place="现场",
        city=city,
        trainers=[(things[trainer], "lead")],
        room=things["room"] if room else None,
    )


def kinds(session: Session) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for conflict in find_conflicts(session, ChinaCalendar(), D(2026, 11, 1)):
        found.setdefault(conflict.kind, []).append(conflict)
    return found


def test_clean_schedule_has_no_conflicts(session: Session, pm: Any) -> None:
    things = setup(session, pm)
    make(session, things, [D(2026, 11, 24), D(2026, 11, 25)], "alice")
    make(session, things, [D(2026, 11, 26)], "alice")
    assert kinds(session) == {}


def test_multi_day_overlap_two_cities_room_capacity_skill_and_holiday(session: Session, pm: Any) -> None:
    things = setup(session, pm)
    make(session, things, [D(2026, 11, 24), D(2026, 11, 25)], "alice", room=True)
    make(session, things, [D(2026, 11, 25), D(2026, 11, 26)], "alice", city="南京", room=True)
    unqualified = make(session, things, [D(2026, 11, 30)], "bob")
    full = make(session, things, [D(2026, 12, 1)], "alice", room=True)
    trainees = []
    for n in range(3):
        person = Person(code=f"B{n}", kind="buyer_staff", name=f"学员{n}", organisation_id=things["buyer"].id)
        session.add(person)
        trainees.append(person)
    session.flush()
    add_to_roster(session, full, trainees)
    make(session, things, [D(2026, 11, 28)], "alice")  # a Saturday that is not a make-up working day
    found = kinds(session)
    double = found["trainer_double_booked"]
    assert len(double) == 1 and double[0].day == D(2026, 11, 25)
    assert found["two_cities"][0].subject == "T1"
    assert found["room_double_booked"][0].day == D(2026, 11, 25)
    assert found["over_capacity"][0].sessions == (full.code,)
    assert [c.sessions for c in found["trainer_unqualified"]] == [(unqualified.code,)]
    assert found["non_working_day"][0].day == D(2026, 11, 28)
    assert len(session.exec(select(RosterEntry)).all()) == 3


def test_cancelled_sessions_do_not_conflict(session: Session, pm: Any) -> None:
    from lms.scheduling.sessions import set_status

    things = setup(session, pm)
    make(session, things, [D(2026, 11, 24)], "alice")
    second = make(session, things, [D(2026, 11, 24)], "alice")
    assert "trainer_double_booked" in kinds(session)
    set_status(session, second, "cancelled")
    assert "trainer_double_booked" not in kinds(session)


def test_conflicts_command_on_the_demo(cli, demo_database: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("schedule", "conflicts", "--as-of", DEMO_TODAY.isoformat(), "--format", "json", db=demo_database)
    found = {row["kind"] for row in json.loads(result.out)}
    assert {"trainer_double_booked", "outside_window"} <= found
