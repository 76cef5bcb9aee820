"""Attempts: identify from the roster, autosave and resume with every answer kept, submit exactly once (also when
two submits race), time limits, trainer marks, and ``lms_attempt_graded`` fired once per grading."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.assessment.attempts import AmbiguousTrainee, identify_trainee, open_attempt, record_response, submit_attempt
from lms.assessment.autosave import latest_paper, submit_when_overdue
from lms.assessment.papers import quiz_papers
from lms.assessment.sittings import begin, result, who
from lms.assessment.trainer_marks import mark_attempt
from lms.errors import LmsError
from lms.hookspecs import hookimpl
from lms.models import Answer, Attempt, Question
from lms.questions.types import registry
from tests.lms.quiz_fixtures import quiz_world

T0 = dt.datetime(2026, 11, 18, 6, 0, tzinfo=dt.UTC)


class GradedCounter:
    def __init__(self) -> None:
        self.graded: list[int] = []

    @hookimpl
    def lms_attempt_graded(self, session: Session, attempt: Attempt) -> None:
        self.graded.append(attempt.id or 0)


def code_of(session: Session, question_id: int) -> str:
    question = session.get(Question, question_id)
    assert question is not None
    return question.code


def test_trainees_identify_by_id_number_or_name_and_shared_names_ask_for_four_digits(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = quiz_world(session, pm, tmp_path, names=("张伟", "张伟", "李娜"))
    training = world["session"]
    first, second, third = world["people"]
    assert identify_trainee(session, training_session=training, identity=" 330106199001010003 ") == third
    assert identify_trainee(session, training_session=training, identity="李 娜") == third
    assert identify_trainee(session, training_session=training, identity="t001") == first
    with pytest.raises(AmbiguousTrainee, match="last 4"):
        identify_trainee(session, training_session=training, identity="张伟")
    assert identify_trainee(session, training_session=training, identity="张伟", last4="0002") == second
    with pytest.raises(LmsError, match="do not match"):
        identify_trainee(session, training_session=training, identity="张伟", last4="9999")
    with pytest.raises(LmsError, match="not on the roster"):
        identify_trainee(session, training_session=training, identity="王五")
    with pytest.raises(LmsError, match="no training session"):
        who(session, session_code="S-NOPE", identity="李娜")


def test_every_answer_is_saved_and_a_reopened_sitting_resumes_with_them(
    engine: Engine, pm: Any, tmp_path: Path
) -> None:
    types = registry(pm)
    with Session(engine) as session:
        quiz_world(session, pm, tmp_path)
        card = who(session, session_code="s-quiz1", identity="330106199001010001")
        sitting = begin(session, card=card, types=types, pm=pm, now=T0)
        session.commit()
        by_code = {code_of(session, view.question_id): view for view in sitting.questions}
        record_response(
            session,
            attempt_id=sitting.attempt_id,
            question_id=by_code["q-single"].question_id,
            response="a",
            types=types,
            now=T0,
        )
        record_response(
            session,
            attempt_id=sitting.attempt_id,
            question_id=by_code["q-single"].question_id,
            response="b",
            types=types,
            now=T0,
        )
        record_response(
            session,
            attempt_id=sitting.attempt_id,
            question_id=by_code["q-num"].question_id,
            response="3 600",
            types=types,
            now=T0,
        )
        session.commit()
    # a crash: new process, new session
    with Session(engine) as session:
        again = begin(session, card=card, types=types, pm=pm, now=T0 + dt.timedelta(minutes=5))
        assert again.attempt_id == sitting.attempt_id
        responses = {code_of(session, view.question_id): view.response for view in again.questions}
        assert responses["q-single"] == "b" and responses["q-num"] == "3 600"
        assert [v.question_id for v in again.questions] == [v.question_id for v in sitting.questions]
        assert again.questions == [
            v.model_copy(update={"response": responses[code_of(session, v.question_id)]}) for v in sitting.questions
        ]
        assert len(session.exec(select(Answer)).all()) == 2


def test_submit_once_and_never_twice(session: Session, pm: Any, tmp_path: Path) -> None:
    counter = GradedCounter()
    pm.register(counter)
    types = registry(pm)
    world = quiz_world(session, pm, tmp_path)
    attempt = open_attempt(session, training_session=world["session"], person=world["people"][0], now=T0)
    assert attempt.id is not None
    submit_attempt(session, attempt_id=attempt.id, types=types, pm=pm, now=T0)
    with pytest.raises(LmsError, match="already submitted"):
        submit_attempt(session, attempt_id=attempt.id, types=types, pm=pm, now=T0)
    question_id = (attempt.question_ids or [])[0]
    with pytest.raises(LmsError, match="can no longer change"):
        record_response(session, attempt_id=attempt.id, question_id=question_id, response="a", types=types)
    assert counter.graded == [attempt.id]


def test_racing_submits_from_two_connections_grade_once(engine: Engine, pm: Any, tmp_path: Path) -> None:
    counter = GradedCounter()
    pm.register(counter)
    types = registry(pm)
    with Session(engine) as session:
        world = quiz_world(session, pm, tmp_path)
        attempt = open_attempt(session, training_session=world["session"], person=world["people"][0], now=T0)
        session.commit()
        attempt_id = attempt.id
    assert attempt_id is not None
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def submit() -> None:
        with Session(engine) as own:
            own.get(Attempt, attempt_id)  # both read "in progress" first
            barrier.wait()
            try:
                submit_attempt(own, attempt_id=attempt_id, types=types, pm=pm, now=T0)
                own.commit()
                outcomes.append("graded")
            except LmsError:
                own.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["graded", "refused"]
    assert counter.graded == [attempt_id]


def test_time_limit_refuses_late_answers_and_submits_a_sitting_left_open(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    types = registry(pm)
    quiz_world(session, pm, tmp_path)
    card = who(session, session_code="S-QUIZ1", identity="张三")
    sitting = begin(session, card=card, types=types, pm=pm, now=T0)
    assert sitting.deadline == T0 + dt.timedelta(minutes=30)
    late = T0 + dt.timedelta(minutes=31)
    with pytest.raises(LmsError, match="time is up"):
        record_response(
            session,
            attempt_id=sitting.attempt_id,
            question_id=sitting.questions[0].question_id,
            response="x",
            types=types,
            now=late,
        )
    reopened = begin(session, card=card, types=types, pm=pm, now=late)
    assert reopened.submitted and reopened.attempt_id == sitting.attempt_id
    attempt = session.get(Attempt, sitting.attempt_id)
    assert attempt is not None and attempt.status == "graded" and attempt.submitted_at is not None


def test_essays_wait_for_the_trainer_then_the_attempt_is_graded(session: Session, pm: Any, tmp_path: Path) -> None:
    counter = GradedCounter()
    pm.register(counter)
    types = registry(pm)
    quiz_world(session, pm, tmp_path, essay=True)
    card = who(session, session_code="S-QUIZ1", identity="张三")
    sitting = begin(session, card=card, types=types, pm=pm, now=T0)
    essay = next(v for v in sitting.questions if v.body.input == "essay")
    record_response(
        session, attempt_id=sitting.attempt_id, question_id=essay.question_id, response="先断电", types=types, now=T0
    )
    attempt = submit_attempt(session, attempt_id=sitting.attempt_id, types=types, pm=pm, now=T0)
    assert (attempt.status, attempt.score, attempt.passed) == ("submitted", None, None)
    assert not result(session, attempt_id=sitting.attempt_id).graded
    assert counter.graded == []
    marked = mark_attempt(
        session, session_code="S-QUIZ1", trainee="张三", practical=None, marks=["q-essay=1"], types=types, pm=pm
    )
    assert marked.status == "graded" and marked.score == pytest.approx(100 * 2 / 9, abs=0.01)
    assert counter.graded == [sitting.attempt_id]
    with pytest.raises(LmsError, match="not on this trainee's paper"):
        mark_attempt(session, session_code="S-QUIZ1", trainee="张三", practical=None, marks=["nope=1"], types=types)


def test_a_cancelled_session_has_no_assessment(session: Session, pm: Any, tmp_path: Path) -> None:
    world = quiz_world(session, pm, tmp_path)
    world["session"].status = "cancelled"
    with pytest.raises(LmsError, match="cancelled"):
        open_attempt(session, training_session=world["session"], person=world["people"][0], now=T0)


def test_a_printed_paper_starts_the_screen_clock_when_the_trainee_opens_it(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    types = registry(pm)
    quiz_world(session, pm, tmp_path)
    quiz_papers(session, session_ref="S-QUIZ1", types=types, now=T0)
    session.commit()  # read back from the database, as the quiz screen would
    card = who(session, session_code="S-QUIZ1", identity="张三")
    later = T0 + dt.timedelta(hours=3)
    sitting = begin(session, card=card, types=types, pm=pm, now=later)
    session.commit()
    assert not sitting.submitted
    assert sitting.deadline == later + dt.timedelta(minutes=30)
    # the clock started once: closing and reopening the window gives no fresh time
    again = begin(session, card=card, types=types, pm=pm, now=later + dt.timedelta(minutes=31))
    assert again.submitted and again.attempt_id == sitting.attempt_id


def test_printing_the_paper_of_an_attempt_open_on_screen_gives_no_extra_time(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    types = registry(pm)
    quiz_world(session, pm, tmp_path)
    card = who(session, session_code="S-QUIZ1", identity="张三")
    sitting = begin(session, card=card, types=types, pm=pm, now=T0)
    session.commit()
    quiz_papers(session, session_ref="S-QUIZ1", types=types, now=T0 + dt.timedelta(minutes=10))
    session.commit()
    again = begin(session, card=card, types=types, pm=pm, now=T0 + dt.timedelta(minutes=31))
    assert again.submitted and again.attempt_id == sitting.attempt_id


class FailingCertifier:
    """A pass hook that refuses (as a certificate plugin may): the overdue submit must not be kept half-done."""

    @hookimpl
    def lms_attempt_graded(self, session: Session, attempt: Attempt) -> None:
        raise LmsError("no certificate template")


def test_an_overdue_submit_whose_grading_fails_is_not_swallowed(session: Session, pm: Any, tmp_path: Path) -> None:
    types = registry(pm)
    world = quiz_world(session, pm, tmp_path)
    attempt = open_attempt(session, training_session=world["session"], person=world["people"][0], now=T0)
    paper = latest_paper(session, session_id=world["session"].id, person_id=world["people"][0].id)
    assert paper is not None and not paper.submitted
    late = T0 + dt.timedelta(minutes=40)
    # submitted meanwhile by another request: the stale paper just reads as submitted
    submit_attempt(session, attempt_id=paper.attempt_id, types=types, pm=pm, now=T0)
    assert submit_when_overdue(session, paper=paper, types=types, pm=pm, now=late).submitted
    session.rollback()
    attempt = open_attempt(session, training_session=world["session"], person=world["people"][0], now=T0)
    paper = latest_paper(session, session_id=world["session"].id, person_id=world["people"][0].id)
    assert paper is not None and paper.attempt_id == attempt.id and not paper.submitted
    pm.register(FailingCertifier())
    with pytest.raises(LmsError, match="no certificate template"):
        submit_when_overdue(session, paper=paper, types=types, pm=pm, now=late)
