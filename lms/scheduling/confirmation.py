"""Whether a session may be confirmed: not while it has open problems — a trainer who is not qualified
(持证上岗, :mod:`lms.credentials.qualification`), a double booking, a day off, a window missed — unless an admin
overrides them with a reason. The override is written on the session (``override_reason``, ``override_by``) and in
the audit log, so the session shows who let it through and why.

The session life-cycle (``lms sessions confirm``, the TUI) calls :func:`clear_to_confirm` before it changes the
status, in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from lms.access import audit
from lms.access.roles import Permission, require
from lms.calendars.workdays import WorkdayCalendar
from lms.errors import LmsError
from lms.i18n import _
from lms.models import TrainingSession
from lms.scheduling.conflicts import Conflict, find_conflicts


class ConfirmationRefused(LmsError):
    """Open problems and no override: the session stays as it was."""

    def __init__(self, message: str, problems: list[Conflict]) -> None:
        super().__init__(message, field="--override")
        self.problems = problems


def open_problems(
    session: Session, training: TrainingSession, *, calendar: WorkdayCalendar, today: dt.date
) -> list[Conflict]:
    """The conflicts this session is part of (from today on, or from its first day if that is earlier)."""
    since = min(today, training.first_day)
    return [conflict for conflict in find_conflicts(session, calendar, since) if training.code in conflict.sessions]


def clear_to_confirm(
    session: Session,
    training: TrainingSession,
    *,
    calendar: WorkdayCalendar,
    today: dt.date,
    override_reason: str | None = None,
) -> list[Conflict]:
    """Refuse (:class:`ConfirmationRefused`) a session with open problems unless an admin gives a reason; then the
    override is recorded on the session and audited. Returns the problems overridden (none: nothing recorded)."""
    problems = open_problems(session, training, calendar=calendar, today=today)
    reason = (override_reason or "").strip()
    if not problems:
        return []
    if not reason:
        listed = "; ".join(problem.message for problem in problems)
        raise ConfirmationRefused(
            _("{code} cannot be confirmed: {problems}; an admin may confirm it anyway with --override REASON").format(
                code=training.code, problems=listed
            ),
            problems,
        )
    require(Permission.override_conflicts)
    actor = audit.current_actor(session)
    before = {"override_reason": training.override_reason, "override_by": training.override_by}
    training.override_reason, training.override_by = reason, actor
    session.add(training)
    audit.record(
        session,
        action="session.override",
        entity="session",
        key=training.code,
        before=before,
        after={
            "override_reason": reason,
            "override_by": actor,
            "problems": [{"kind": problem.kind, "message": problem.message} for problem in problems],
        },
    )
    return problems
