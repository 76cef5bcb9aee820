"""One person at a time on a session's roster: add, remove, replace (give one person's place to another). Audited.

Removing someone who already signed in or sat a quiz in the session would hide evidence, so it is refused unless
forced with a reason; the attendance and attempts themselves are kept either way (they are history).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.master_data.records import refuse_retired
from lms.models import Attempt, Attendance, Person, RosterEntry, SessionDay, SessionStatus, TrainingSession
from lms.models.lookup import find_by_code, session_by_code

FROZEN = (SessionStatus.closed, SessionStatus.cancelled)


class RemovalNeedsReason(LmsError):
    """The person has attendance or attempts in the session: removing them needs a reason (``force_reason``)."""


@dataclass(frozen=True)
class RosterChange:
    """What a change did, and the roster's size against the session's capacity afterwards."""

    session_code: str
    added: str | None
    removed: str | None
    roster_size: int
    capacity: int
    forced_reason: str | None = None

    @property
    def over_capacity(self) -> bool:
        return self.roster_size > self.capacity

    def summary(self) -> list[str]:
        lines = []
        if self.removed and self.added:
            lines.append(
                _("{session}: {added} takes the place of {removed}").format(
                    session=self.session_code, added=self.added, removed=self.removed
                )
            )
        elif self.added:
            lines.append(_("{session}: {person} added").format(session=self.session_code, person=self.added))
        elif self.removed:
            lines.append(_("{session}: {person} removed").format(session=self.session_code, person=self.removed))
        lines.append(_("roster {count} of {capacity}").format(count=self.roster_size, capacity=self.capacity))
        if self.over_capacity:
            lines.append(
                _("the roster is still over the capacity by {count}").format(count=self.roster_size - self.capacity)
            )
        return lines


def find_person(session: Session, reference: str) -> Person:
    """A person by code (any case) or by ID number."""
    found = find_by_code(session, Person, reference)
    if found is None:
        found = session.exec(select(Person).where(Person.id_number == reference.strip().upper())).first()
    if found is None:
        raise NotFoundError(
            _("no person has the code or ID number {code}").format(code=reference.strip()), field="person"
        )
    return found


def add_person(session: Session, *, session_code: str, person: str) -> RosterChange:
    """Put one person on the roster; the caller commits."""
    require(Permission.schedule)
    training, someone = _open_session(session, session_code), find_person(session, person)
    refuse_retired(someone, "person")
    if _entry(session, training, someone) is not None:
        raise LmsError(
            _("{person} is already on the roster of {session}").format(person=label(someone), session=training.code),
            field="person",
        )
    session.add(RosterEntry(session_id=training.id or 0, person_id=someone.id or 0))
    session.flush()
    _audit(session, training, "roster.add", before=None, after=label(someone))
    return _change(session, training, added=label(someone))


def remove_person(session: Session, *, session_code: str, person: str, force_reason: str | None = None) -> RosterChange:
    """Take one person off the roster; refused when they have attendance or attempts unless ``force_reason``."""
    require(Permission.schedule)
    training, someone = _open_session(session, session_code), find_person(session, person)
    entry = _required_entry(session, training, someone)
    reason = _checked_removal(session, training, someone, force_reason)
    session.delete(entry)
    session.flush()
    _audit(session, training, "roster.remove", before=label(someone), after=None, reason=reason)
    return _change(session, training, removed=label(someone), forced_reason=reason)


def replace_person(
    session: Session, *, session_code: str, person: str, replacement: str, force_reason: str | None = None
) -> RosterChange:
    """Give ``person``'s place on the roster to ``replacement`` (same size: an exchange, not an addition)."""
    require(Permission.schedule)
    training = _open_session(session, session_code)
    leaving, coming = find_person(session, person), find_person(session, replacement)
    refuse_retired(coming, "replacement")
    entry = _required_entry(session, training, leaving)
    if leaving.id == coming.id:
        raise LmsError(_("a person cannot replace themselves"), field="person")
    if _entry(session, training, coming) is not None:
        raise LmsError(
            _("{person} is already on the roster of {session}").format(person=label(coming), session=training.code),
            field="replacement",
        )
    reason = _checked_removal(session, training, leaving, force_reason)
    entry.person_id = coming.id or 0
    session.add(entry)
    session.flush()
    _audit(session, training, "roster.replace", before=label(leaving), after=label(coming), reason=reason)
    return _change(session, training, added=label(coming), removed=label(leaving), forced_reason=reason)


def label(person: Person) -> str:
    return f"{person.name} ({person.code})"


def history_of(session: Session, training: TrainingSession, person: Person) -> tuple[int, int]:
    """(days with attendance recorded, quiz attempts) of the person in this session."""
    days = select(SessionDay.id).where(SessionDay.session_id == training.id)
    attendance = session.exec(
        select(func.count()).where(col(Attendance.session_day_id).in_(days), Attendance.person_id == person.id)
    ).one()
    attempts = session.exec(
        select(func.count()).where(Attempt.session_id == training.id, Attempt.person_id == person.id)
    ).one()
    return int(attendance), int(attempts)


def _checked_removal(
    session: Session, training: TrainingSession, person: Person, force_reason: str | None
) -> str | None:
    attendance, attempts = history_of(session, training, person)
    if not attendance and not attempts:
        return None
    reason = (force_reason or "").strip()
    if not reason:
        raise RemovalNeedsReason(
            _(
                "{person} already has {days} days of attendance and {attempts} quiz attempts in {session}; "
                "to remove them anyway give --force with a reason"
            ).format(person=label(person), days=attendance, attempts=attempts, session=training.code),
            field="person",
        )
    if len(reason) > 500:
        raise LmsError(_("longer than {limit} characters").format(limit=500), field="--reason")
    return reason


def _open_session(session: Session, code: str) -> TrainingSession:
    training = session_by_code(session, code, field="session")
    if training.status in FROZEN:
        raise LmsError(
            _("session {code} is {status}: its roster no longer changes").format(
                code=training.code, status=training.status
            ),
            field="session",
        )
    return training


def _entry(session: Session, training: TrainingSession, person: Person) -> RosterEntry | None:
    query = select(RosterEntry).where(RosterEntry.session_id == training.id, RosterEntry.person_id == person.id)
    return session.exec(query).first()


def _required_entry(session: Session, training: TrainingSession, person: Person) -> RosterEntry:
    entry = _entry(session, training, person)
    if entry is None:
        raise LmsError(
            _("{person} is not on the roster of {session}").format(person=label(person), session=training.code),
            field="person",
        )
    return entry


def _audit(
    session: Session,
    training: TrainingSession,
    action: str,
    *,
    before: str | None,
    after: str | None,
    reason: str | None = None,
) -> None:
    before_record = {"person": before} if before else None
    after_record: dict[str, str] | None = {"person": after} if after else None
    if reason:
        after_record = {**(after_record or {}), "forced": reason}
    audit.record(session, action=action, entity="session", key=training.code, before=before_record, after=after_record)


def _change(session: Session, training: TrainingSession, **what: str | None) -> RosterChange:
    size = session.exec(select(func.count()).where(RosterEntry.session_id == training.id)).one()
    return RosterChange(
        training.code, what.get("added"), what.get("removed"), int(size), training.capacity, what.get("forced_reason")
    )
