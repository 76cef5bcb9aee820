"""What a trainee's screen may know about their sitting: who they are (masked), their questions as keyless views,
their own result and what comes next. Everything here is plain data built for one trainee; no answer key and no
other trainee's result is ever part of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.assessment.attempts import (
    attempt_views,
    deadline,
    identify_trainee,
    open_attempt,
    record_response,
    submit_attempt,
    submit_if_overdue,
)
from lms.assessment.reexams import outlook, reexam_rule
from lms.errors import NotFoundError
from lms.i18n import _
from lms.models import Attempt, AttemptStatus, Course, CourseVersion, Person, TrainingSession
from lms.models.lookup import session_by_code
from lms.questions.types import QuestionType
from lms.questions.views import QuestionView


@dataclass(frozen=True)
class TraineeCard:
    """Shown before starting, so trainees see that the system found them (ID number masked)."""

    person_id: int
    session_id: int
    session_code: str
    name: str
    masked_id: str
    course: dict[str, str]


@dataclass(frozen=True)
class Sitting:
    attempt_id: int
    number: int
    name: str
    course: dict[str, str]
    deadline: dt.datetime | None
    questions: list[QuestionView]
    submitted: bool


@dataclass(frozen=True)
class ResultView:
    """The trainee's own result and next steps."""

    name: str
    number: int
    graded: bool
    written_score: float | None
    score: float | None
    passed: bool | None
    pass_mark: float
    combined: float | None
    combined_passed: bool | None
    grading: str
    attempts_used: int
    attempts_allowed: int
    may_retake: bool
    earliest_retake: dt.date | None
    tutoring_required: bool
    tutoring_done: bool
    cap_percent: float | None


def _course(session: Session, version: CourseVersion) -> dict[str, str]:
    course = session.get(Course, version.course_id)
    assert course is not None
    return {"zh": course.title_zh, "en": course.title_en}


def who(session: Session, *, session_code: str, identity: str, last4: str | None = None) -> TraineeCard:
    """Identify a rostered trainee (AmbiguousTrainee asks for the ID number's last four characters)."""
    training_session = session_by_code(session, session_code)
    person = identify_trainee(session, training_session=training_session, identity=identity, last4=last4)
    version = session.get(CourseVersion, training_session.course_version_id)
    assert version is not None and person.id is not None and training_session.id is not None
    return TraineeCard(
        person_id=person.id,
        session_id=training_session.id,
        session_code=training_session.code,
        name=person.name,
        masked_id=person.masked_id_number,
        course=_course(session, version),
    )


def card_of(session: Session, *, session_id: int, person_id: int) -> TraineeCard:
    """The card of a trainee already identified (by their own access code, not by a typed name)."""
    training_session = session.get(TrainingSession, session_id)
    person = session.get(Person, person_id)
    if training_session is None or person is None:
        raise NotFoundError(_("no such trainee or session"))
    version = session.get(CourseVersion, training_session.course_version_id)
    assert version is not None
    return TraineeCard(
        person_id=person_id,
        session_id=session_id,
        session_code=training_session.code,
        name=person.name,
        masked_id=person.masked_id_number,
        course=_course(session, version),
    )


def latest_attempt(session: Session, *, session_id: int, person_id: int) -> Attempt | None:
    """The trainee's latest attempt in this session, in progress or not."""
    return session.exec(
        select(Attempt)
        .where(Attempt.session_id == session_id, Attempt.person_id == person_id)
        .order_by(col(Attempt.number).desc())
    ).first()


def begin(session: Session, *, card: TraineeCard, types: dict[str, QuestionType], pm: Any, now: dt.datetime) -> Sitting:
    """Resume the attempt in progress or start the next one; a sitting whose time ran out is submitted first."""
    attempt = open_sitting(session, session_id=card.session_id, person_id=card.person_id, types=types, pm=pm, now=now)
    return sitting(session, attempt=attempt, types=types)


def open_sitting(
    session: Session, *, session_id: int, person_id: int, types: dict[str, QuestionType], pm: Any, now: dt.datetime
) -> Attempt:
    """``begin`` without building the sitting's views (a phone asks for one question at a time)."""
    training_session = session.get(TrainingSession, session_id)
    person = session.get(Person, person_id)
    if training_session is None or person is None:
        raise NotFoundError(_("no such trainee or session"))
    attempt = open_attempt(session, training_session=training_session, person=person, now=now)
    return submit_if_overdue(session, attempt=attempt, types=types, pm=pm, now=now) or attempt


def sitting(session: Session, *, attempt: Attempt, types: dict[str, QuestionType]) -> Sitting:
    version = session.get(CourseVersion, attempt.course_version_id)
    person = session.get(Person, attempt.person_id)
    assert version is not None and person is not None and attempt.id is not None
    return Sitting(
        attempt_id=attempt.id,
        number=attempt.number,
        name=person.name,
        course=_course(session, version),
        deadline=deadline(session, attempt),
        questions=attempt_views(session, attempt=attempt, types=types),
        submitted=attempt.status != AttemptStatus.in_progress,
    )


def save(
    session: Session,
    *,
    attempt_id: int,
    question_id: int,
    response: Any,
    types: dict[str, QuestionType],
    now: dt.datetime,
) -> None:
    record_response(session, attempt_id=attempt_id, question_id=question_id, response=response, types=types, now=now)


def submit(session: Session, *, attempt_id: int, types: dict[str, QuestionType], pm: Any, now: dt.datetime) -> None:
    submit_attempt(session, attempt_id=attempt_id, types=types, pm=pm, now=now)


def result(session: Session, *, attempt_id: int) -> ResultView:
    """The trainee's result on this attempt, over their attempts so far, and whether and when a re-exam opens."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFoundError(_("no such attempt"))
    version = session.get(CourseVersion, attempt.course_version_id)
    person = session.get(Person, attempt.person_id)
    assert version is not None and person is not None and person.id is not None
    state = outlook(session, person_id=person.id, session_id=attempt.session_id or 0, version=version)
    rule = reexam_rule(version)
    return ResultView(
        name=person.name,
        number=attempt.number,
        graded=attempt.status == AttemptStatus.graded,
        written_score=attempt.written_score,
        score=attempt.score,
        passed=attempt.passed,
        pass_mark=version.pass_mark,
        combined=state.result,
        combined_passed=state.passed,
        grading=state.grading,
        attempts_used=state.attempts_used,
        attempts_allowed=state.attempts_allowed,
        may_retake=state.may_retake,
        earliest_retake=state.earliest_retake,
        tutoring_required=state.tutoring_required,
        tutoring_done=state.tutoring_done,
        cap_percent=rule.get("cap_percent"),
    )
