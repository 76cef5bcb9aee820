"""Re-exams (补考): who may sit again and when, tutoring records, and a trainee's result over all attempts.

The rules come from the course version (``reexam``): attempts allowed in all, days to wait after a failed attempt,
whether a tutoring record must come first, and how attempts combine into the result (highest, last, first,
average). Attempts count per training session: a re-exam is sat under the same session code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Attempt, AttemptStatus, CourseVersion, Person, TutoringRecord

DEFAULT_RULE: dict[str, Any] = {
    "max_attempts": 2,
    "wait_days": 1,
    "tutoring_required": True,
    "grading": "highest",
    "cap_percent": None,
}


def reexam_rule(version: CourseVersion) -> dict[str, Any]:
    """The course version's re-exam rule with the schema's defaults filled in."""
    return DEFAULT_RULE | (version.reexam or {})


def utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def local_day(moment: dt.datetime) -> dt.date:
    return utc(moment).astimezone().date()


def attempts_in_session(session: Session, *, person_id: int, session_id: int) -> list[Attempt]:
    statement = (
        select(Attempt)
        .where(Attempt.person_id == person_id, Attempt.session_id == session_id)
        .order_by(col(Attempt.number))
    )
    return list(session.exec(statement))


def combined_score(attempts: list[Attempt], method: str) -> float | None:
    """The trainee's score over graded attempts by the course's grading method (already capped per attempt)."""
    scores = [a.score for a in sorted(attempts, key=lambda a: a.number) if a.status == "graded" and a.score is not None]
    if not scores:
        return None
    if method == "last":
        return scores[-1]
    if method == "first":
        return scores[0]
    if method == "average":
        return round(sum(scores) / len(scores), 2)
    return max(scores)


@dataclass(frozen=True)
class Outlook:
    """Where a trainee stands on a session's assessment, and what comes next."""

    result: float | None
    passed: bool | None
    attempts_used: int
    attempts_allowed: int
    pending: bool
    may_retake: bool
    earliest_retake: dt.date | None
    tutoring_required: bool
    tutoring_done: bool
    grading: str


def _tutoring_done(session: Session, person_id: int, course_id: int, since: dt.date) -> bool:
    statement = select(TutoringRecord.id).where(
        TutoringRecord.person_id == person_id,
        TutoringRecord.course_id == course_id,
        TutoringRecord.held_on >= since,
    )
    return session.exec(statement.limit(1)).first() is not None


def outlook(session: Session, *, person_id: int, session_id: int, version: CourseVersion) -> Outlook:
    """The result so far by the grading method and whether, when and on what condition a re-exam is allowed."""
    rule = reexam_rule(version)
    attempts = attempts_in_session(session, person_id=person_id, session_id=session_id)
    result = combined_score(attempts, rule["grading"])
    passed = None if result is None else result >= version.pass_mark - 1e-9
    last = attempts[-1] if attempts else None
    pending = last is not None and last.status == AttemptStatus.submitted
    earliest = None
    tutoring_done = True
    if last is not None and last.status == AttemptStatus.graded and last.submitted_at is not None:
        failed_on = local_day(last.submitted_at)
        earliest = failed_on + dt.timedelta(days=int(rule["wait_days"]))
        if rule["tutoring_required"]:
            tutoring_done = _tutoring_done(session, person_id, version.course_id, failed_on)
    may_retake = (
        last is not None
        and not pending
        and last.status == AttemptStatus.graded
        and not passed
        and len(attempts) < int(rule["max_attempts"])
    )
    return Outlook(
        result=result,
        passed=passed,
        attempts_used=len(attempts),
        attempts_allowed=int(rule["max_attempts"]),
        pending=pending,
        may_retake=may_retake,
        earliest_retake=earliest if may_retake else None,
        tutoring_required=bool(rule["tutoring_required"]),
        tutoring_done=tutoring_done,
        grading=str(rule["grading"]),
    )


def check_new_attempt(
    session: Session, *, person_id: int, session_id: int, version: CourseVersion, today: dt.date
) -> int:
    """The number of the attempt the trainee may start now; LmsError saying why not otherwise."""
    state = outlook(session, person_id=person_id, session_id=session_id, version=version)
    if state.attempts_used == 0:
        return 1
    if state.pending:
        raise LmsError(_("your last attempt is waiting for the trainer's marks; no new attempt yet"))
    if state.passed:
        raise LmsError(_("you have already passed this assessment"))
    if not state.may_retake:
        raise LmsError(_("no attempts left: {allowed} allowed").format(allowed=state.attempts_allowed))
    if state.earliest_retake and today < state.earliest_retake:
        raise LmsError(_("the re-exam opens on {day}").format(day=state.earliest_retake.isoformat()))
    if state.tutoring_required and not state.tutoring_done:
        raise LmsError(_("a tutoring session must be recorded before the re-exam"))
    return state.attempts_used + 1


def record_tutoring(
    session: Session,
    *,
    person: Person,
    course_id: int,
    held_on: dt.date,
    session_id: int | None = None,
    tutor: Person | None = None,
    notes: str | None = None,
) -> TutoringRecord:
    """Record that ``person`` was tutored for a course (the re-exam may require it). The caller commits."""
    assert person.id is not None
    record = TutoringRecord(
        person_id=person.id,
        course_id=course_id,
        session_id=session_id,
        tutor_id=tutor.id if tutor else None,
        held_on=held_on,
        notes=notes,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        action="tutoring.recorded",
        entity="person",
        key=person.code,
        before=None,
        after={"course_id": course_id, "held_on": held_on.isoformat(), "tutor": tutor.code if tutor else None},
    )
    return record
