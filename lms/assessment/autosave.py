"""A trainee's paper one question at a time, as a phone asks for it: the latest attempt in one query, one question's
keyless view, and an autosave that writes one answer row in a transaction held for a few statements.

The questions come from the per-process cache of the course version (``paper_cache``), so a request reads only the
attempt and, for a page, the one answer shown. A save checks the attempt is still in progress inside its own write
transaction (SQLite's write lock, or a share lock on the attempt's row on PostgreSQL), so an answer is either saved
before a submit grades the attempt, or refused after it: never saved and then ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from lms.assessment.attempts import GRACE, AlreadySubmitted, submit_attempt
from lms.assessment.paper_cache import PaperDefinition, paper_definition
from lms.assessment.reexams import utc
from lms.db import begin_write
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Answer, Attempt, AttemptStatus, CourseVersion, Question
from lms.questions.attempt_view import question_view, stored_response
from lms.questions.types import QuestionType
from lms.questions.views import QuestionView

ANSWERS: Table = Answer.__table__  # type: ignore[attr-defined]

# Built once: every phone request runs them, and building a statement costs more than running it on SQLite.
_LATEST = (
    select_columns(
        col(Attempt.id),
        col(Attempt.status),
        col(Attempt.seed),
        col(Attempt.started_at),
        col(Attempt.question_ids),
        col(Attempt.course_version_id),
        col(CourseVersion.content_hash),
        col(CourseVersion.time_limit_minutes),
    )
    .join(CourseVersion, col(CourseVersion.id) == Attempt.course_version_id)
    .where(col(Attempt.session_id) == bindparam("session_id"), col(Attempt.person_id) == bindparam("person_id"))
    .order_by(col(Attempt.number).desc())
    .limit(1)
)
_ANSWER = select(Answer.response).where(
    Answer.attempt_id == bindparam("attempt_id"), Answer.question_id == bindparam("question_id")
)
_ANSWERS = select(Answer.question_id, Answer.response).where(Answer.attempt_id == bindparam("attempt_id"))
# The share lock (PostgreSQL) makes a submit wait for this save's commit, or this save see the submit's status.
_STATUS = select(Attempt.status).where(Attempt.id == bindparam("attempt_id")).with_for_update(read=True)


def _upsert(insert: Any) -> Any:
    return insert.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={"response": insert.excluded.response, "saved_at": insert.excluded.saved_at},
    )


_UPSERT = {"postgresql": _upsert(postgresql.insert(ANSWERS)), "sqlite": _upsert(sqlite.insert(ANSWERS))}


@dataclass(frozen=True)
class Paper:
    """The trainee's latest attempt as one request needs it: its state, its questions' order, its version."""

    attempt_id: int
    status: str
    seed: int
    started_at: dt.datetime
    question_ids: list[int]
    definition: PaperDefinition

    @property
    def submitted(self) -> bool:
        return self.status != AttemptStatus.in_progress

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def deadline(self) -> dt.datetime | None:
        minutes = self.definition.time_limit_minutes
        return utc(self.started_at) + dt.timedelta(minutes=minutes) if minutes else None

    def question(self, number: int) -> Question:
        """The ``number``-th question of the paper (1-based; the caller checks the range against ``total``)."""
        return self.definition.questions[self.question_ids[number - 1]]

    def view(self, number: int, types: dict[str, QuestionType], stored: Any = None) -> QuestionView:
        question = self.question(number)
        return question_view(question, types.get(question.qtype), number=number, seed=self.seed, stored=stored)


def latest_paper(session: Session, *, session_id: int, person_id: int) -> Paper | None:
    """The trainee's latest attempt in the session (in progress or not), or None before they start."""
    found = session.connection().execute(_LATEST, {"session_id": session_id, "person_id": person_id}).first()
    if found is None:
        return None
    attempt_id, status, seed, started_at, question_ids, version_id, content_hash, minutes = found
    ids = list(question_ids or [])
    definition = paper_definition(
        session, version_id=version_id, content_hash=content_hash, time_limit_minutes=minutes, question_ids=ids
    )
    return Paper(attempt_id or 0, status, seed, started_at, ids, definition)


def submit_when_overdue(
    session: Session, *, paper: Paper, types: dict[str, QuestionType], pm: Any, now: dt.datetime
) -> Paper:
    """The paper, submitted and graded first when its time ran out while nobody was looking (a closed window)."""
    ends = paper.deadline
    if paper.submitted or ends is None or now <= ends + GRACE:
        return paper
    try:
        submit_attempt(session, attempt_id=paper.attempt_id, types=types, pm=pm, now=ends)
    except AlreadySubmitted:
        pass  # another request submitted it a moment ago; any other failure must roll the submit mark back
    return replace(paper, status=AttemptStatus.submitted)


def stored_answer(session: Session, *, paper: Paper, number: int) -> Any:
    """The answer saved so far to the ``number``-th question, as stored (None when not answered)."""
    question_id = paper.question_ids[number - 1]
    return session.connection().execute(_ANSWER, {"attempt_id": paper.attempt_id, "question_id": question_id}).scalar()


def all_views(session: Session, *, paper: Paper, types: dict[str, QuestionType]) -> list[QuestionView]:
    """Every question of the paper with its saved answer (the review page; one query for the answers)."""
    saved = {row[0]: row[1] for row in session.connection().execute(_ANSWERS, {"attempt_id": paper.attempt_id})}
    return [
        paper.view(number, types, saved.get(question_id))
        for number, question_id in enumerate(paper.question_ids, start=1)
    ]


def save_answer_at(
    session: Session, *, paper: Paper, number: int, response: Any, types: dict[str, QuestionType], now: dt.datetime
) -> None:
    """Autosave the answer to the ``number``-th question, given against its view. The caller commits.

    Raises:
        LmsError: the attempt was submitted, or its time is up (a save on its way keeps ``GRACE`` seconds).
    """
    submitted = _("this attempt has been submitted; answers can no longer change")
    if paper.submitted:
        raise LmsError(submitted)
    ends = paper.deadline
    if ends is not None and now > ends + GRACE:
        raise LmsError(_("time is up; the attempt is being submitted"))
    question = paper.question(number)
    stored = stored_response(question, types.get(question.qtype), response)
    begin_write(session)
    connection = session.connection()
    if connection.execute(_STATUS, {"attempt_id": paper.attempt_id}).scalar() != AttemptStatus.in_progress:
        raise LmsError(submitted)
    values = {"attempt_id": paper.attempt_id, "question_id": question.id, "response": stored, "saved_at": now}
    connection.execute(_UPSERT[connection.dialect.name], values)
