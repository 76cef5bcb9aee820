"""Conflict check over 100,000 sessions: our set-based queries against a pairwise self-join baseline.

Run: .venv/bin/python benchmarks/conflicts.py [SESSIONS]
Prints the time of each conflict query and the ratio to the self-join baseline, in the same process.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text
from sqlmodel import Session

from lms import models
from lms.calendars.workdays import ChinaCalendar
from lms.db import make_engine, upgrade_schema
from lms.scheduling.conflicts import double_bookings, non_working_days, over_capacity, unqualified_trainers

TRAINERS = 400
ROOMS = 60


def populate(session: Session, count: int, rng: random.Random) -> None:
    session.add(models.Organisation(id=1, code="V", kind="vendor", name_zh="供应商", name_en="Vendor"))
    session.add(models.Course(id=1, code="C", title_zh="课程", title_en="Course"))
    session.flush()
    session.add(models.CourseVersion(id=1, course_id=1, version=1, content_hash="x"))
    session.add(models.Skill(id=1, code="S", name_zh="技能", name_en="Skill"))
    session.flush()
    session.add(models.CourseSkillGrant(course_version_id=1, skill_id=1))
    conn = session.connection()
    conn.execute(
        insert(models.Person),
        [
            {"id": i, "code": f"T{i}", "kind": "trainer", "name": f"讲师{i}", "organisation_id": 1}
            for i in range(1, TRAINERS + 1)
        ],
    )
    conn.execute(
        insert(models.SkillRecord),
        [
            {"person_id": i, "skill_id": 1, "level": 1, "valid_from": dt.date(2020, 1, 1), "source": "hr"}
            for i in range(1, TRAINERS + 1)
            if i % 200
        ],
    )
    conn.execute(
        insert(models.Room),
        [{"id": i, "code": f"R{i}", "name": f"教室{i}", "city": "杭州", "capacity": 30} for i in range(1, ROOMS + 1)],
    )
    calendar = ChinaCalendar()
    working = [
        d for d in (dt.date(2022, 1, 1) + dt.timedelta(days=n) for n in range(5 * 365)) if calendar.is_working_day(d)
    ]
    sessions, days, trainers = [], [], []
    next_free = {person: rng.randrange(0, 20) for person in range(1, TRAINERS + 1)}
    day_id = 1
    for sid in range(1, count + 1):
        person = rng.randrange(1, TRAINERS + 1)
        length = rng.choice((1, 1, 2, 2, 3))
        index = next_free[person]
        if rng.random() < 0.01:  # a planning mistake: overlaps the trainer's previous session
            index = max(0, index - 2)
        if rng.random() < 0.005:  # a session put on a Sunday
            chosen = [working[index] + dt.timedelta(days=(6 - working[index].weekday()) % 7 or 7)]
        else:
            chosen = working[index : index + length]
        next_free[person] = (index + length + rng.randrange(0, 3)) % (len(working) - 5)
        room = rng.randrange(1, ROOMS + 1) if rng.random() < 0.02 else None
        sessions.append(
            {
                "id": sid,
                "code": f"S{sid}",
                "uid": f"u{sid}",
                "course_version_id": 1,
                "mode": "centralised",
                "room_id": room,
                "place": "现场",
                "city": rng.choice(("杭州", "南京", "上海")),
                "capacity": 30,
                "status": "planned",
                "sequence": 0,
                "first_day": chosen[0],
                "last_day": chosen[-1],
                "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            }
        )
        for day in chosen:
            days.append(
                {
                    "id": day_id,
                    "session_id": sid,
                    "day": day,
                    "start_time": dt.time(9),
                    "end_time": dt.time(17),
                    "hours": 6.0,
                }
            )
            day_id += 1
        trainers.append({"session_id": sid, "person_id": person, "role": "lead"})
    conn.execute(insert(models.TrainingSession), sessions)
    conn.execute(insert(models.SessionDay), days)
    conn.execute(insert(models.SessionTrainer), trainers)
    session.commit()


SELF_JOIN = text("""
SELECT a.id, b.id FROM sessiontrainer ta
JOIN sessiontrainer tb ON ta.person_id = tb.person_id AND ta.session_id < tb.session_id
JOIN trainingsession a ON a.id = ta.session_id JOIN trainingsession b ON b.id = tb.session_id
WHERE a.first_day <= b.last_day AND b.first_day <= a.last_day
""")


def timed(label: str, action) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - began
    print(f"{label:<38} {elapsed * 1000:9.1f} ms   ({len(result)} found)")
    return elapsed


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_schema(engine)
        with Session(engine) as session:
            began = time.perf_counter()
            populate(session, count, random.Random(1))
            print(f"{count} sessions written in {time.perf_counter() - began:.1f} s")
        calendar = ChinaCalendar()
        with Session(engine) as session:
            session.execute(text("ANALYZE"))
            ours = sum(
                [
                    timed("double bookings (trainers, rooms)", lambda: double_bookings(session)),
                    timed("roster over capacity", lambda: over_capacity(session)),
                    timed("trainers without a valid skill", lambda: unqualified_trainers(session)),
                    timed("sessions on non-working days", lambda: non_working_days(session, calendar)),
                ]
            )
            baseline = timed("baseline: pairwise self-join (trainers)", lambda: session.execute(SELF_JOIN).all())
        print(
            f"all our checks: {ours * 1000:.1f} ms; self-join baseline for one check: {baseline * 1000:.1f} ms; "
            f"ratio ours/baseline = {ours / baseline:.2f}"
        )


if __name__ == "__main__":
    main()
