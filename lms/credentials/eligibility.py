"""Who may be certified: the one rule every issuing path asks (the pass hook, ``lms certs issue``, the evidence).

A passed attempt earns its certificate only when its trainee is on the session's roster and attended as the course
asks (``attendance`` in the course YAML; by default every day of the session). An attempt outside any session (a
self-study sitting) is judged by its pass alone: there is no roster or attendance to hold it against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from lms.i18n import _
from lms.models import Attempt, Attendance, Certificate, CourseVersion, Person, RosterEntry, SessionDay, TrainingSession

EVERY_DAY = 1.0


@dataclass(frozen=True)
class Refusal:
    """A trainee who passed but gets no certificate, and why."""

    person_code: str
    name: str
    session: str
    reason: str


def attendance_share(version: CourseVersion | None) -> float:
    """The share of a session's days a trainee must attend (1.0: every day), from the course's ``attendance``."""
    return share_of_rule(((version.spec if version else None) or {}).get("attendance"))


def share_of_rule(rule: dict[str, Any] | None) -> float:
    """The share a course's ``attendance`` rule asks for (none: every day); for callers that read only the rule."""
    return float((rule or {}).get("min_share", EVERY_DAY))


def days_required(share: float, days: int) -> int:
    """Whole days needed: 2 of 3 days for a share of 0.6, all of them for 1.0."""
    return max(1, math.ceil(share * days - 1e-9)) if days else 0


def attended_as_required(*, rostered: bool, days_present: int, days: int, share: float) -> bool:
    """The attendance rule of certification, for one trainee of one session: on its roster, and present on at least
    the share of its days the course asks for. Both the per-attempt check below and the set-based obligation
    checks (``lms.projects.session_facts``) apply it."""
    return rostered and days_present >= days_required(share, days)


def attendance_problems(
    session: Session, training: TrainingSession, person_ids: Iterable[int], share: float
) -> dict[int, str]:
    """Why each of ``person_ids`` may not be certified from ``training`` (roster, attendance); those who may are left
    out. Three queries, however many people."""
    wanted = set(person_ids)
    if not wanted:
        return {}
    rostered = set(
        session.exec(
            select(RosterEntry.person_id).where(
                RosterEntry.session_id == training.id, col(RosterEntry.person_id).in_(wanted)
            )
        )
    )
    day_ids = list(session.exec(select(SessionDay.id).where(SessionDay.session_id == training.id)))
    present: dict[int, int] = dict(
        session.exec(  # type: ignore[arg-type]
            select(Attendance.person_id, func.count(col(Attendance.id)))
            .where(
                col(Attendance.session_day_id).in_(day_ids),
                col(Attendance.person_id).in_(wanted),
                Attendance.present == True,  # noqa: E712
            )
            .group_by(col(Attendance.person_id))
        ).all()
    )
    needed = days_required(share, len(day_ids))  # for the message; the rule is attended_as_required
    problems = {}
    for person_id in wanted:
        if person_id not in rostered:
            person = session.get(Person, person_id)
            problems[person_id] = _("{person} is not on the roster of session {session}").format(
                person=person.code if person else person_id, session=training.code
            )
        elif not attended_as_required(
            rostered=True, days_present=present.get(person_id, 0), days=len(day_ids), share=share
        ):
            problems[person_id] = (
                _("attended {present} of {days} days; the course asks for every day")
                if share >= EVERY_DAY
                else _("attended {present} of {days} days; the course asks for at least {needed}")
            ).format(present=present.get(person_id, 0), days=len(day_ids), needed=needed)
    return problems


def certificate_refusal(session: Session, attempt: Attempt) -> str | None:
    """Why this attempt earns no certificate (not passed, not rostered, not attended enough), or None if it does."""
    if not attempt.passed:
        return _("did not pass")
    if attempt.session_id is None:
        return None
    training = session.get(TrainingSession, attempt.session_id)
    if training is None:
        return None
    version = session.get(CourseVersion, attempt.course_version_id)
    return attendance_problems(session, training, [attempt.person_id], attendance_share(version)).get(attempt.person_id)


def refusal_of(session: Session, attempt: Attempt) -> Refusal | None:
    """:func:`certificate_refusal` with the trainee and session named, for listing."""
    reason = certificate_refusal(session, attempt)
    if reason is None:
        return None
    person = session.get(Person, attempt.person_id)
    training = session.get(TrainingSession, attempt.session_id) if attempt.session_id else None
    return Refusal(
        person.code if person else "", person.name if person else "", training.code if training else "", reason
    )


def uncertified_passes(session: Session, *, session_id: int | None) -> list[Attempt]:
    """Passed attempts (of one session, or all) whose course grants a certificate and that have none yet."""
    query = (
        select(Attempt)
        .join(CourseVersion, col(CourseVersion.id) == col(Attempt.course_version_id))
        .where(col(Attempt.passed).is_(True), col(CourseVersion.certificate).is_not(None))
        .where(~select(Certificate.id).where(col(Certificate.attempt_id) == col(Attempt.id)).exists())
        .order_by(col(Attempt.session_id), col(Attempt.id))
    )
    if session_id is not None:
        query = query.where(col(Attempt.session_id) == session_id)
    return list(session.exec(query))


def passed_refusals(session: Session, *, session_id: int | None) -> list[Refusal]:
    """Every passed attempt (of one session, or all) without a certificate whose course grants one but that earns
    none."""
    found = (refusal_of(session, attempt) for attempt in uncertified_passes(session, session_id=session_id))
    return [refusal for refusal in found if refusal is not None]


def certificate_refusals(session: Session, attempt_ids: list[int]) -> list[str]:
    """One line per passed attempt (by id) that earns no certificate, naming the trainee and why (for the pass hook's
    callers: ``lms quiz grade --record``, ``lms quiz mark``)."""
    lines = []
    for attempt_id in attempt_ids:
        attempt = session.get(Attempt, attempt_id)
        version = session.get(CourseVersion, attempt.course_version_id) if attempt else None
        if attempt is None or version is None or not version.certificate:
            continue
        refusal = refusal_of(session, attempt)
        if refusal is not None:
            lines.append(
                _("no certificate for {person} {name} ({session}): {reason}").format(
                    person=refusal.person_code, name=refusal.name, session=refusal.session, reason=refusal.reason
                )
            )
    return lines
