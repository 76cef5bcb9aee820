"""Re-exams (补考): waiting days, tutoring first (configurable), attempts allowed, the cap, and the grading method
that turns attempts into the trainee's result."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from lms.assessment.attempts import open_attempt, record_response, submit_attempt
from lms.assessment.reexams import combined_score, outlook, record_tutoring
from lms.errors import LmsError
from lms.models import Attempt, Question
from lms.questions.types import registry
from lms.questions.views import item_tokens
from tests.lms.quiz_fixtures import RIGHT, quiz_world

T0 = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)


def sit(session: Session, world: dict[str, Any], pm: Any, *, right: bool, now: dt.datetime) -> Attempt:
    """One trainee (the first) sits an attempt, everything right or everything left blank."""
    types = registry(pm)
    attempt = open_attempt(session, training_session=world["session"], person=world["people"][0], now=now)
    assert attempt.id is not None
    if right:
        for question_id in attempt.question_ids or []:
            question = session.get(Question, question_id)
            assert question is not None
            response: Any = RIGHT.get(question.code)
            if question.qtype in ("ordering", "matching"):
                response = item_tokens(question.code, 3)
            record_response(
                session, attempt_id=attempt.id, question_id=question_id, response=response, types=types, now=now
            )
    return submit_attempt(session, attempt_id=attempt.id, types=types, pm=pm, now=now)


def test_a_failed_trainee_waits_is_tutored_then_sits_a_capped_reexam(session: Session, pm: Any, tmp_path: Path) -> None:
    world = quiz_world(session, pm, tmp_path)
    first = sit(session, world, pm, right=False, now=T0)
    assert (first.number, first.passed) == (1, False)
    with pytest.raises(LmsError, match="opens on 2026-11-19"):
        sit(session, world, pm, right=True, now=T0 + dt.timedelta(hours=2))
    next_day = T0 + dt.timedelta(days=1)
    with pytest.raises(LmsError, match="tutoring"):
        sit(session, world, pm, right=True, now=next_day)
    person = world["people"][0]
    record_tutoring(session, person=person, course_id=world["version"].course_id, held_on=next_day.date())
    second = sit(session, world, pm, right=True, now=next_day)
    assert (second.number, second.written_score, second.score, second.passed) == (2, 100.0, 60.0, True)
    with pytest.raises(LmsError, match="already passed"):
        sit(session, world, pm, right=True, now=next_day + dt.timedelta(days=3))
    state = outlook(session, person_id=person.id, session_id=world["session"].id, version=world["version"])
    assert (state.result, state.passed, state.attempts_used) == (60.0, True, 2)


def test_no_attempt_beyond_the_maximum(session: Session, pm: Any, tmp_path: Path) -> None:
    world = quiz_world(session, pm, tmp_path)
    world["version"].reexam = world["version"].reexam | {"tutoring_required": False, "wait_days": 0}
    sit(session, world, pm, right=False, now=T0)
    sit(session, world, pm, right=False, now=T0)
    with pytest.raises(LmsError, match="no attempts left: 2 allowed"):
        sit(session, world, pm, right=False, now=T0)


def attempts(*scores: float) -> list[Attempt]:
    return [
        Attempt(person_id=1, course_version_id=1, number=i, status="graded", score=score)
        for i, score in enumerate(scores, start=1)
    ]


@pytest.mark.parametrize(
    ("method", "expected"), [("highest", 80.0), ("last", 55.0), ("first", 40.0), ("average", 58.33)]
)
def test_grading_methods_over_attempts(method: str, expected: float) -> None:
    assert combined_score(attempts(40, 80, 55), method) == expected
    assert combined_score([], method) is None


def test_tutoring_and_results_from_the_command_line(qcli: Any, engine: Engine, pm: Any, tmp_path: Path) -> None:
    with Session(engine) as session:
        world = quiz_world(session, pm, tmp_path)
        sit(session, world, pm, right=False, now=T0)
        session.commit()
    done = qcli("quiz", "tutoring", "--session", "S-QUIZ1", "--trainee", "330106199001010001", "--on", "2026-11-19")
    assert done.code == 0 and "张三" in done.out
    results = qcli("quiz", "results", "--session", "S-QUIZ1", "--format", "json")
    assert results.code == 0
    rows = {row["trainee"]: row for row in json.loads(results.out)}
    assert rows["T001"]["passed"] is False and rows["T001"]["earliest_retake"] == "2026-11-19"
    assert rows["T002"]["attempts"] == 0
    missing = qcli("quiz", "tutoring", "--session", "S-QUIZ1", "--trainee", "nobody")
    assert missing.code == 1 and "not on the roster" in missing.err


@pytest.fixture
def qcli(cli: Any) -> Any:
    """The in-process command line; the quiz group is registered like every other."""
    return cli
