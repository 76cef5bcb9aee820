"""Recording a checked answer sheet: every trainee's attempt and answers written in a few bulk statements,
submitted with one conditional UPDATE per chunk and graded together (``lms.assessment.scoring.grade_attempts``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, col, func, select

from lms.assessment.scoring import grade_attempts
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Answer, Attempt, AttemptStatus, CourseVersion, Person, TrainingSession
from lms.questions.types import QuestionType

CHUNK = 500


@dataclass
class TraineeSheet:
    person: Person
    paper: Attempt | None = None  # the trainee's attempt in progress on the version (drawn on screen or printed)
    responses: dict[int, Any] = field(default_factory=dict)
    lines: dict[int, int] = field(default_factory=dict)  # question id -> line in the file, in file order


def sheet_attempts(
    session: Session,
    sheets: list[TraineeSheet],
    papers: dict[int, Attempt],
    version: CourseVersion,
    training_session: TrainingSession | None,
) -> dict[int, Attempt]:
    """Each trainee's attempt for the sheet, by person id: the drawn paper, or a new (unsaved) attempt numbered after
    their last one on this version and session — so a re-exam on paper is numbered, and capped, as on screen."""
    session_id = training_session.id if training_session else None
    same_session = col(Attempt.session_id).is_(None) if session_id is None else col(Attempt.session_id) == session_id
    statement = select(Attempt.person_id, func.max(Attempt.number)).where(
        Attempt.course_version_id == version.id, same_session
    )
    taken: dict[int, int] = {row[0]: row[1] for row in session.exec(statement.group_by(col(Attempt.person_id)))}
    attempts: dict[int, Attempt] = {}
    for sheet in sheets:
        person_id = sheet.person.id or 0
        attempts[person_id] = papers.get(person_id) or Attempt(
            person_id=person_id,
            course_version_id=version.id or 0,
            session_id=session_id,
            number=(taken.get(person_id) or 0) + 1,
            seed=0,
            question_ids=list(sheet.lines),
        )
    return attempts


def sheet_answers(
    session: Session, sheets: list[TraineeSheet], attempts: dict[int, Attempt]
) -> dict[int, dict[int, tuple[Any, float | None]]]:
    """The answers grading sees once the sheets are recorded, by person id: ``{question id: (response, trainer's
    mark)}``, each sheet's responses over its drawn paper's stored answers, whose trainer's marks stay."""
    by_attempt = {attempt.id: person_id for person_id, attempt in attempts.items() if attempt.id is not None}
    stored: dict[int, dict[int, tuple[Any, float | None]]] = {person_id: {} for person_id in attempts}
    drawn = list(by_attempt)
    for start in range(0, len(drawn), CHUNK):
        statement = select(Answer.attempt_id, Answer.question_id, Answer.response, Answer.fraction)
        for attempt_id, question_id, response, fraction in session.exec(
            statement.where(col(Answer.attempt_id).in_(drawn[start : start + CHUNK]))
        ):
            stored[by_attempt[attempt_id]][question_id] = (response, fraction)
    for sheet in sheets:
        answers = stored[sheet.person.id or 0]
        for question_id, response in sheet.responses.items():
            answers[question_id] = (response, answers.get(question_id, (None, None))[1])
    return stored


def record_sheets(
    session: Session,
    sheets: list[TraineeSheet],
    papers: dict[int, Attempt],
    version: CourseVersion,
    training_session: TrainingSession | None,
    types: dict[str, QuestionType],
    pm: Any,
) -> dict[int, Attempt]:
    """Store every trainee's answers and submit their attempts in a few bulk statements, then grade them together."""
    attempts = sheet_attempts(session, sheets, papers, version, training_session)
    session.add_all(attempts.values())
    session.flush()
    existing: dict[tuple[int, int], int] = {}
    drawn = [attempt.id for attempt in papers.values()]
    for start in range(0, len(drawn), CHUNK):
        chunk = drawn[start : start + CHUNK]
        rows = session.exec(
            select(Answer.id, Answer.attempt_id, Answer.question_id).where(col(Answer.attempt_id).in_(chunk))
        )
        existing |= {(attempt_id, question_id): answer_id or 0 for answer_id, attempt_id, question_id in rows}
    now = dt.datetime.now(dt.UTC)
    inserts, updates = [], []
    for sheet in sheets:
        attempt_id = attempts[sheet.person.id or 0].id or 0
        for question_id, response in sheet.responses.items():
            answer_id = existing.get((attempt_id, question_id))
            if answer_id is None:
                inserts.append(
                    {"attempt_id": attempt_id, "question_id": question_id, "response": response, "saved_at": now}
                )
            else:
                updates.append({"answer_id": answer_id, "response": response})
    connection = session.connection()
    if inserts:
        connection.execute(insert(Answer), inserts)
    for row in updates:
        connection.execute(update(Answer).where(col(Answer.id) == row["answer_id"]).values(response=row["response"]))
    ids = [attempt.id for attempt in attempts.values()]
    submitted = 0
    for start in range(0, len(ids), CHUNK):
        submitted += connection.execute(
            update(Attempt)
            .where(col(Attempt.id).in_(ids[start : start + CHUNK]), col(Attempt.status) == AttemptStatus.in_progress)
            .values(status=AttemptStatus.submitted, submitted_at=now)
        ).rowcount  # type: ignore[attr-defined]
    if submitted != len(ids):
        raise LmsError(_("some of these attempts were submitted meanwhile; nothing was recorded"))
    for attempt in attempts.values():
        attempt.submitted_at = now
    grade_attempts(session, attempts=list(attempts.values()), types=types, pm=pm)
    return attempts
