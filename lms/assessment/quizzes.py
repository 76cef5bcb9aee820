"""Quiz assembly: a per-trainee draw from a recorded seed, attempts and their answers (scoring:
``lms.assessment.scoring``)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from lms.assessment.scoring import grade_attempt, grade_attempts
from lms.models import Answer, Attempt, CourseModule, CourseVersion, Question
from lms.models.lookup import course_by_code

__all__ = [
    "answers_by_question",
    "current_version",
    "draw_questions",
    "grade_attempt",
    "grade_attempts",
    "paper_questions",
    "save_answer",
    "start_attempt",
]


def draw_questions(session: Session, version: CourseVersion, seed: int) -> list[int]:
    """The question ids of one paper: the blueprint's draws (or the whole graded bank), in an order fixed by
    ``seed``. Reads only the columns a draw needs (not each question's text and data)."""
    questions = (
        session.connection()
        .execute(
            select_columns(col(Question.id), col(Question.points), col(Question.module_id), col(Question.curriculum))
            .where(col(Question.course_version_id) == version.id)
            .order_by(col(Question.id))
        )
        .all()
    )
    modules = {
        m.id: m.code for m in session.exec(select(CourseModule).where(CourseModule.course_version_id == version.id))
    }
    rng = random.Random(seed)
    graded = [q for q in questions if q.points > 0]
    if not version.blueprint:
        chosen = list(graded)
    else:
        chosen = []
        for draw in version.blueprint:
            pool = [
                q
                for q in graded
                if q not in chosen
                and (
                    modules[q.module_id] == draw["module"] if draw.get("module") else q.curriculum == draw["curriculum"]
                )
            ]
            chosen.extend(rng.sample(pool, draw["count"]))
    rng.shuffle(chosen)
    return [q.id for q in chosen if q.id is not None]


def start_attempt(
    session: Session,
    *,
    person_id: int,
    version: CourseVersion,
    session_id: int | None,
    seed: int,
    number: int = 1,
) -> Attempt:
    assert version.id is not None
    attempt = Attempt(
        person_id=person_id,
        course_version_id=version.id,
        session_id=session_id,
        number=number,
        seed=seed,
        question_ids=draw_questions(session, version, seed),
    )
    session.add(attempt)
    session.flush()
    return attempt


def save_answer(session: Session, *, attempt: Attempt, question_id: int, response: Any) -> Answer:
    """Store (or replace) one answer as the trainee gives it."""
    assert attempt.id is not None
    answer = session.exec(
        select(Answer).where(Answer.attempt_id == attempt.id, Answer.question_id == question_id)
    ).first()
    if answer is None:
        answer = Answer(attempt_id=attempt.id, question_id=question_id, response=response)
        session.add(answer)
    else:
        answer.response = response
        answer.saved_at = dt.datetime.now(dt.UTC)
    session.flush()
    return answer


def paper_questions(session: Session, attempt: Attempt) -> list[Question]:
    """The questions of an attempt in the order of its paper."""
    ids = attempt.question_ids or []
    rows = {q.id: q for q in session.exec(select(Question).where(col(Question.id).in_(ids)))}
    return [rows[question_id] for question_id in ids]


def answers_by_question(session: Session, attempt: Attempt) -> dict[int, Answer]:
    return {a.question_id: a for a in session.exec(select(Answer).where(Answer.attempt_id == attempt.id))}


def current_version(session: Session, course_code: str) -> CourseVersion:
    course = course_by_code(session, course_code)
    version = session.exec(
        select(CourseVersion).where(CourseVersion.course_id == course.id).order_by(col(CourseVersion.version).desc())
    ).first()
    assert version is not None
    return version
