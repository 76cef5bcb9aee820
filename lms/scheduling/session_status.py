"""Sessions as ``lms sessions list|show`` report them: status, and why an open session is not held yet.

A status query settles first (:func:`lms.scheduling.lifecycle.settle_all`), so a session whose last day has passed
with full attendance reads ``held`` however the attendance was entered.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from lms.calendars.dates import working_today
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Attendance, Obligation, Person, Project, RosterEntry, SessionDay, SessionTrainer, TrainingSession
from lms.models.lookup import session_by_code
from lms.scheduling.lifecycle import held_check, settle_all, status_name


def _labels(session: Session, training: TrainingSession) -> tuple[str, str]:
    project = session.get(Project, training.project_id) if training.project_id else None
    obligation = session.get(Obligation, training.obligation_id) if training.obligation_id else None
    return (project.code if project else "", obligation.code if obligation else "")


def _row(session: Session, training: TrainingSession) -> dict[str, Any]:
    project, obligation = _labels(session, training)
    reasons = held_check(session, training, working_today()).reasons if training.status != "cancelled" else []
    return {
        "code": training.code,
        "project": project,
        "obligation": obligation,
        "first_day": training.first_day,
        "last_day": training.last_day,
        "place": training.place,
        "capacity": training.capacity,
        "status": training.status,
        "status_label": status_name(training.status),
        "version": training.version,
        "not_held_because": reasons,
    }


def session_rows(
    session: Session, *, project_code: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Every session (of one project, in one status), earliest first."""
    settle_all(session, working_today())
    query = select(TrainingSession).order_by(col(TrainingSession.first_day), col(TrainingSession.code))
    if project_code:
        project = session.exec(select(Project).where(Project.code == project_code)).first()
        if project is None:
            raise LmsError(_("unknown project {code!r}").format(code=project_code), field="--project")
        query = query.where(TrainingSession.project_id == project.id)
    if status:
        query = query.where(TrainingSession.status == status)
    return [_row(session, training) for training in session.exec(query)]


def session_detail(session: Session, *, session_code: str) -> dict[str, Any]:
    """One session with its trainers, roster and, per day, who was present, absent or not marked."""
    settle_all(session, working_today())
    training = session_by_code(session, session_code)
    roster = session.exec(
        select(Person.id, Person.code)
        .join(RosterEntry, col(RosterEntry.person_id) == Person.id)
        .where(RosterEntry.session_id == training.id)
        .order_by(col(RosterEntry.id))
    ).all()
    days = []
    for day in session.exec(
        select(SessionDay).where(SessionDay.session_id == training.id).order_by(col(SessionDay.day))
    ):
        marks = dict(
            session.exec(
                select(Attendance.person_id, Attendance.present).where(Attendance.session_day_id == day.id)
            ).all()
        )
        days.append(
            {
                "day": day.day,
                "present": sum(1 for pid, _code in roster if marks.get(pid or 0) is True),
                "absent": sum(1 for pid, _code in roster if marks.get(pid or 0) is False),
                "unmarked": sum(1 for pid, _code in roster if (pid or 0) not in marks),
            }
        )
    trainers = session.exec(
        select(Person.code)
        .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
        .where(SessionTrainer.session_id == training.id)
        .order_by(col(SessionTrainer.id))
    ).all()
    return _row(session, training) | {
        "trainers": list(trainers),
        "roster": [code for _pid, code in roster],
        "days": days,
        "override_reason": training.override_reason,
        "override_by": training.override_by,
    }
