"""The conflict check's single scan against a straightforward pairwise check, on a generated schedule with the awkward
cases: multi-day sessions, several trainers, manufacturer engineers, rooms, cancelled sessions, renewals that meet or
leave a gap, courses granting two skills or none, and a newer course version granting another skill."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from sqlmodel import Session, select

from lms.calendars.workdays import ChinaCalendar
from lms.credentials.qualification import lapses_in
from lms.models import (
    Course,
    CourseSkillGrant,
    CourseVersion,
    Organisation,
    Person,
    Room,
    SessionDay,
    SessionTrainer,
    Skill,
    SkillRecord,
    TrainingSession,
)
from lms.scheduling.conflict_scan import covered_spans, intersect
from lms.scheduling.conflicts import find_conflicts

D = dt.date
START = D(2026, 3, 2)
ACTIVE = ("planned", "confirmed")


def courses_and_skills(session: Session) -> dict[int, int]:
    """Three courses (two skills; none; one, then another in version 2); returns course version → course."""
    session.add_all([Skill(id=n, code=f"K{n}", name_zh=f"技能{n}", name_en=f"Skill {n}") for n in (1, 2, 3)])
    session.add_all([Course(id=n, code=f"C{n}", title_zh=f"课程{n}", title_en=f"Course {n}") for n in (1, 2, 3)])
    session.flush()
    versions = {1: 1, 2: 2, 3: 3, 4: 3}
    for version_id, course_id in versions.items():
        version = 2 if version_id == 4 else 1
        session.add(CourseVersion(id=version_id, course_id=course_id, version=version, content_hash=f"h{version_id}"))
    session.flush()
    grants = [(1, 1), (1, 2), (3, 1), (4, 3)]
    session.add_all([CourseSkillGrant(course_version_id=v, skill_id=k) for v, k in grants])
    return versions


def records_for(person_id: int, rng: random.Random) -> list[SkillRecord]:
    """A trainer's records: none, open-ended, ending mid-schedule, renewed the next day or after a gap."""
    records = []
    for skill_id in (1, 2, 3):
        shape = rng.choice(("none", "open", "ends", "renewed", "gap", "late"))
        ends = START + dt.timedelta(days=rng.choice((20, 35, 50)))  # sessions straddle these often
        if shape == "open":
            records.append((skill_id, START - dt.timedelta(days=30), None))
        elif shape == "ends":
            records.append((skill_id, START - dt.timedelta(days=30), ends))
        elif shape == "renewed":
            records += [(skill_id, START - dt.timedelta(days=30), ends), (skill_id, ends + dt.timedelta(days=1), None)]
        elif shape == "gap":
            records += [(skill_id, START - dt.timedelta(days=30), ends), (skill_id, ends + dt.timedelta(days=3), None)]
        elif shape == "late":
            records.append((skill_id, START + dt.timedelta(days=rng.randrange(0, 40)), None))
    return [SkillRecord(person_id=person_id, skill_id=k, valid_from=f, valid_until=u) for k, f, u in records]


def generate(session: Session, rng: random.Random, count: int = 240) -> None:
    session.add(Organisation(id=1, code="V", kind="vendor", name_zh="供应商", name_en="Vendor"))
    versions = courses_and_skills(session)
    trainers = range(1, 13)
    for n in trainers:
        session.add(Person(id=n, code=f"T{n:02d}", kind="trainer", name=f"讲师{n}", organisation_id=1))
    session.add_all([Room(id=n, code=f"R{n}", name=f"教室{n}", city="杭州", capacity=30) for n in (1, 2, 3)])
    session.flush()
    for person_id in range(1, 13):
        session.add_all(records_for(person_id, rng))
    for number in range(1, count + 1):
        first = START + dt.timedelta(days=rng.randrange(0, 70))
        days = [first + dt.timedelta(days=n) for n in range(rng.choice((1, 1, 2, 3, 5)))]
        session.add(
            TrainingSession(
                id=number,
                code=f"S{number:03d}",
                uid=f"u{number}",
                course_version_id=rng.choice(list(versions)),
                mode="centralised",
                room_id=rng.choice((None, None, 1, 2, 3)),
                place="现场",
                city=rng.choice(("杭州", "南京")),
                status=rng.choice(("planned", "planned", "confirmed", "cancelled", "held")),
                first_day=days[0],
                last_day=days[-1],
            )
        )
        session.flush()
        session.add_all([SessionDay(session_id=number, day=day) for day in days])
        for person_id in rng.sample(range(1, 13), rng.choice((1, 1, 2, 3))):
            role = rng.choice(("lead", "lead", "assistant", "manufacturer"))
            session.add(SessionTrainer(session_id=number, person_id=person_id, role=role))
    session.commit()


