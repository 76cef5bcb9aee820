"""A big database for the TUI benchmarks: the demo plus 10,000 sessions and 100,000 attendance rows.

Shape: the demo (seed 7, 2026-11-20) and 300 more projects at buyers, each accepted between 2022 and 2026 with
two tender duties (training within 5 working days of acceptance; spring and autumn refreshers over a two-year
warranty). About a tenth of the sessions serve those duties; the rest are the vendor's other classes (engineers'
courses, open classes) over five years, so the rows have the spread a vendor's schedule has. Past sessions are
held, with rosters and attendance; the rest are planned or confirmed, a few double-booked.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlmodel import Session

from lms import models
from lms.calendars.workdays import ChinaCalendar
from lms.db import make_engine, session_scope, upgrade_schema
from lms.demo.loader import load_demo
from lms.plugins import make_plugin_manager

DEMO_TODAY = dt.date(2026, 11, 20)
EXTRA_PROJECTS = 300
EXTRA_TRAINERS = 60
STAFF_PER_BUYER = 40


def plugin_manager() -> Any:
    import certificates.plugin
    import courses.plugin

    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(courses.plugin, name="courses")
    manager.register(certificates.plugin, name="certificates")
    return manager


def _next_id(session: Session, table: Any) -> int:
    return int(session.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table.__tablename__}")).scalar_one())


def populate(session: Session, sessions: int, attendance: int, rng: random.Random) -> None:
    """Add ``sessions`` sessions (demo included) and about ``attendance`` attendance rows with bulk inserts."""
    conn = session.connection()
    calendar = ChinaCalendar()
    working = [
        d
        for d in (dt.date(2022, 1, 1) + dt.timedelta(days=n) for n in range(5 * 365 + 1))
        if calendar.is_working_day(d)
    ]
    vendor_id = session.execute(select(models.Organisation.id).where(models.Organisation.kind == "vendor")).scalar()
    version_ids = list(session.execute(select(models.CourseVersion.id)).scalars())
    room_ids = list(session.execute(select(models.Room.id)).scalars())

    person_id = _next_id(session, models.Person)
    trainers = list(range(person_id, person_id + EXTRA_TRAINERS))
    conn.execute(
        insert(models.Person),
        [
            {"id": i, "code": f"T{i:05d}", "kind": "trainer", "name": f"讲师{i}", "organisation_id": vendor_id}
            for i in trainers
        ],
    )
    organisation_id = _next_id(session, models.Organisation)
    buyers = list(range(organisation_id, organisation_id + EXTRA_PROJECTS))
    conn.execute(
        insert(models.Organisation),
        [
            {"id": b, "code": f"BUY{b}", "kind": "buyer", "name_zh": f"采购单位{b}", "name_en": f"Buyer {b}"}
            for b in buyers
        ],
    )
    staff_start = trainers[-1] + 1
    staff_of = {
        b: list(range(staff_start + n * STAFF_PER_BUYER, staff_start + (n + 1) * STAFF_PER_BUYER))
        for n, b in enumerate(buyers)
    }
    conn.execute(
        insert(models.Person),
        [
            {"id": p, "code": f"B{p:06d}", "kind": "buyer_staff", "name": f"学员{p}", "organisation_id": b}
            for b, people in staff_of.items()
            for p in people
        ],
    )
    project_id = _next_id(session, models.Project)
    projects = list(range(project_id, project_id + EXTRA_PROJECTS))
    conn.execute(
        insert(models.Project),
        [
            {
                "id": p,
                "code": f"PX{p:04d}",
                "name_zh": f"项目{p}",
                "name_en": f"Project {p}",
                "buyer_id": b,
                "site": f"现场{p}",
                "city": rng.choice(("杭州", "南京", "上海", "苏州", "宁波")),
                "warranty_months": 24,
            }
            for p, b in zip(projects, buyers, strict=True)
        ],
    )
    accepted = {p: rng.choice(working[: len(working) - 60]) for p in projects}
    conn.execute(
        insert(models.Milestone),
        [
            {"project_id": p, "kind": "acceptance", "planned_date": day, "actual_date": day}
            for p, day in accepted.items()
        ],
    )
    obligation_id = _next_id(session, models.Obligation)
    obligations: list[dict[str, Any]] = []
    for n, p in enumerate(projects):
        common = {"project_id": p, "anchor": "acceptance", "mode": "centralised", "place": "buyer_site"}
        obligations.append(
            common
            | {"id": obligation_id + 2 * n, "code": "OB-1", "clause_text": "验收后5个工作日内集中培训"}
            | {"offset_days": 5, "min_trainees": 5, "min_days": 1, "cadence": "once"}
        )
        obligations.append(
            common
            | {"id": obligation_id + 2 * n + 1, "code": "OB-2", "clause_text": "质保期内每年春秋两季复训"}
            | {"offset_days": 0, "min_trainees": 0, "min_days": 0, "cadence": "spring_autumn"}
        )
    conn.execute(insert(models.Obligation), obligations)

    existing = int(session.execute(text("SELECT count(*) FROM trainingsession")).scalar_one())
    session_id = _next_id(session, models.TrainingSession)
    day_id = _next_id(session, models.SessionDay)
    rows: list[dict[str, Any]] = []
    day_rows: list[dict[str, Any]] = []
    teach_rows: list[dict[str, Any]] = []
    roster_rows: list[dict[str, Any]] = []
    attendance_rows: list[dict[str, Any]] = []
    per_session = attendance / max(1, sessions - existing) / 1.8  # days per session average 1.8
    for n in range(sessions - existing):
        sid = session_id + n
        project = rng.choice(projects) if n % 10 == 0 else None
        index = rng.randrange(0, len(working) - 5)
        if project is not None:
            start = next(i for i, d in enumerate(working) if d > accepted[project])
            index = min(len(working) - 5, start + rng.randrange(0, 4))
        length = rng.choice((1, 1, 2, 2, 3))
        chosen = working[index : index + length]
        past = chosen[-1] < DEMO_TODAY
        status = "held" if past else rng.choice(("planned", "confirmed"))
        rows.append(
            {
                "id": sid,
                "code": f"SX{sid:06d}",
                "uid": f"bench-{sid}@lms",
                "project_id": project,
                "obligation_id": obligation_id + 2 * (project - project_id) if project else None,
                "course_version_id": rng.choice(version_ids),
                "mode": "centralised",
                "room_id": rng.choice(room_ids) if rng.random() < 0.05 else None,
                "place": "培训中心" if project is None else f"现场{project}",
                "city": rng.choice(("杭州", "南京", "上海")),
                "capacity": 30,
                "status": status,
                "sequence": 0,
                "first_day": chosen[0],
                "last_day": chosen[-1],
                "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            }
        )
        teach_rows.append({"session_id": sid, "person_id": rng.choice(trainers), "role": "lead"})
        buyer = buyers[(project - project_id) if project else rng.randrange(len(buyers))]
        trainees = rng.sample(staff_of[buyer], max(1, round(rng.gauss(per_session, 2))))
        roster_rows.extend({"session_id": sid, "person_id": p} for p in trainees)
        for day in chosen:
            day_rows.append({"id": day_id, "session_id": sid, "day": day, "hours": 6.0})
            if past:
                attendance_rows.extend(
                    {"session_day_id": day_id, "person_id": p, "present": rng.random() < 0.95} for p in trainees
                )
            day_id += 1
    for table, values in (
        (models.TrainingSession, rows),
        (models.SessionDay, day_rows),
        (models.SessionTrainer, teach_rows),
        (models.RosterEntry, roster_rows),
        (models.Attendance, attendance_rows),
    ):
        for start in range(0, len(values), 20_000):
            conn.execute(insert(table), values[start : start + 20_000])


def build(url: str, sessions: int = 10_000, attendance: int = 100_000) -> dict[str, int]:
    """Create the database at ``url``; returns row counts."""
    engine = make_engine(url)
    upgrade_schema(engine)
    with session_scope(engine) as session:
        load_demo(session, plugin_manager(), seed=7, today=DEMO_TODAY)
    with session_scope(engine) as session:
        populate(session, sessions, attendance, random.Random(11))
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        counts = {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("trainingsession", "attendance", "project", "obligation", "person")
        }
    engine.dispose()
    return counts


def database_or_build(url: str | None, folder: Path) -> str:
    """``url`` when the caller named a database; else a new benchmark database built in ``folder``, with what it
    holds printed."""
    if url is not None:
        return url
    url = f"sqlite:///{folder / 'bench.db'}"
    began = time.perf_counter()
    counts = build(url)
    print(f"benchmark database built in {time.perf_counter() - began:.1f} s: {counts}")
    return url
