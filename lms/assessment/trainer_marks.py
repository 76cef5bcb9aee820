"""What the trainer enters after a sitting: the practical score and marks for essays and checklists; and the
session's results by the course's grading method."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.assessment.attempts import identify_trainee
from lms.assessment.quizzes import grade_attempt, paper_questions
from lms.assessment.reexams import outlook
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Answer, Attempt, AttemptStatus, CourseVersion, Person, RosterEntry
from lms.models.lookup import session_by_code
from lms.questions.grading import parse_number
from lms.questions.types import QuestionType


def _parse_mark(text: str) -> tuple[str, str]:
    code, sep, value = text.partition("=")
    if not sep or not code.strip():
        raise LmsError(_("write a mark as QID=FRACTION, e.g. es-01=0.8"), field="--question")
    return code.strip(), value.strip()


def mark_attempt(
    session: Session,
    *,
    session_code: str,
    trainee: str,
    practical: float | None,
    marks: list[str],
    types: dict[str, QuestionType],
    pm: Any = None,
) -> Attempt:
    """Store the trainer's marks on the trainee's latest submitted attempt and grade it. The caller commits."""
    require(Permission.grade)
    training_session = session_by_code(session, session_code)
    person = identify_trainee(session, training_session=training_session, identity=trainee)
    attempt = session.exec(
        select(Attempt)
        .where(Attempt.person_id == person.id, Attempt.session_id == training_session.id)
        .where(col(Attempt.status).in_([AttemptStatus.submitted, AttemptStatus.graded]))
        .order_by(col(Attempt.number).desc())
    ).first()
    if attempt is None or attempt.id is None:
        raise LmsError(_("this trainee has no submitted attempt on this session"), field="--trainee")
    if practical is not None and not 0 <= practical <= 100:
        raise LmsError(_("the practical score lies between 0 and 100"), field="--practical")
    questions = {q.code: q for q in paper_questions(session, attempt)}
    answers = {a.question_id: a for a in session.exec(select(Answer).where(Answer.attempt_id == attempt.id))}
    entered: dict[str, Any] = {}
    for text in marks:
        code, value = _parse_mark(text)
        question = questions.get(code)
        if question is None or question.id is None:
            raise LmsError(_("{question} is not on this trainee's paper").format(question=code), field="--question")
        answer = answers.get(question.id) or Answer(attempt_id=attempt.id, question_id=question.id)
        number = parse_number(value)
        if number is not None:
            if not 0 <= number <= 1:
                raise LmsError(_("a mark is a fraction between 0 and 1"), field="--question")
            answer.fraction = number
        elif question.qtype == "checklist":
            answer.response = [item for item in re.split(r"[;,\s]+", value) if item]
        else:
            raise LmsError(_("{value!r} is not a number").format(value=value), field="--question")
        session.add(answer)
        entered[code] = value
    session.flush()
    before = {"score": attempt.score, "passed": attempt.passed, "practical": attempt.practical_score}
    grade_attempt(session, attempt=attempt, types=types, practical_score=practical, pm=pm)
    audit.record(
        session,
        action="attempt.marked",
        entity="attempt",
        key=str(attempt.id),
        before=before,
        after={"score": attempt.score, "passed": attempt.passed, "practical": attempt.practical_score, **entered},
    )
    return attempt


def session_results(session: Session, *, session_code: str) -> list[dict[str, Any]]:
    """Every rostered trainee: attempts, result by the grading method, whether and when a re-exam is open."""
    require(Permission.view_results)
    training_session = session_by_code(session, session_code)
    version = session.get(CourseVersion, training_session.course_version_id)
    assert version is not None and training_session.id is not None
    people = session.exec(
        select(Person).join(RosterEntry).where(RosterEntry.session_id == training_session.id).order_by(col(Person.code))
    ).all()
    rows = []
    for person in people:
        assert person.id is not None
        state = outlook(session, person_id=person.id, session_id=training_session.id, version=version)
        rows.append(
            {
                "trainee": person.code,
                "name": person.name,
                "attempts": state.attempts_used,
                "score": state.result,
                "passed": state.passed,
                "pending": state.pending,
                "earliest_retake": state.earliest_retake,
            }
        )
    return rows