def pairwise(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    """Every pair of active sessions compared day by day; every trainer checked against every record."""
    sessions = {s.id: s for s in session.exec(select(TrainingSession).where(TrainingSession.status.in_(ACTIVE)))}
    days = {i: {d.day for d in session.exec(select(SessionDay).where(SessionDay.session_id == i))} for i in sessions}
    trainers = session.exec(select(SessionTrainer).where(SessionTrainer.session_id.in_(list(sessions)))).all()
    people = {p.id: p.code for p in session.exec(select(Person))}
    found: dict[str, set[tuple[Any, ...]]] = {"trainer_double_booked": set(), "room_double_booked": set()}
    for one, other in itertools.combinations(sorted(sessions), 2):
        shared = days[one] & days[other]
        codes = tuple(sorted((sessions[one].code, sessions[other].code)))
        for a, b in itertools.product(trainers, trainers):
            if a.session_id == one and b.session_id == other and a.person_id == b.person_id:
                found["trainer_double_booked"] |= {(people[a.person_id], day, codes) for day in shared}
        if sessions[one].room_id is not None and sessions[one].room_id == sessions[other].room_id:
            found["room_double_booked"] |= {(f"R{sessions[one].room_id}", day, codes) for day in shared}
    latest = {1: {1: "K1", 2: "K2"}, 2: {}, 3: {3: "K3"}}
    course_of = {1: 1, 2: 2, 3: 3, 4: 3}
    found["trainer_unqualified"] = set()
    for trainer in trainers:
        taught = sessions[trainer.session_id]
        records = session.exec(select(SkillRecord).where(SkillRecord.person_id == trainer.person_id)).all()
        skills = latest[course_of[taught.course_version_id]]
        if trainer.role != "manufacturer" and lapses_in(records, skills, taught.first_day, taught.last_day):
            found["trainer_unqualified"].add((people[trainer.person_id], taught.first_day, (taught.code,)))
    calendar = ChinaCalendar()
    found["non_working_day"] = {
        (sessions[i].code, day, (sessions[i].code,))
        for i in sessions
        for day in days[i]
        if not calendar.is_working_day(day)
    }
    return found


def test_the_scan_finds_what_a_pairwise_check_finds(session: Session) -> None:
    generate(session, random.Random(20))
    expected = pairwise(session)
    found: dict[str, set[tuple[Any, ...]]] = {kind: set() for kind in expected}
    for conflict in find_conflicts(session, ChinaCalendar(), None):
        if conflict.kind in found:
            found[conflict.kind].add((conflict.subject, conflict.day, conflict.sessions))
    # A trainer double-booked on a day is reported once per day with every session of theirs that meets then.
    grouped: dict[tuple[Any, Any], set[str]] = {}
    for subject, day, codes in expected["trainer_double_booked"]:
        grouped.setdefault((subject, day), set()).update(codes)
    assert {(s, d, tuple(sorted(c))) for (s, d), c in grouped.items()} == found["trainer_double_booked"]
    rooms: dict[tuple[Any, Any], set[str]] = {}
    for subject, day, codes in expected["room_double_booked"]:
        rooms.setdefault((subject, day), set()).update(codes)
    assert {(s, d, tuple(sorted(c))) for (s, d), c in rooms.items()} == found["room_double_booked"]
    assert expected["trainer_unqualified"] == found["trainer_unqualified"]
    assert expected["non_working_day"] == found["non_working_day"]
    assert all(found.values()), "the generated schedule should hold every kind of conflict"


def test_renewals_that_meet_join_up_and_a_gap_does_not() -> None:
    def record(start: dt.date, end: dt.date | None, skill: int = 1) -> SkillRecord:
        return SkillRecord(person_id=1, skill_id=skill, valid_from=start, valid_until=end)

    records = [record(D(2026, 1, 1), D(2026, 3, 31)), record(D(2026, 4, 1), D(2026, 6, 30))]
    records += [record(D(2026, 7, 2), None), record(D(2026, 2, 1), D(2026, 5, 1), skill=2)]
    assert covered_spans(records, 1) == [(D(2026, 1, 1), D(2026, 6, 30)), (D(2026, 7, 2), dt.date.max)]
    assert intersect(covered_spans(records, 1), covered_spans(records, 2)) == [(D(2026, 2, 1), D(2026, 5, 1))]
