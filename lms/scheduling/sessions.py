"""Training sessions: creating them with their days, trainers and roster, and recording attendance."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.errors import LmsError
from lms.i18n import _
from lms.master_data.records import refuse_retired
from lms.master_data.rooms import checked_capacity
from lms.models import (
    Attendance,
    CalendarCancellation,
    CourseVersion,
    Person,
    Room,
    RosterEntry,
    SessionDay,
    SessionTrainer,
    TrainingSession,
)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: trainees type it from a sheet


def new_session_code(prefix: str = "S") -> str:
    return prefix + "-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))


def create_session(
    session: Session,
    *,
    course_version: CourseVersion,
    days: Sequence[dt.date],
    mode: str,
    place: str,
    city: str,
    trainers: Sequence[tuple[Person, str]] = (),
    room: Room | None = None,
    project_id: int | None = None,
    obligation_id: int | None = None,
    period_label: str | None = None,
    capacity: int | None = None,
    status: str = "planned",
    code: str | None = None,
    hours_per_day: float = 6.0,
    pm: Any = None,
) -> TrainingSession:
    """A session over ``days`` (each 09:00–17:00 by default) with its trainers. Fires ``lms_session_changed``."""
    require(Permission.schedule)
    if not days:
        raise ValueError("a session needs at least one day")
    if capacity is not None:
        capacity = checked_capacity(capacity)
    for person, _role in trainers:
        refuse_retired(person, "trainers")
    if room is not None:
        refuse_retired(room, "room")
    ordered = sorted(set(days))
    code = code or new_session_code()
    training_session = TrainingSession(
        code=code,
        uid=f"{uuid.uuid5(uuid.NAMESPACE_URL, 'lms-session:' + code)}@lms",
        project_id=project_id,
        obligation_id=obligation_id,
        period_label=period_label,
        course_version_id=course_version.id or 0,
        mode=mode,
        room_id=room.id if room else None,
        place=place,
        city=city,
        capacity=capacity or (room.capacity if room else 30),
        status=status,
        first_day=ordered[0],
        last_day=ordered[-1],
    )
    session.add(training_session)
    session.flush()
    assert training_session.id is not None
    for day in ordered:
        session.add(SessionDay(session_id=training_session.id, day=day, hours=hours_per_day))
    for person, role in trainers:
        assert person.id is not None
        session.add(SessionTrainer(session_id=training_session.id, person_id=person.id, role=role))
    session.flush()
    if pm is not None:
        pm.hook.lms_session_changed(session=session, training_session=training_session, change="created")
    return training_session


def add_to_roster(session: Session, training_session: TrainingSession, people: Sequence[Person]) -> int:
    """Put people on the roster; those already on it are skipped. Returns how many were added."""
    require(Permission.schedule)
    assert training_session.id is not None
    existing = set(session.exec(select(RosterEntry.person_id).where(RosterEntry.session_id == training_session.id)))
    added = 0
    for person in people:
        if person.id is not None and person.id not in existing:
            refuse_retired(person, "person")
            session.add(RosterEntry(session_id=training_session.id, person_id=person.id))
            existing.add(person.id)
            added += 1
    session.flush()
    return added


def session_days(session: Session, training_session: TrainingSession) -> list[SessionDay]:
    return list(
        session.exec(
            select(SessionDay).where(SessionDay.session_id == training_session.id).order_by(col(SessionDay.day))
        )
    )


def mark_attendance(
    session: Session, day: SessionDay, person: Person, present: bool, at: dt.datetime | None = None
) -> None:
    require(Permission.schedule)
    assert day.id is not None and person.id is not None
    row = session.exec(
        select(Attendance).where(Attendance.session_day_id == day.id, Attendance.person_id == person.id)
    ).first()
    if row is None:
        row = Attendance(session_day_id=day.id, person_id=person.id)
        session.add(row)
    row.present, row.signed_at = present, at if present else None


def record_change(session: Session, training_session: TrainingSession, change: str, pm: Any = None) -> None:
    """After any change to a session: bump its iCalendar SEQUENCE and stamp it, then fire ``lms_session_changed``."""
    training_session.sequence += 1
    training_session.updated_at = dt.datetime.now(dt.UTC)
    session.add(training_session)
    session.flush()
    if pm is not None:
        pm.hook.lms_session_changed(session=session, training_session=training_session, change=change)


class AttendanceOnDroppedDays(LmsError):
    """Moving a session would drop days that already have attendance; the caller asks before it is deleted."""

    def __init__(self, code: str, days: dict[dt.date, int]) -> None:
        listing = ", ".join(f"{day} ({count})" for day, count in sorted(days.items()))
        super().__init__(
            _("session {code}: the days {days} have attendance recorded; dropping them deletes it").format(
                code=code, days=listing
            ),
            field="first_day",
        )
        self.days = days


def move_session(
    session: Session,
    training_session: TrainingSession,
    days: Sequence[dt.date],
    pm: Any = None,
    *,
    drop_attendance: bool = False,
) -> TrainingSession:
    """Put a session on other days (trainers, roster and hours kept). Dropping a day that has attendance is refused
    (:class:`AttendanceOnDroppedDays`) unless ``drop_attendance``; either way the move is audited, with every
    attendance row it deleted."""
    require(Permission.schedule)
    if not days:
        raise ValueError("a session needs at least one day")
    ordered = sorted(set(days))
    existing = {day.day: day for day in session_days(session, training_session)}
    hours = next(iter(existing.values())).hours if existing else 6.0
    dropped = {day: row for day, row in existing.items() if day not in ordered}
    marks = {
        day: list(session.exec(select(Attendance).where(Attendance.session_day_id == row.id)))
        for day, row in dropped.items()
    }
    with_attendance = {day: len(rows) for day, rows in marks.items() if rows}
    if with_attendance and not drop_attendance:
        raise AttendanceOnDroppedDays(training_session.code, with_attendance)
    deleted = []
    for day, row in dropped.items():
        for attendance in marks[day]:
            deleted.append({"day": day.isoformat(), "person_id": attendance.person_id, "present": attendance.present})
            session.delete(attendance)
        session.delete(row)
    session.flush()
    for day in ordered:
        if day not in existing:
            session.add(SessionDay(session_id=training_session.id or 0, day=day, hours=hours))
    audit.record(
        session,
        action="session.move",
        entity="session",
        key=training_session.code,
        before={"days": [day.isoformat() for day in sorted(existing)]},
        after={"days": [day.isoformat() for day in ordered], "attendance_deleted": deleted},
    )
    training_session.first_day, training_session.last_day = ordered[0], ordered[-1]
    record_change(session, training_session, "moved", pm)
    return training_session


def set_status(session: Session, training_session: TrainingSession, status: str, pm: Any = None) -> None:
    """planned → confirmed → held, or cancelled; each change bumps the sequence."""
    require(Permission.schedule)
    if status not in {"planned", "confirmed", "held", "cancelled"}:
        raise ValueError(f"unknown session status {status!r}")
    training_session.status = status
    record_change(session, training_session, status if status != "planned" else "edited", pm)


def set_trainers(
    session: Session, training_session: TrainingSession, trainers: Sequence[tuple[Person, str]], pm: Any = None
) -> TrainingSession:
    """Replace who teaches a session (and in which role); bumps the sequence like any other change. Everyone taken
    off gets a :class:`CalendarCancellation` at the new sequence, so their calendar export carries a CANCEL."""
    require(Permission.schedule)
    assert training_session.id is not None
    wanted = {person.id: role for person, role in trainers if person.id is not None}
    removed = []
    for link in session.exec(select(SessionTrainer).where(SessionTrainer.session_id == training_session.id)):
        if link.person_id not in wanted:
            removed.append(link.person_id)
            session.delete(link)
        else:
            link.role = wanted.pop(link.person_id)
            session.add(link)
    session.flush()
    for person_id, role in wanted.items():
        session.add(SessionTrainer(session_id=training_session.id, person_id=person_id, role=role))
    record_change(session, training_session, "edited", pm)
    for person_id in removed:
        session.add(
            CalendarCancellation(
                session_id=training_session.id, person_id=person_id, sequence=training_session.sequence
            )
        )
    session.flush()
    return training_session
