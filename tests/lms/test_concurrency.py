"""Sixty trainees sit the same quiz at once, each in their own process: identify, open an attempt, autosave every
answer in its own transaction, then all submit together. Every answer lands, every attempt is graded once with the
grade a single process gives, nobody sees "database is locked", pass certificates get unique gapless serials and the
audit chain stays whole. Runs on SQLite (WAL) and, with LMS_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
import traceback
from pathlib import Path
from typing import Any

import pluggy
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Role, set_role
from lms.assessment.scoring import grade_attempts
from lms.assessment.sittings import begin, save, submit, who
from lms.catalog.service import import_paths
from lms.db import make_engine, upgrade_schema
from lms.hookspecs import hookimpl
from lms.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Attendance,
    AuditEntry,
    Certificate,
    Organisation,
    Person,
    Question,
    SessionDay,
)
from lms.questions.types import registry
from lms.scheduling.sessions import add_to_roster, create_session

TRAINEES = 60
NOW = dt.datetime(2026, 11, 18, 6, 0, tzinfo=dt.UTC)
COURSE = """
code: CC-1
title: {zh: 并发课程, en: Concurrency course}
system: {zh: 系统, en: System}
audience: [operator]
pass_mark: 60
reexam: {max_attempts: 2, wait_days: 1}
certificate: {family: operator, title: {zh: 合格证, en: Certificate}}
modules:
  - {id: op, curriculum: operation, title: {zh: 操作, en: Operation}, hours: 1, objectives: [{zh: 会操作, en: Operate}]}
  - {id: mt, curriculum: maintenance, title: {zh: 维护, en: Upkeep}, hours: 1, objectives: [{zh: 会维护, en: Keep}]}
  - {id: fh, curriculum: fault_handling, title: {zh: 故障, en: Faults}, hours: 1, objectives: [{zh: 会排故, en: Fix}]}
questions:
"""
QUESTION = """  - id: q{n}
    module: op
    type: single
    prompt: {{zh: 第{n}题, en: Question {n}}}
    choices:
      - {{id: a, text: {{zh: 甲, en: A}}}}
      - {{id: b, text: {{zh: 乙, en: B}}}}
    answer: a
"""
QUESTIONS = 8


def right_answers(index: int) -> int:
    """How many questions trainee ``index`` gets right: 2 to 8 of 8, so some pass (60 %) and some fail."""
    return 2 + index % 7


class GradedLog:
    """Counts ``lms_attempt_graded`` in one trainee's process."""

    def __init__(self) -> None:
        self.graded: list[int] = []

    @hookimpl
    def lms_attempt_graded(self, session: Session, attempt: Attempt) -> None:
        self.graded.append(attempt.id or 0)


def trainee(url: str, pm: pluggy.PluginManager, index: int, start: Any, go: Any, results: Any) -> None:
    """One trainee's process: everything it saw goes back through ``results``, failures included."""
    report: dict[str, Any] = {"index": index, "errors": [], "graded": [], "submit": None}
    set_role(Role.trainee)  # as in the quiz app: the screen belongs to the trainee
    log = GradedLog()
    pm.register(log, name="graded-log")
    engine = make_engine(url)
    types = registry(pm)
    try:
        start.wait(timeout=120)
        with Session(engine, expire_on_commit=False) as session:
            card = who(session, session_code="S-CONC", identity=f"C{index:03d}")
            sitting = begin(session, card=card, types=types, pm=pm, now=NOW)
            session.commit()
            report["attempt"] = sitting.attempt_id
            right = right_answers(index)
            for number, view in enumerate(sitting.questions):
                choice = "a" if number < right else "b"
                save(
                    session,
                    attempt_id=sitting.attempt_id,
                    question_id=view.question_id,
                    response=choice,
                    types=types,
                    now=NOW,
                )
                session.commit()
        go.wait(timeout=120)
        began = time.monotonic()
        with Session(engine, expire_on_commit=False) as session:
            submit(session, attempt_id=sitting.attempt_id, types=types, pm=pm, now=NOW)
            session.commit()
        report["submit"] = (began, time.monotonic())
    except Exception as error:  # everything a trainee's screen would have shown, for the parent to assert on
        report["errors"].append(f"{error!r}\n{traceback.format_exc()}")
    finally:
        report["graded"] = log.graded
        engine.dispose()
        results.put(report)


