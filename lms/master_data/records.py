"""What organisations, people and rooms share: codes, checked text, look-ups that name the field, retirement,
and the version-checked, audited save."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import Session, select

from lms.access import audit
from lms.access.edits import claim_version
from lms.access.identity import actor
from lms.calendars.dates import working_timezone
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.models import Organisation, Person, Room, utc_now

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
Record = TypeVar("Record", Organisation, Person, Room)


def checked_code(value: str, field: str = "code") -> str:
    code = value.strip()
    if not CODE_PATTERN.match(code):
        raise LmsError(_("a code is letters, digits, '-', '_' or '.', at most 40"), field=field)
    return code


def checked_text(value: str | None, field: str, *, limit: int, required: bool = False) -> str | None:
    """One line of text with its spaces tidied; None when empty (an error when ``required``)."""
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise LmsError(_("this cannot be empty"), field=field)
        return None
    if len(text) > limit:
        raise LmsError(_("longer than {limit} characters").format(limit=limit), field=field)
    return text


def checked_phone(value: str | None, field: str = "phone") -> str | None:
    text = checked_text(value, field, limit=40)
    if text is not None:
        digits = re.sub(r"[\s()+-]", "", text)
        if not digits.isdigit() or not 7 <= len(digits) <= 15:
            raise LmsError(_("not a phone number: 7 to 15 digits"), field=field)
    return text


def checked_email(value: str | None, field: str = "email") -> str | None:
    text = checked_text(value, field, limit=200)
    if text is not None and not EMAIL_PATTERN.match(text):
        raise LmsError(_("not an e-mail address"), field=field)
    return text


def find_by_code(session: Session, model: type[Record], code: str, field: str = "code") -> Record:
    found = session.exec(select(model).where(model.code == code.strip())).first()
    if found is None:
        message = {
            Organisation: _("no organisation has the code {code}"),
            Person: _("no person has the code {code}"),
            Room: _("no room has the code {code}"),
        }[model]
        raise NotFoundError(message.format(code=code.strip()), field=field)
    return found


def refuse_taken_code(session: Session, model: type[Record], code: str, field: str = "code") -> None:
    if session.exec(select(model.id).where(model.code == code)).first() is not None:
        raise LmsError(_("the code {code} is taken").format(code=code), field=field)


def local_day(moment: dt.datetime | None) -> dt.date | None:
    """The day in the working time zone (stored times are UTC; SQLite returns them without a zone)."""
    if moment is None:
        return None
    aware = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return aware.astimezone(working_timezone()).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the working time zone, in UTC (how a retirement date from a file is stored)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=working_timezone()).astimezone(dt.UTC)


def local_time_text(moment: dt.datetime | None) -> str:
    """A stored UTC time as the working time zone's clock shows it, to the minute."""
    if moment is None:
        return "—"
    aware = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return aware.astimezone(working_timezone()).strftime("%Y-%m-%d %H:%M")


def refuse_retired(record: Organisation | Person | Room, field: str | None = None) -> None:
    """Retired records keep their history but take on nothing new (sessions, rosters, people)."""
    if record.retired_at is not None:
        raise LmsError(
            _("{code} was retired on {date}; it cannot be chosen for anything new").format(
                code=record.code, date=local_day(record.retired_at)
            ),
            field=field,
        )


def stamp_new(session: Session, record: Record, *, entity: str, after: dict[str, Any]) -> Record:
    """Add a new record at version 1, with who made it, and audit it."""
    record.version = 1
    record.changed_at = utc_now()
    record.changed_by = actor(session)
    session.add(record)
    session.flush()
    audit.record(session, action=f"{entity}.add", entity=entity, key=record.code, before=None, after=after)
    return record


def save_edit(
    session: Session,
    record: Record,
    *,
    entity: str,
    what: str,
    loaded_version: int | None,
    snapshot: Callable[[Record], dict[str, Any]],
    change: Callable[[Record], None],
    action: str = "edit",
    reason: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Claim the next version (stale: :class:`~lms.access.edits.StaleEdit`), apply ``change``, audit before and
    after. Returns (before, after)."""
    before = snapshot(record)
    claim_version(session, record, loaded_version, what=what)
    change(record)
    session.add(record)
    session.flush()
    after = snapshot(record)
    if reason:
        after = {**after, "reason": reason}
    audit.record(session, action=f"{entity}.{action}", entity=entity, key=record.code, before=before, after=after)
    return before, after


def retire_record(
    session: Session,
    record: Record,
    *,
    entity: str,
    what: str,
    loaded_version: int | None,
    snapshot: Callable[[Record], dict[str, Any]],
    reason: str | None = None,
    at: dt.datetime | None = None,
) -> Record:
    """Retire now (or ``at``, a bulk file's date), version-checked and audited."""
    if record.retired_at is not None:
        raise LmsError(_("{code} is already retired").format(code=record.code))

    def retire(target: Record) -> None:
        target.retired_at = at or utc_now()

    save_edit(
        session,
        record,
        entity=entity,
        what=what,
        loaded_version=loaded_version,
        snapshot=snapshot,
        change=retire,
        action="retire",
        reason=reason,
    )
    return record


def version_fields(record: Organisation | Person | Room) -> dict[str, Any]:
    """Version, who changed it last and when, and the retirement day, as lists and forms show them."""
    return {
        "version": record.version,
        "changed_by": record.changed_by,
        "changed_at": record.changed_at,
        "retired_on": local_day(record.retired_at),
    }
