"""Quiz assembly and grading: a per-trainee draw from a recorded seed, scoring by question type, pass or fail."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlmodel import Session, col, select

from lms.models import Answer, Attempt, AttemptStatus, CourseModule, CourseVersion, Question
from lms.question_types import QuestionType


def draw_questions(session: Session, version: CourseVersion, seed: int) -> list[Question]:
    """The questions of one paper: the blueprint's draws (or the whole graded bank), in an order fixed by ``seed``."""
    questions = session.exec(
        select(Question).where(Question.course_version_id == version.id).order_by(col(Question.id))
    ).all()
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
    return chosen


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
    questions = draw_questions(session, version, seed)
    attempt = Attempt(
        person_id=person_id,
        course_version_id=version.id,
        session_id=session_id,
        number=number,
        seed=seed,
        question_ids=[q.id for q in questions if q.id is not None],
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


def grade_attempt(
    session: Session,
    *,
    attempt: Attempt,
    types: dict[str, QuestionType],
    practical_score: float | None = None,
    pm: Any = None,
) -> Attempt:
    """Score every answer, combine written and practical parts by the course weights, decide pass or fail.

    The re-exam cap (``reexam.cap_percent``) applies to attempts after the first. Fires ``lms_attempt_graded``.
    """
    version = session.get(CourseVersion, attempt.course_version_id)
    assert version is not None
    questions = {
        q.id: q for q in session.exec(select(Question).where(col(Question.id).in_(attempt.question_ids or [])))
    }
    answers = {a.question_id: a for a in session.exec(select(Answer).where(Answer.attempt_id == attempt.id))}
    earned = possible = 0.0
    for question_id in attempt.question_ids or []:
        question = questions[question_id]
        question_type = types[question.qtype]
        if not question_type.graded:
            continue
        possible += question.points
        answer = answers.get(question_id)
        fraction = question_type.grade(question.data or {}, answer.response if answer else None)
        if answer is not None:
            if fraction is None:
                fraction = answer.fraction  # graded by the trainer (essay): keep their mark
            answer.fraction = fraction
        earned += question.points * (fraction or 0.0)
    written = 100 * earned / possible if possible else 0.0
    score = written * version.written_weight
    if version.practical_weight:
        score += (practical_score or 0.0) * version.practical_weight
    cap = (version.reexam or {}).get("cap_percent")
    if attempt.number > 1 and cap is not None:
        score = min(score, cap)
    attempt.written_score = round(written, 2)
    attempt.practical_score = practical_score
    attempt.score = round(score, 2)
    attempt.passed = attempt.score >= version.pass_mark - 1e-9
    attempt.status = AttemptStatus.graded
    attempt.submitted_at = attempt.submitted_at or dt.datetime.now(dt.UTC)
    session.flush()
    if pm is not None:
        pm.hook.lms_attempt_graded(session=session, attempt=attempt)
    return attempt
