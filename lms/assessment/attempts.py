"""A trainee's sitting from start to result: identify from the roster, open or resume an attempt, autosave each
answer, submit once, grade.

Submitting is a conditional UPDATE on the attempt's status, so two submits racing each other (two windows, a
double click, a browser and a terminal) grade the attempt once: the second finds it no longer in progress.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from lms.assessment.quizzes import answers_by_question, grade_attempt, paper_questions, save_answer, start_attempt
from lms.assessment.reexams import check_new_attempt, utc
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.models import Attempt, AttemptStatus, CourseVersion, Person, RosterEntry, SessionStatus, TrainingSession
from lms.questions.attempt_view import question_view, stored_response
from lms.questions.types import QuestionType
from lms.questions.views import QuestionView

GRACE = dt.timedelta(seconds=30)  # a save on its way when the clock runs out still counts


class AmbiguousTrainee(LmsError):
    """Several trainees on the roster share the name given: ask for the last four characters of the ID number."""


class AlreadySubmitted(LmsError):
    """The attempt is no longer in progress: another submit (a window, a request, the clock) got there first."""


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def identify_trainee(
    session: Session, *, training_session: TrainingSession, identity: str, last4: str | None = None
) -> Person:
    """The rostered trainee named by ID number (or person code), or by name; a shared name needs ``last4``."""
    wanted = _fold(identity)
    if not wanted:
        raise LmsError(_("enter your ID number or your name"))
    roster = session.exec(
        select(Person).join(RosterEntry).where(RosterEntry.session_id == training_session.id).order_by(col(Person.id))
    ).all()
    for person in roster:
        if wanted in {_fold(person.id_number or "\0"), _fold(person.code)}:
            return person
    named = [p for p in roster if wanted in {_fold(p.name), _fold(p.name_en or "\0")}]
    if len(named) > 1 and last4:
        named = [p for p in named if _fold(p.id_number or "").endswith(_fold(last4))]
        if not named:
            raise LmsError(_("those four characters do not match: check your ID number"))
    if len(named) > 1:
        raise AmbiguousTrainee(_("several trainees have this name: enter the last 4 characters of your ID number"))
    if not named:
        raise LmsError(_("not on the roster of this session: check your ID number or name, or ask the trainer"))
    return named[0]


def open_attempt(
    session: Session,
    *,
    training_session: TrainingSession,
    person: Person,
    now: dt.datetime | None = None,
    seed: int | None = None,
    on_paper: bool = False,
) -> Attempt:
    """Resume the trainee's attempt in progress, or start the next one the re-exam rules allow.

    ``on_paper``: for printing. On screen (the default), an attempt so far only printed starts its clock now: the
    time limit counts from when the trainee opens it, not from when the trainer printed the papers."""
    assert person.id is not None and training_session.id is not None
    version = session.get(CourseVersion, training_session.course_version_id)
    assert version is not None
    existing = session.exec(
        select(Attempt).where(
            Attempt.person_id == person.id,
            Attempt.session_id == training_session.id,
            Attempt.status == AttemptStatus.in_progress,
        )
    ).first()
    if existing is not None:
        if not on_paper and existing.printed_at is not None and utc(existing.printed_at) == utc(existing.started_at):
            existing.started_at = now or dt.datetime.now(dt.UTC)
        return existing
    if training_session.status == SessionStatus.cancelled:
        raise LmsError(_("this session was cancelled; there is no assessment to sit"))
    now = now or dt.datetime.now(dt.UTC)
    number = check_new_attempt(
        session,
        person_id=person.id,
        session_id=training_session.id,
        version=version,
        today=now.astimezone().date(),
    )
    try:
        with session.begin_nested():
            attempt = start_attempt(
                session,
                person_id=person.id,
                version=version,
                session_id=training_session.id,
                seed=secrets.randbelow(2**31) if seed is None else seed,
                number=number,
            )
            attempt.started_at = now
    except IntegrityError:
        # Another window started the same attempt a moment ago: carry on with that one.
        return open_attempt(
            session, training_session=training_session, person=person, now=now, seed=seed, on_paper=on_paper
        )
    return attempt


def deadline(session: Session, attempt: Attempt) -> dt.datetime | None:
    """When the attempt's time runs out (the course version's time limit), or None without a limit."""
    version = session.get(CourseVersion, attempt.course_version_id)
    if version is None or not version.time_limit_minutes:
        return None
    return utc(attempt.started_at) + dt.timedelta(minutes=version.time_limit_minutes)


def attempt_views(session: Session, *, attempt: Attempt, types: dict[str, QuestionType]) -> list[QuestionView]:
    """Every question of the attempt as the trainee sees it, with the answers saved so far; no keys."""
    answers = answers_by_question(session, attempt)
    views = []
    for number, question in enumerate(paper_questions(session, attempt), start=1):
        answer = answers.get(question.id or 0)
        views.append(
            question_view(
                question,
                types.get(question.qtype),
                number=number,
                seed=attempt.seed,
                stored=answer.response if answer else None,
            )
        )
    return views


def _in_progress(session: Session, attempt_id: int) -> Attempt:
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFoundError(_("no such attempt"))
    if attempt.status != AttemptStatus.in_progress:
        raise LmsError(_("this attempt has been submitted; answers can no longer change"))
    return attempt


def record_response(
    session: Session,
    *,
    attempt_id: int,
    question_id: int,
    response: Any,
    types: dict[str, QuestionType],
    now: dt.datetime | None = None,
) -> None:
    """Autosave one answer given against the question's view (stable ids). The caller commits."""
    attempt = _in_progress(session, attempt_id)
    if question_id not in (attempt.question_ids or []):
        raise LmsError(_("this question is not on your paper"))
    ends = deadline(session, attempt)
    if ends is not None and (now or dt.datetime.now(dt.UTC)) > ends + GRACE:
        raise LmsError(_("time is up; the attempt is being submitted"))
    question = next(q for q in paper_questions(session, attempt) if q.id == question_id)
    stored = stored_response(question, types.get(question.qtype), response)
    save_answer(session, attempt=attempt, question_id=question_id, response=stored)


def submit_attempt(
    session: Session,
    *,
    attempt_id: int,
    types: dict[str, QuestionType],
    pm: Any = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Submit once and grade; a second submit (or a racing one) is refused. The caller commits."""
    now = now or dt.datetime.now(dt.UTC)
    result = session.connection().execute(
        update(Attempt)
        .where(col(Attempt.id) == attempt_id, col(Attempt.status) == AttemptStatus.in_progress)
        .values(status=AttemptStatus.submitted, submitted_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadySubmitted(_("this attempt was already submitted"))
    attempt = session.get(Attempt, attempt_id)
    assert attempt is not None
    session.refresh(attempt)
    return grade_attempt(session, attempt=attempt, types=types, pm=pm)


def submit_if_overdue(
    session: Session, *, attempt: Attempt, types: dict[str, QuestionType], pm: Any = None, now: dt.datetime
) -> Attempt | None:
    """Submit an attempt whose time ran out while nobody was looking (a closed window); None if still open."""
    ends = deadline(session, attempt)
    if attempt.status != AttemptStatus.in_progress or ends is None or now <= ends + GRACE:
        return None
    assert attempt.id is not None
    return submit_attempt(session, attempt_id=attempt.id, types=types, pm=pm, now=ends)