def build_world(url: str, pm: pluggy.PluginManager, folder: Path) -> None:
    engine = make_engine(url)
    upgrade_schema(engine)
    course = folder / "concurrency-course.yaml"
    course.write_text(COURSE + "".join(QUESTION.format(n=n) for n in range(1, QUESTIONS + 1)), encoding="utf-8")
    with Session(engine) as session:
        [(version, _created)] = import_paths(session, pm, [course])
        buyer = Organisation(code="BUYER", kind="buyer", name_zh="买方", name_en="Buyer")
        session.add(buyer)
        session.flush()
        people = [
            Person(code=f"C{index:03d}", kind="buyer_staff", name=f"学员{index}", organisation_id=buyer.id or 0)
            for index in range(TRAINEES)
        ]
        session.add_all(people)
        session.flush()
        training = create_session(
            session,
            course_version=version,
            days=[dt.date(2026, 11, 18)],
            mode="on_site",
            place="Site",
            city="杭州",
            status="held",
            code="S-CONC",
            capacity=TRAINEES,
        )
        add_to_roster(session, training, people)
        days = session.exec(select(SessionDay).where(SessionDay.session_id == training.id)).all()
        session.add_all(Attendance(session_day_id=day.id, person_id=person.id) for day in days for person in people)
        session.commit()
    engine.dispose()


def peak_overlap(intervals: list[tuple[float, float]]) -> int:
    """The most submissions in flight at one moment."""
    events = sorted([(start, 1) for start, _end in intervals] + [(end, -1) for _start, end in intervals])
    peak = running = 0
    for _moment, step in events:
        running += step
        peak = max(peak, running)
    return peak


def test_sixty_trainees_autosave_and_submit_at_once(db_url: str, pm: pluggy.PluginManager, tmp_path: Path) -> None:
    build_world(db_url, pm, tmp_path)
    context = multiprocessing.get_context("fork")  # the children inherit the imports: sixty starts in a second
    start, go = context.Barrier(TRAINEES), context.Barrier(TRAINEES)
    results = context.Queue()
    processes = [
        context.Process(target=trainee, args=(db_url, pm, index, start, go, results)) for index in range(TRAINEES)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0

    errors = [error for report in reports for error in report["errors"]]
    assert not [error for error in errors if "locked" in error], errors[0]
    assert not errors, errors[0]
    graded = sorted(attempt for report in reports for attempt in report["graded"])
    assert len(graded) == TRAINEES and len(set(graded)) == TRAINEES  # each attempt graded once, in one process

    engine = make_engine(db_url)
    types = registry(pm)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Answer)).one() == TRAINEES * QUESTIONS
        attempts = session.exec(select(Attempt).order_by(col(Attempt.id))).all()
        assert len(attempts) == TRAINEES
        assert all(attempt.status == AttemptStatus.graded for attempt in attempts)
        stored = {attempt.id: (attempt.written_score, attempt.score, attempt.passed) for attempt in attempts}
        people = {person.id: int(person.code[1:]) for person in session.exec(select(Person))}
        for attempt in attempts:
            expected = round(100 * right_answers(people[attempt.person_id]) / QUESTIONS, 2)
            assert stored[attempt.id] == (expected, expected, expected >= 60)
        certificates = session.exec(select(Certificate).order_by(col(Certificate.serial))).all()
        passed = {attempt.id for attempt in attempts if attempt.passed}
        assert 0 < len(passed) < TRAINEES
        assert sorted(c.attempt_id for c in certificates) == sorted(passed)
        assert [c.serial for c in certificates] == [f"PX2026-{n:05d}" for n in range(1, len(passed) + 1)]
        assert audit.verify(session).intact
        issued = session.exec(select(func.count()).where(col(AuditEntry.action) == "certificate.issue")).one()

        # The same attempts graded again in one process give the same results.
        grade_attempts(session, attempts=list(attempts), types=types, pm=None)
        assert {a.id: (a.written_score, a.score, a.passed) for a in attempts} == stored
        assert session.exec(select(func.count()).select_from(Question)).one() == QUESTIONS
        session.rollback()
    engine.dispose()

    held = peak_overlap([report["submit"] for report in reports])
    backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    print(  # noqa: T201 - the figures the reliability report quotes
        f"\nconcurrency[{backend}]: {TRAINEES} trainees, {TRAINEES * QUESTIONS} autosaves, {len(passed)} passes, "
        f"{issued} certificate audit entries, peak {held} submissions in flight at once, pid {os.getpid()}"
    )


@pytest.mark.parametrize("count", [0, 3])
def test_peak_overlap_counts_submissions_in_flight(count: int) -> None:
    intervals = [(float(n), float(n) + 10) for n in range(count)] + [(100.0, 101.0)]
    assert peak_overlap(intervals) == max(count, 1)
