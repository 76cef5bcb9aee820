"""One life-cycle for a session: ``planned → confirmed → held → closed``, or ``cancelled``.

``held`` is never set by hand: it follows from the attendance. A session is held once all its days are past (the
working zone's today) and every rostered trainee has a mark (present or absent) on each day. :func:`held_check` says
whether that is so and, if not, why; it is read by status queries (the obligation status, ``lms sessions``), and
:func:`settle_held` writes the status when attendance is saved and before a session is closed or certified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.calendars.workdays import WorkdayCalendar
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Attendance, RosterEntry, SessionDay, SessionStatus, TrainingSession
from lms.scheduling.confirmation import clear_to_confirm
from lms.scheduling.sessions import record_change

OPEN = (SessionStatus.planned, SessionStatus.confirmed)
HELD = (SessionStatus.held, SessionStatus.closed)


def status_name(status: str) -> str:
    return {
        "planned": _("planned"),
        "confirmed": _("confirmed"),
        "held": _("held"),
        "closed": _("closed"),
        "cancelled": _("cancelled"),
    }.get(status, status)


@dataclass(frozen=True)
class HeldCheck:
    """Whether a session counts as held, and every reason it does not yet."""

    held: bool
    reasons: list[str] = field(default_factory=list)


def held_check(session: Session, training: TrainingSession, today: dt.date) -> HeldCheck:
    """Held when it is (or was) held, or when its days are past and each has a mark for every rostered trainee."""
    if training.status in HELD:
        return HeldCheck(True)
    if training.status == SessionStatus.cancelled:
        return HeldCheck(False, [_("the session was cancelled")])
    rostered = set(session.exec(select(RosterEntry.person_id).where(RosterEntry.session_id == training.id)))
    days = session.exec(
        select(SessionDay).where(SessionDay.session_id == training.id).order_by(col(SessionDay.day))
    ).all()
    marked: dict[int, set[int]] = {}
    for day_id, person_id in session.exec(
        select(Attendance.session_day_id, Attendance.person_id).where(
            col(Attendance.session_day_id).in_([day.id for day in days])
        )
    ):
        marked.setdefault(day_id, set()).add(person_id)
    reasons = [] if rostered else [_("nobody is on the roster")]
    for day in days:
        if day.day >= today:
            reasons.append(_("day {day} is not over yet").format(day=day.day))
            continue
        missing = rostered - marked.get(day.id or 0, set())
        if missing == rostered and rostered:
            reasons.append(_("day {day} has no attendance").format(day=day.day))
        elif missing:
            reasons.append(
                _("day {day}: {count} of {total} trainees have no attendance mark").format(
                    day=day.day, count=len(missing), total=len(rostered)
                )
            )
    return HeldCheck(not reasons, reasons)


def settle_held(session: Session, training: TrainingSession, today: dt.date, pm: Any = None) -> bool:
    """Write ``held`` on a planned or confirmed session whose attendance shows it was held; True if it changed."""
    if training.status not in OPEN or not held_check(session, training, today).held:
        return False
    before = training.status
    training.status = SessionStatus.held
    audit.record(
        session,
        action="session.held",
        entity="session",
        key=training.code,
        before={"status": before},
        after={"status": SessionStatus.held},
    )
    record_change(session, training, SessionStatus.held, pm)
    return True


def settle_all(session: Session, today: dt.date, pm: Any = None) -> list[str]:
    """Settle every open session whose last day is past (before a list, a report or a batch of certificates)."""
    candidates = session.exec(
        select(TrainingSession).where(col(TrainingSession.status).in_(OPEN), TrainingSession.last_day < today)
    ).all()
    return [training.code for training in candidates if settle_held(session, training, today, pm)]


def _illegal(training: TrainingSession, rule: str) -> LmsError:
    """One line: the session, the status it is in, and which status the action needs (``rule``)."""
    return LmsError(
        _("session {code} is {status}: {rule}").format(
            code=training.code, status=status_name(training.status), rule=rule
        ),
        field="status",
    )


def _change_status(
    session: Session, training: TrainingSession, status: str, pm: Any, reason: str | None = None
) -> TrainingSession:
    before = training.status
    training.status = status
    after: dict[str, Any] = {"status": status} | ({"reason": reason} if reason else {})
    audit.record(
        session, action=f"session.{status}", entity="session", key=training.code, before={"status": before}, after=after
    )
    record_change(session, training, status, pm)
    return training


def confirm_session(
    session: Session,
    training: TrainingSession,
    *,
    calendar: WorkdayCalendar,
    today: dt.date,
    override_reason: str | None = None,
    pm: Any = None,
) -> TrainingSession:
    """planned → confirmed, unless it has open problems (an unqualified trainer, a double booking, a day off...)
    that no admin overrode with a reason (:func:`lms.scheduling.confirmation.clear_to_confirm`)."""
    require(Permission.schedule)
    if training.status != SessionStatus.planned:
        raise _illegal(training, _("only a planned session can be confirmed"))
    clear_to_confirm(session, training, calendar=calendar, today=today, override_reason=override_reason)
    return _change_status(session, training, SessionStatus.confirmed, pm)


def cancel_session(
    session: Session, training: TrainingSession, *, reason: str | None = None, pm: Any = None
) -> TrainingSession:
    """planned or confirmed → cancelled; a session that took place stays on record."""
    require(Permission.schedule)
    if training.status not in OPEN:
        raise _illegal(training, _("only a planned or confirmed session can be cancelled"))
    attended = session.exec(
        select(func.count(col(Attendance.id)))
        .join(SessionDay, col(SessionDay.id) == Attendance.session_day_id)
        .where(SessionDay.session_id == training.id, Attendance.present == True)  # noqa: E712
    ).one()
    if attended:
        raise LmsError(
            _("session {code} has attendance recorded: it took place and cannot be cancelled").format(
                code=training.code
            ),
            field="status",
        )
    return _change_status(session, training, SessionStatus.cancelled, pm, reason)


def close_session(session: Session, training: TrainingSession, today: dt.date, *, pm: Any = None) -> TrainingSession:
    """held → closed: nothing more is recorded on it. Needs the session held (it is settled first)."""
    require(Permission.schedule)
    settle_held(session, training, today, pm)
    if training.status != SessionStatus.held:
        if training.status in OPEN:
            reasons = "; ".join(held_check(session, training, today).reasons)
            raise LmsError(
                _("session {code} is not held yet: {reasons}").format(code=training.code, reasons=reasons),
                field="status",
            )
        raise _illegal(training, _("only a held session can be closed"))
    return _change_status(session, training, SessionStatus.closed, pm)
