"""Evidence pack for a project with 20 sessions and 300 trainees (target: under 10 s), from the database to the PDF.

Run: .venv/bin/python benchmarks/evidence_pack.py [SESSIONS] [TRAINEES_PER_SESSION]

The demo database is loaded, then one demo project gets SESSIONS extra held two-day sessions on its first obligation,
each with its own TRAINEES_PER_SESSION trainees (300 in all by default) who attended both days, sat the quiz (one in
ten failed and passed the re-exam) and hold a certificate. Reported: gathering the data (both languages), rendering
the PDF, pages and size. The baseline is the same pack for the demo project as it was, in the same run.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, select

from certificates.documents import render_evidence_pack, shared_engine
from lms.calendars.workdays import get_calendar
from lms.credentials.certificates import next_serial
from lms.db import make_engine, upgrade_schema
from lms.demo.loader import load_demo
from lms.documents.evidence_pack import evidence_pack
from lms.models import (
    Attempt,
    AttemptStatus,
    Attendance,
    Certificate,
    Obligation,
    Organisation,
    Person,
    Project,
    RosterEntry,
    SessionDay,
    SessionTrainer,
    TrainingSession,
)
from lms.plugins import make_plugin_manager

TODAY = dt.date(2026, 11, 20)
PROJECT = "P2025-HZ-SHW"


def grow(session: Session, sessions: int, per_session: int) -> None:
    project = session.exec(select(Project).where(Project.code == PROJECT)).one()
    obligation = session.exec(select(Obligation).where(Obligation.project_id == project.id)).first()
    template = session.exec(select(TrainingSession).where(TrainingSession.obligation_id == obligation.id)).first()
    trainer = session.exec(select(SessionTrainer).where(SessionTrainer.session_id == template.id)).first()
    buyer = session.exec(select(Organisation).where(Organisation.id == project.buyer_id)).one()
    assert obligation and template and trainer and buyer.id is not None
    first = dt.date(2026, 3, 2)
    for number in range(sessions):
        start = first + dt.timedelta(days=7 * number)
        training = TrainingSession(
            code=f"S-BENCH{number:02d}",
            uid=f"bench-{number}@lms",
            project_id=project.id,
            obligation_id=obligation.id,
            course_version_id=template.course_version_id,
            mode=template.mode,
            place=template.place,
            city=template.city,
            status="held",
            first_day=start,
            last_day=start + dt.timedelta(days=1),
        )
        session.add(training)
        session.flush()
        assert training.id is not None
        session.add(SessionTrainer(session_id=training.id, person_id=trainer.person_id, role="lead"))
        days = [SessionDay(session_id=training.id, day=start + dt.timedelta(days=offset)) for offset in (0, 1)]
        session.add_all(days)
        session.flush()
        for index in range(per_session):
            person = Person(
                code=f"BP{number:02d}{index:03d}",
                kind="buyer_staff",
                name=f"学员{number:02d}{index:03d}",
                organisation_id=buyer.id,
                title="运行值班员",
                id_number=f"3301011990010{number:02d}{index:03d}",
            )
            session.add(person)
            session.flush()
            assert person.id is not None
            session.add(RosterEntry(session_id=training.id, person_id=person.id))
            for day in days:
                assert day.id is not None
                session.add(Attendance(session_day_id=day.id, person_id=person.id, present=True))
            failed_first = index % 10 == 0
            attempts = [(1, 52.0, False), (2, 78.0, True)] if failed_first else [(1, 85.0, True)]
            for attempt_number, score, passed in attempts:
                attempt = Attempt(
                    person_id=person.id,
                    course_version_id=template.course_version_id,
                    session_id=training.id,
                    number=attempt_number,
                    status=AttemptStatus.graded,
                    score=score,
                    written_score=score,
                    passed=passed,
                )
                session.add(attempt)
            session.flush()
            session.add(
                Certificate(
                    serial=next_serial(session, "operator", 2026),
                    family="operator",
                    person_id=person.id,
                    course_version_id=template.course_version_id,
                    session_id=training.id,
                    attempt_id=attempt.id,
                    issued_on=start + dt.timedelta(days=3),
                    holder_name=person.name,
                    pdf_sha256=f"{number:02d}{index:03d}".ljust(64, "a"),
                )
            )
    session.commit()


def page_count(pdf: bytes) -> str:
    """Pages as pdfinfo (poppler) reads them: the PDF keeps its page objects in compressed streams."""
    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return found.group(1) if found else "?"


def pack_figures(engine, label: str) -> float:  # type: ignore[no-untyped-def]
    calendar = get_calendar()
    start = time.perf_counter()
    with Session(engine) as session:
        pack = evidence_pack(session, PROJECT, today=TODAY, calendar=calendar, files_root=Path(tempfile.gettempdir()))
    gathered = time.perf_counter()
    pdf = render_evidence_pack(pack)
    rendered = time.perf_counter()
    trainees = sum(len(s.trainees) for o in pack.zh.obligations for s in o.sessions)
    sessions = sum(len(o.sessions) for o in pack.zh.obligations)
    pages = page_count(pdf)
    print(
        f"{label}: {sessions} sessions, {trainees} trainees, {len(pack.manifest)} certificates — "
        f"data {gathered - start:.2f} s, PDF {rendered - gathered:.2f} s, total {rendered - start:.2f} s, "
        f"{len(pdf) / 1024:.0f} KB, {pages} pages"
    )
    return rendered - start


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    per_session = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_schema(engine)
        with Session(engine) as session:
            load_demo(session, make_plugin_manager(), today=TODAY)
            session.commit()
        shared_engine()  # WeasyPrint import and fonts, once per process: not part of either figure
        baseline = pack_figures(engine, "baseline (demo project as loaded)")
        with Session(engine) as session:
            grow(session, sessions, per_session)
        grown = pack_figures(engine, f"grown ({sessions} more sessions × {per_session} trainees; target < 10 s)")
        print(f"grown / baseline = {grown / baseline:.1f}×; grown / target (10 s) = {grown / 10:.2f}")


if __name__ == "__main__":
    main()
