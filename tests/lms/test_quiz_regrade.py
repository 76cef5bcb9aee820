"""Regrading after a key correction: a dry run shows who changes and writes nothing; the real run changes scores,
logs each change in the audit log and fires ``lms_attempt_graded``; a re-imported course's keys carry back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.assessment.attempts import open_attempt, record_response, submit_attempt
from lms.assessment.regrade import regrade
from lms.catalog.service import import_paths
from lms.errors import LmsError
from lms.models import Attempt, AuditEntry, Question
from lms.questions.types import registry
from tests.lms.quiz_fixtures import quiz_world, write_course

T0 = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)


def sit_with(session: Session, world: dict[str, Any], pm: Any, person: int, answers: dict[str, Any]) -> Attempt:
    types = registry(pm)
    attempt = open_attempt(session, training_session=world["session"], person=world["people"][person], now=T0)
    assert attempt.id is not None
    for question_id in attempt.question_ids or []:
        question = session.get(Question, question_id)
        assert question is not None
        if question.code in answers:
            record_response(
                session,
                attempt_id=attempt.id,
                question_id=question_id,
                response=answers[question.code],
                types=types,
                now=T0,
            )
    return submit_attempt(session, attempt_id=attempt.id, types=types, pm=pm, now=T0)


ALMOST = {"q-single": "c", "q-multi": ["a", "b"], "q-tf": "T", "q-num": "3600", "q-short": "air"}


def world_with_attempts(session: Session, pm: Any, tmp_path: Path) -> dict[str, Any]:
    world = quiz_world(session, pm, tmp_path)
    sit_with(session, world, pm, 0, ALMOST)  # 3.5 of 7: fails; with "c" right, passes
    sit_with(session, world, pm, 1, ALMOST | {"q-single": "b"})  # 4.5 of 7: passes; with "c" right, fails
    session.commit()
    return world


def scores(session: Session) -> list[tuple[float | None, bool | None]]:
    return [(a.score, a.passed) for a in session.exec(select(Attempt).order_by(Attempt.id))]


def test_dry_run_shows_who_changes_and_writes_nothing(session: Session, pm: Any, tmp_path: Path) -> None:
    world_with_attempts(session, pm, tmp_path)
    before = scores(session)
    plan = regrade(session, course_code="QZ-1", types=registry(pm), question_code="q-single", answer="C", dry_run=True)
    session.commit()
    assert [(k.question, k.before["answer"], k.after["answer"]) for k in plan.keys] == [("q-single", "b", "c")]
    assert [(c.trainee, c.score_before, c.score_after, c.flipped) for c in plan.changes] == [
        ("T001", 50.0, 64.29, True),
        ("T002", 64.29, 50.0, True),
    ]
    session.expire_all()
    assert scores(session) == before
    assert session.exec(select(Question).where(Question.code == "q-single")).one().data["answer"] == "b"  # type: ignore[index]
    # issuing on a pass is audited too; the regrade itself wrote nothing
    assert session.exec(select(AuditEntry).where(AuditEntry.action != "certificate.issue")).all() == []


def test_regrade_applies_the_key_logs_it_and_fires_the_hook(session: Session, pm: Any, tmp_path: Path) -> None:
    from tests.lms.test_quiz_attempts import GradedCounter

    world_with_attempts(session, pm, tmp_path)
    counter = GradedCounter()
    pm.register(counter)
    plan = regrade(
        session, course_code="QZ-1", types=registry(pm), question_code="q-single", answer="C", dry_run=False, pm=pm
    )
    session.commit()
    assert plan.applied and len(plan.changes) == 2
    assert scores(session) == [(64.29, True), (50.0, False)]
    audited = session.exec(select(AuditEntry).where(AuditEntry.action != "certificate.issue").order_by(AuditEntry.id))
    actions = [entry.action for entry in audited]
    assert actions == ["question.key_corrected", "attempt.regraded", "attempt.regraded"]
    assert len(counter.graded) == 2
    again = regrade(session, course_code="QZ-1", types=registry(pm), question_code="q-single", answer="C", dry_run=True)
    assert again.changes == []


def test_keys_of_a_reimported_course_carry_back_to_older_attempts(session: Session, pm: Any, tmp_path: Path) -> None:
    world_with_attempts(session, pm, tmp_path)
    fixed = tmp_path / "fixed"
    fixed.mkdir()
    path = write_course(fixed)
    path.write_text(path.read_text(encoding="utf-8").replace("answer: b\n", "answer: c\n"), encoding="utf-8")
    import_paths(session, pm, [path])
    plan = regrade(session, course_code="QZ-1", types=registry(pm), dry_run=False, pm=pm)
    assert [(k.question, k.version) for k in plan.keys] == [("q-single", 1)]
    assert [c.passed_after for c in plan.changes] == [True, False]


def test_keys_that_a_regrade_cannot_change_are_refused(session: Session, pm: Any, tmp_path: Path) -> None:
    world_with_attempts(session, pm, tmp_path)
    with pytest.raises(LmsError, match="matching question's key cannot be corrected"):
        regrade(session, course_code="QZ-1", types=registry(pm), question_code="q-match", answer="A", dry_run=True)
    with pytest.raises(LmsError, match="not a choice letter"):
        regrade(session, course_code="QZ-1", types=registry(pm), question_code="q-single", answer="Z", dry_run=True)
    with pytest.raises(LmsError, match="together"):
        regrade(session, course_code="QZ-1", types=registry(pm), question_code="q-single", dry_run=True)


def test_regrade_from_the_command_line(qcli: Any, engine: Engine, pm: Any, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as session:
        world_with_attempts(session, pm, tmp_path)
    shown = qcli("quiz", "regrade", "--course", "QZ-1", "--question", "q-num", "--answer", "3000:10", "--dry-run")
    assert shown.code == 0 and "dry run" in shown.out and "T001" in shown.out
    done = qcli("quiz", "regrade", "--course", "QZ-1", "--question", "q-num", "--answer", "3000:10", "--format", "json")
    report = json.loads(done.out)
    assert report["applied"] and {c["trainee"] for c in report["changes"]} == {"T001", "T002"}
    bad = qcli("quiz", "regrade", "--course", "QZ-1", "--question", "q-num", "--answer", "lots")
    assert bad.code == 1 and "--answer" in bad.err


@pytest.fixture
def qcli(cli: Any) -> Any:
    """The in-process command line; the quiz group is registered like every other."""
    return cli
