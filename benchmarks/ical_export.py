"""Time ``lms schedule export-ics --all`` over many sessions against plain icalendar generation of the same events.

    .venv/bin/python benchmarks/ical_export.py [--sessions 10000] [--repeat 3]

A temporary SQLite database gets the solar hot-water course, a vendor, a buyer project and 20 trainers; then
``--sessions`` sessions (two working days each, one or two trainers, every tenth cancelled) are bulk inserted.

- ours: :func:`lms.calendars.ical.export_ics` end to end (queries, one VEVENT per session with RDATE, ORGANIZER,
DESCRIPTION,
  LAST-MODIFIED, a VTIMEZONE, serialisation, atomic write), with the phases shown separately;
- plain: ``Calendar.new()`` + ``Event.new(uid, summary, start, end)`` per session from values already in memory,
  serialised; no VTIMEZONE, no attendees, no database.

Best of ``--repeat`` runs each, in the same process. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import insert
from sqlmodel import Session, select

from courses.plugin import LIBRARY
from lms.calendars.ical import export_ics
from lms.calendars.ical_build import build_calendar, event_summary
from lms.calendars.ical_events import Selection, load_session_events
from lms.catalog.service import import_paths
from lms.db import make_engine, upgrade_schema
from lms.models import (
    CourseVersion,
    Obligation,
    Organisation,
    Person,
    Project,
    SessionDay,
    SessionTrainer,
    TrainingSession,
)
from lms.plugins import make_plugin_manager

START = dt.date(2027, 3, 1)


def populate(session: Session, count: int) -> None:
    pm = make_plugin_manager()
    import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
    version = session.exec(select(CourseVersion)).one()
    vendor = Organisation(code="JN", kind="vendor", name_zh="江南智联工程有限公司", name_en="Jiangnan", city="杭州")
    buyer = Organisation(code="HZ", kind="buyer", name_zh="杭州市第一人民医院", name_en="Hangzhou No.1", city="杭州")
    session.add_all([vendor, buyer])
    session.flush()
    project = Project(
        code="P-BENCH",
        name_zh="热水系统",
        name_en="Hot water",
        buyer_id=buyer.id or 0,
        site="杭州市上城区",
        city="杭州",
    )
    session.add(project)
    session.flush()
    obligation = Obligation(
        project_id=project.id or 0, code="OB-1", clause_text="验收后培训", anchor="acceptance", mode="centralised"
    )
    trainers = [
        Person(
            code=f"T{index:03d}",
            kind="trainer",
            name=f"讲师{index:03d}",
            name_en=f"Trainer {index}",
            organisation_id=vendor.id or 0,
            email=f"t{index:03d}@example.com",
        )
        for index in range(20)
    ]
    session.add(obligation)
    session.add_all(trainers)
    session.flush()

    now = dt.datetime.now(dt.UTC)
    sessions: list[dict[str, Any]] = []
    for index in range(count):
        first = START + dt.timedelta(days=(index // 7) * 7 + index % 5)  # weekdays only
        code = f"S-B{index:05d}"
        sessions.append(
            {
                "id": index + 1,
                "code": code,
                "uid": f"bench-{index:05d}@lms",
                "project_id": project.id,
                "obligation_id": obligation.id,
                "course_version_id": version.id,
                "mode": "centralised",
                "place": f"杭州培训中心 {100 + index % 20} 教室",
                "city": "杭州",
                "capacity": 20,
                "status": "cancelled" if index % 10 == 9 else ("confirmed" if index % 2 else "planned"),
                "sequence": index % 4,
                "first_day": first,
                "last_day": first + dt.timedelta(days=1),
                "updated_at": now,
            }
        )
    days = [
        {"session_id": row["id"], "day": row["first_day"] + dt.timedelta(days=offset), "hours": 6.0}
        for row in sessions
        for offset in (0, 1)
    ]
    links = [
        {"session_id": row["id"], "person_id": trainers[(row["id"] + offset) % 20].id, "role": role}
        for row in sessions
        for offset, role in ((0, "lead"), (7, "assistant"))
        if role == "lead" or row["id"] % 3 == 0
    ]
    session.exec(insert(TrainingSession), params=sessions)
    session.exec(insert(SessionDay), params=days)
    session.exec(insert(SessionTrainer), params=links)
    session.commit()


def best(repeat: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("LMS_CONFIG", "/nonexistent/lms-benchmark-config.yaml")  # built-in defaults

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_schema(engine)
        began = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            populate(session, args.sessions)
        print(f"database: {args.sessions} sessions inserted in {time.perf_counter() - began:.2f} s")

        with Session(engine, expire_on_commit=False) as session:
            events = load_session_events(session, Selection())
            tz = ZoneInfo("Asia/Shanghai")
            plain_inputs = [
                (
                    event.uid,
                    event_summary(event),
                    dt.datetime.combine(event.days[0].day, event.days[0].start, tzinfo=tz),
                    dt.datetime.combine(event.days[0].day, event.days[0].end, tzinfo=tz),
                )
                for event in events
            ]

            def plain() -> bytes:
                calendar = Calendar.new(prodid="-//Plain//Benchmark//EN")
                for uid, summary, start, end in plain_inputs:
                    calendar.add_component(Event.new(uid=uid, summary=summary, start=start, end=end))
                return calendar.to_ical()

            output = Path(folder) / "ours.ics"

            def ours() -> None:
                export_ics(session, selection=Selection(), output=output)

            plain_time = best(args.repeat, plain)
            ours_time = best(args.repeat, ours)
            load_time = best(args.repeat, lambda: load_session_events(session, Selection()))
            build_time = best(args.repeat, lambda: build_calendar(events, method="PUBLISH", name="bench"))
            calendar = build_calendar(events, method="PUBLISH", name="bench")
            serialise_time = best(args.repeat, calendar.to_ical)
            size = output.stat().st_size
            plain_size = len(plain())

    count = len(events)
    print(f"events: {count}, best of {args.repeat}")
    print(
        f"ours  (export_ics end to end): {ours_time:6.2f} s  {ours_time / count * 1000:.3f} ms/event  "
        f"{size / 1024 / 1024:.1f} MiB"
    )
    print(f"      load from database:      {load_time:6.2f} s")
    print(f"      build components:        {build_time:6.2f} s")
    print(f"      serialise (to_ical):     {serialise_time:6.2f} s")
    print(
        f"plain (Event.new, to_ical):    {plain_time:6.2f} s  {plain_time / count * 1000:.3f} ms/event  "
        f"{plain_size / 1024 / 1024:.1f} MiB"
    )
    print(f"ratio ours/plain: {ours_time / plain_time:.2f}")


if __name__ == "__main__":
    main()
