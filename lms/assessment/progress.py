"""Who on a session's roster has started the quiz and who has submitted: the trainer's live view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from lms.access.roles import Permission, require
from lms.models import Answer, Attempt, AttemptStatus, Person, RosterEntry
from lms.models.lookup import session_by_code


@dataclass(frozen=True)
class TraineeProgress:
    name: str
    masked_id: str
    state: str  # not_started, in_progress, submitted, graded
    answered: int
    questions: int
    started_at: dt.datetime | None
    submitted_at: dt.datetime | None
    passed: bool | None


def quiz_progress(session: Session, *, session_code: str) -> tuple[str, list[TraineeProgress]]:
    """The session's code and each rostered trainee's latest attempt, in roster order."""
    require(Permission.view_results)
    training = session_by_code(session, session_code)
    people = session.exec(
        select(Person).join(RosterEntry).where(RosterEntry.session_id == training.id).order_by(col(RosterEntry.id))
    ).all()
    latest: dict[int, Attempt] = {}
    for attempt in session.exec(
        select(Attempt).where(Attempt.session_id == training.id).order_by(col(Attempt.number))
    ).all():
        latest[attempt.person_id] = attempt
    counts = dict(
        session.exec(
            select(Answer.attempt_id, func.count())
            .where(col(Answer.attempt_id).in_([a.id for a in latest.values()]))
            .group_by(col(Answer.attempt_id))
        ).all()
    )
    rows = []
    for person in people:
        found = latest.get(person.id or 0)
        rows.append(
            TraineeProgress(
                name=person.name,
                masked_id=person.masked_id_number,
                state=found.status if found else "not_started",
                answered=counts.get(found.id or 0, 0) if found else 0,
                questions=len(found.question_ids or []) if found else 0,
                started_at=found.started_at if found else None,
                submitted_at=found.submitted_at if found else None,
                passed=found.passed if found and found.status == AttemptStatus.graded else None,
            )
        )
    return training.code, rows
