"""Conflict check over 100,000 sessions: our set-based queries against a pairwise self-join baseline.

Run: .venv/bin/python benchmarks/conflicts.py [SESSIONS] [--db URL] [--repeat N]
Prints the import time of the check (a fresh interpreter), the time of each conflict query (wall and CPU, best of
--repeat), every check together as ``lms schedule conflicts --all`` runs them, and the ratio to the self-join
baseline, in the same process. --db: an empty database to fill (e.g. PostgreSQL); default a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text
from sqlmodel import Session

from lms import models
from lms.calendars.workdays import ChinaCalendar
from lms.db import make_engine, upgrade_schema
from lms.scheduling.conflicts import (
    calendar_year_conflicts,
    double_bookings,
    find_conflicts,
    non_working_days,
    over_capacity,
    unqualified_trainers,
)

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


def timed(label: str, action, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    """Best wall time of ``repeat`` runs (CPU time shown beside it: the machine is shared)."""
    walls, cpus = [], []
    for _run in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
    print(f"{label:<40} {min(walls) * 1000:8.1f} ms wall {min(cpus) * 1000:8.1f} ms CPU  ({len(result)} found)")
    return min(walls)


def import_seconds() -> float:
    """What a fresh interpreter spends importing the check (the command's start-up, not its queries)."""
    code = "import time; t = time.perf_counter(); import lms.scheduling.conflicts; print(time.perf_counter() - t)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sessions", type=int, nargs="?", default=100_000)
    parser.add_argument("--db", help="an empty database URL to fill; default a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    count = arguments.sessions
    print(f"import lms.scheduling.conflicts: {import_seconds() * 1000:.0f} ms (fresh interpreter)")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(arguments.db or f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_schema(engine)
        with Session(engine) as session:
            began = time.perf_counter()
            populate(session, count, random.Random(1))
            print(f"{count} sessions written in {time.perf_counter() - began:.1f} s")
        calendar = ChinaCalendar()
        repeat = arguments.repeat
        with Session(engine) as session:
            session.execute(text("ANALYZE"))
            timed("double bookings (trainers, rooms)", lambda: double_bookings(session), repeat)
            timed("roster over capacity", lambda: over_capacity(session), repeat)
            timed("trainers without a valid skill", lambda: unqualified_trainers(session), repeat)
            timed("sessions on non-working days", lambda: non_working_days(session, calendar), repeat)
            timed("sessions in unknown/provisional years", lambda: calendar_year_conflicts(session, calendar), repeat)
            ours = timed("ALL checks (find_conflicts, --all)", lambda: find_conflicts(session, calendar), repeat)
            baseline = timed("baseline: pairwise self-join (trainers)", lambda: session.execute(SELF_JOIN).all())
        print(
            f"all our checks: {ours * 1000:.1f} ms (target 500 ms); self-join baseline for one check: "
            f"{baseline * 1000:.1f} ms; ratio ours/baseline = {ours / baseline:.2f}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
