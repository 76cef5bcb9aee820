"""The attendance sheet of a session: its roster against its days, and marking who was present on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.models import Attendance, Person, RosterEntry, SessionDay, TrainingSession
from lms.models.lookup import session_by_code
from lms.scheduling.lifecycle import held_check, settle_held, status_name
from lms.scheduling.sessions import mark_attendance


@dataclass(frozen=True)
class RosterLine:
    person_id: int
    code: str
    name: str
    title: str
    marks: dict[int, bool | None]  # session day id -> present, absent, or not marked


@dataclass(frozen=True)
class AttendanceSheet:
    """A session's roster against its days, as the sign-in sheet has it."""

    code: str
    status: str
    capacity: int
    days: list[tuple[int, dt.date]]
    lines: list[RosterLine]
    not_held_because: list[str]  # why a session whose days are over is not held yet (empty otherwise)


def attendance_sheet(session: Session, *, session_code: str, today: dt.date | None = None) -> AttendanceSheet:
    """The sheet; with ``today``, also why the session is not held yet once its last day is past."""
    training = session_by_code(session, session_code, field="session")
    days = [
        (day.id or 0, day.day)
        for day in session.exec(
            select(SessionDay).where(SessionDay.session_id == training.id).order_by(col(SessionDay.day))
        )
    ]
    marks: dict[tuple[int, int], bool] = {
        (row.person_id, row.session_day_id): row.present
        for row in session.exec(select(Attendance).where(col(Attendance.session_day_id).in_([d for d, _ in days])))
    }
    people = session.exec(
        select(Person)
        .join(RosterEntry, col(RosterEntry.person_id) == Person.id)
        .where(RosterEntry.session_id == training.id)
        .order_by(col(RosterEntry.id))
    ).all()
    lines = [
        RosterLine(
            person.id or 0,
            person.code,
            person.name,
            person.title or "",
            {day_id: marks.get((person.id or 0, day_id)) for day_id, _day in days},
        )
        for person in people
    ]
    reasons = []
    if today is not None and training.last_day < today and training.status in ("planned", "confirmed"):
        reasons = held_check(session, training, today).reasons
    return AttendanceSheet(training.code, training.status, training.capacity, days, lines, reasons)


def record_attendance(
    session: Session,
    *,
    session_day_id: int,
    person_ids: list[int],
    present: bool,
    today: dt.date,
    pm: object = None,
) -> None:
    """Mark rostered people present or absent on one day of a session (not a day still to come)."""
    day = session.get(SessionDay, session_day_id)
    if day is None:
        raise NotFoundError(_("no such session day"), field="day")
    training_status = session.exec(select(TrainingSession.status).where(TrainingSession.id == day.session_id)).one()
    if training_status in ("closed", "cancelled"):
        raise LmsError(
            _("the session is {status}: attendance can no longer be changed").format(
                status=status_name(training_status)
            )
        )
    if day.day > today:
        raise LmsError(_("{day} has not come yet: attendance is marked on the day").format(day=day.day))
    rostered = set(session.exec(select(RosterEntry.person_id).where(RosterEntry.session_id == day.session_id)))
    signed_at = dt.datetime.now(dt.UTC)
    for person_id in person_ids:
        person = session.get(Person, person_id)
        if person is None or person_id not in rostered:
            raise LmsError(_("only people on the roster can sign in"), field="person")
        mark_attendance(session, day, person, present, signed_at)
    session.flush()
    training = session.get(TrainingSession, day.session_id)
    if training is not None:
        settle_held(session, training, today, pm)


@dataclass(frozen=True)
class DayMarks:
    """What ``lms attendance mark`` recorded for one day, and the session's status after it."""

    session: str
    day: dt.date
    present: list[str]
    absent: list[str]
    unmarked: list[str]
    status: str
    not_held_because: list[str]


def mark_day(
    session: Session,
    *,
    session_code: str,
    day: dt.date,
    present: list[str],
    absent: list[str],
    everyone: bool,
    today: dt.date,
    pm: object = None,
) -> DayMarks:
    """Mark trainees (by code) present or absent on one day; ``everyone`` marks the whole roster present first.
    Then the session becomes held if its attendance now shows it (:func:`lms.scheduling.lifecycle.settle_held`)."""
    training = session_by_code(session, session_code)
    session_day = session.exec(
        select(SessionDay).where(SessionDay.session_id == training.id, SessionDay.day == day)
    ).first()
    if session_day is None:
        raise LmsError(
            _("{day} is not a day of session {session}").format(day=day, session=training.code), field="--day"
        )
    both = set(present) & set(absent)
    if both:
        raise LmsError(_("marked both present and absent: {people}").format(people=", ".join(sorted(both))))
    roster = dict(
        session.exec(
            select(Person.code, Person.id)
            .join(RosterEntry, col(RosterEntry.person_id) == Person.id)
            .where(RosterEntry.session_id == training.id)
        ).all()
    )
    for code in [*present, *absent]:
        if code not in roster:
            raise LmsError(
                _("{person} is not on the roster of session {session}").format(person=code, session=training.code),
                field="person",
            )
    chosen_present = [code for code in roster if code not in absent] if everyone else list(present)
    for codes, flag in ((chosen_present, True), (list(absent), False)):
        if codes:
            record_attendance(
                session,
                session_day_id=session_day.id or 0,
                person_ids=[roster[code] or 0 for code in codes],
                present=flag,
                today=today,
            )
    settle_held(session, training, today, pm)
    marks = {
        row.person_id: row.present
        for row in session.exec(select(Attendance).where(Attendance.session_day_id == session_day.id))
    }
    check = held_check(session, training, today)
    return DayMarks(
        training.code,
        day,
        [code for code, pid in roster.items() if marks.get(pid or 0) is True],
        [code for code, pid in roster.items() if marks.get(pid or 0) is False],
        [code for code, pid in roster.items() if (pid or 0) not in marks],
        training.status,
        check.reasons,
    )
