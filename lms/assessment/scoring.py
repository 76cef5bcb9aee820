"""Scoring attempts — one, or thousands in a batch with a handful of queries and bulk updates.

Each answer gets the fraction its question type's grader gives; a trainer's mark stands where the type is graded by
hand (essay, checklist). The written score is the share of points earned; written and practical parts combine by
the course weights; the re-exam cap (``reexam.cap_percent``) applies to attempts after the first. While a trainer's
mark or the practical score is missing the attempt stays ``submitted`` with no score; otherwise it becomes
``graded`` and ``lms_attempt_graded`` fires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from lms.models import Answer, Attempt, AttemptStatus, CourseVersion, Question
from lms.questions.types import QuestionType

Grader = Callable[[Any], float | None]
CHUNK = 500


@dataclass(frozen=True)
class Outcome:
    fractions: dict[int, float | None]
    written: float | None
    score: float | None
    passed: bool | None
    pending: bool


def _empty(response: Any) -> bool:
    return response is None or response == "" or response == [] or response == {}


def outcome(
    attempt: Attempt,
    version: CourseVersion,
    questions: dict[int, Question],
    answers: dict[int, tuple[Any, float | None]],
    types: dict[str, QuestionType],
    graders: dict[int, Grader],
    practical: float | None,
) -> Outcome:
    """The score of one attempt from its answers ``{question id: (response, trainer's fraction)}``."""
    fractions: dict[int, float | None] = {}
    earned = possible = 0.0
    pending = False
    for question_id in attempt.question_ids or []:
        question = questions[question_id]
        question_type = types[question.qtype]
        if not question_type.graded:
            continue
        possible += question.points
        grader = graders.get(question_id)
        if grader is None:
            grader = graders[question_id] = question_type.grader(question.data or {})
        response, marked = answers.get(question_id, (None, None))
        fraction = grader(response)
        if fraction is None:
            fraction = marked
        if fraction is None and question_type.answered_by == "trainee" and _empty(response):
            fraction = 0.0  # nothing to mark
        fractions[question_id] = fraction
        if fraction is None:
            pending = True
        else:
            earned += question.points * fraction
    written = 100 * earned / possible if possible else 0.0
    if pending or (version.practical_weight and practical is None):
        return Outcome(fractions, None if pending else round(written, 2), None, None, True)
    score = written * version.written_weight + (practical or 0.0) * version.practical_weight
    cap = (version.reexam or {}).get("cap_percent")
    if attempt.number > 1 and cap is not None:
        score = min(score, cap)
    return Outcome(fractions, round(written, 2), round(score, 2), round(score, 2) >= version.pass_mark - 1e-9, False)


def _load(session: Session, attempts: Sequence[Attempt]) -> tuple[dict[int, Question], dict[int, dict[int, Any]]]:
    ids = sorted({question_id for attempt in attempts for question_id in attempt.question_ids or []})
    questions: dict[int, Question] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        questions |= {q.id or 0: q for q in session.exec(select(Question).where(col(Question.id).in_(chunk)))}
    answers: dict[int, dict[int, Any]] = {attempt.id or 0: {} for attempt in attempts}
    attempt_ids = list(answers)
    for start in range(0, len(attempt_ids), CHUNK):
        chunk = attempt_ids[start : start + CHUNK]
        columns = (Answer.id, Answer.attempt_id, Answer.question_id, Answer.response, Answer.fraction)
        rows = session.connection().execute(
            sa_select(*(col(c) for c in columns)).where(col(Answer.attempt_id).in_(chunk))
        )
        for answer_id, attempt_id, question_id, response, fraction in rows:
            answers[attempt_id][question_id] = (response, fraction, answer_id)
    return questions, answers


def grade_attempts(
    session: Session,
    *,
    attempts: Sequence[Attempt],
    types: dict[str, QuestionType],
    pm: Any = None,
    practical_scores: dict[int, float] | None = None,
) -> list[Attempt]:
    """Score every attempt and store answers' fractions and attempts' results. The caller commits."""
    session.flush()
    questions, answers = _load(session, attempts)
    versions: dict[int, CourseVersion] = {}
    graders: dict[int, Grader] = {}
    updates, graded = [], []
    now = dt.datetime.now(dt.UTC)
    for attempt in attempts:
        version = versions.get(attempt.course_version_id) or session.get(CourseVersion, attempt.course_version_id)
        assert version is not None and attempt.id is not None
        versions[attempt.course_version_id] = version
        given = answers[attempt.id]
        practical = (practical_scores or {}).get(attempt.id, attempt.practical_score)
        result = outcome(
            attempt, version, questions, {q: row[:2] for q, row in given.items()}, types, graders, practical
        )
        for question_id, fraction in result.fractions.items():
            row = given.get(question_id)
            if row is not None and row[1] != fraction:
                updates.append({"answer_id": row[2], "value": fraction})
        attempt.practical_score = practical
        attempt.submitted_at = attempt.submitted_at or now
        attempt.written_score, attempt.score, attempt.passed = result.written, result.score, result.passed
        attempt.status = AttemptStatus.submitted if result.pending else AttemptStatus.graded
        if not result.pending:
            graded.append(attempt)
    if updates:
        statement = text("UPDATE answer SET fraction = :value WHERE id = :answer_id")
        session.connection().execute(statement.bindparams(bindparam("value"), bindparam("answer_id")), updates)
        changed = {row["answer_id"] for row in updates}
        for instance in list(session.identity_map.values()):
            if isinstance(instance, Answer) and instance.id in changed:
                session.expire(instance, ["fraction"])
    session.flush()
    if pm is not None:
        for attempt in graded:
            pm.hook.lms_attempt_graded(session=session, attempt=attempt, pm=pm)
    return list(attempts)


def grade_attempt(
    session: Session,
    *,
    attempt: Attempt,
    types: dict[str, QuestionType],
    practical_score: float | None = None,
    pm: Any = None,
) -> Attempt:
    """Score one attempt (see the module docstring); ``practical_score`` replaces the recorded one when given."""
    practical = {attempt.id or 0: practical_score} if practical_score is not None else None
    return grade_attempts(session, attempts=[attempt], types=types, pm=pm, practical_scores=practical)[0]
