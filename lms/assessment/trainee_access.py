"""Each rostered trainee's own short access code to a session's quiz on their phone.

A code reads ``12-K7M4P9XQ``: the access row's number, then eight random characters from an alphabet without look-alike
letters. Only the SHA-256 of the random part is stored, so the database cannot print a code again; printing the slips
issues fresh codes and the earlier ones stop working. The number names the row, so a wrong guess counts against that
one code (``failed_guesses``), and after ``MAX_FAILED_GUESSES`` the code is locked until the trainer issues a new one.

A code opens its trainee's quiz once (the browser then keeps a signed cookie bound to the code's hash), only on the
session's days, and never after the session's last day (``expires_at``, midnight in the working zone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.calendars.dates import local_date, working_timezone
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Person, RosterEntry, SessionDay, SessionStatus, TraineeAccess, TrainingSession

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper and typed on a phone
SECRET_LENGTH = 8
MAX_FAILED_GUESSES = 5
CLOSED = (SessionStatus.cancelled, SessionStatus.closed)


class AccessRefused(LmsError):
    """A code that does not open a quiz now: unknown, wrong, locked, used, expired, or not a quiz day."""


@dataclass(frozen=True)
class IssuedCode:
    """A code as printed on a trainee's slip; the only time it exists in clear."""

    access_id: int
    person_id: int
    person_code: str
    name: str
    code: str


@dataclass(frozen=True)
class AccessGrant:
    """Who a redeemed code lets in, and the hash a browser's cookie is bound to."""

    access_id: int
    session_id: int
    person_id: int
    code_hash: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(text: str) -> tuple[int, str] | None:
    """The row number and secret of a typed code (spaces, dashes and case ignored), or None when malformed."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    digits = len(cleaned) - SECRET_LENGTH
    if digits < 1 or not cleaned[:digits].isdigit() or len(cleaned) > 20:
        return None
    return int(cleaned[:digits]), cleaned[digits:]


def session_expiry(training: TrainingSession) -> dt.datetime:
    """Midnight after the session's last day, in the working time zone, as UTC."""
    end = dt.datetime.combine(training.last_day + dt.timedelta(days=1), dt.time(0), tzinfo=working_timezone())
    return end.astimezone(dt.UTC)


def issue_codes(
    session: Session, *, session_id: int, person_ids: list[int] | None = None, now: dt.datetime | None = None
) -> list[IssuedCode]:
    """Fresh codes for the session's rostered trainees (or only ``person_ids``); earlier codes stop working.

    Raises:
        LmsError: the session is cancelled or closed, or a person is not on its roster.
        PermissionDenied: the role may not run sessions.
    """
    require(Permission.schedule)
    training = session.get(TrainingSession, session_id)
    if training is None:
        raise LmsError(_("no training session has the id {id}").format(id=session_id), field="--session")
    if training.status in CLOSED:
        raise LmsError(
            _("session {code} is {status}; it takes no quiz").format(code=training.code, status=training.status)
        )
    roster = session.exec(
        select(Person).join(RosterEntry).where(RosterEntry.session_id == session_id).order_by(col(Person.id))
    ).all()
    if person_ids is not None:
        missing = set(person_ids) - {p.id for p in roster}
        if missing:
            raise LmsError(_("not on the roster of session {code}").format(code=training.code), field="trainee")
        roster = [p for p in roster if p.id in person_ids]
    existing = {
        row.person_id: row for row in session.exec(select(TraineeAccess).where(TraineeAccess.session_id == session_id))
    }
    now = now or dt.datetime.now(dt.UTC)
    expires = session_expiry(training)
    issued = []
    for person in roster:
        assert person.id is not None
        secret = "".join(secrets.choice(ALPHABET) for _i in range(SECRET_LENGTH))
        row = existing.get(person.id) or TraineeAccess(
            session_id=session_id, person_id=person.id, code_hash="", expires_at=expires
        )
        row.code_hash, row.created_at, row.expires_at = _digest(secret), now, expires
        row.failed_guesses, row.last_used_at = 0, None
        session.add(row)
        session.flush()
        assert row.id is not None
        issued.append(IssuedCode(row.id, person.id, person.code, person.name, f"{row.id}-{secret}"))
    audit.record(
        session,
        action="access.issue",
        entity="session",
        key=training.code,
        before=None,
        after={"trainees": [code.person_code for code in issued]},
    )
    return issued


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def on_quiz_day(today: dt.date, *, first_day: dt.date, last_day: dt.date, has_days: bool, listed: bool) -> bool:
    """The quiz-day rule (``check_open`` and ``resume`` both ask it): a session with listed days (``SessionDay``;
    ``listed`` says whether ``today`` is one) quizzes only on those, one without on every day from first to last."""
    return listed if has_days else first_day <= today <= last_day


def _refusal(status: str, expires_at: dt.datetime, day_open: bool, now: dt.datetime) -> AccessRefused | None:
    """Why a code's quiz is closed now (cancelled, closed, expired, not one of its days), or None when open."""
    if status in CLOSED or now >= _utc(expires_at):
        return AccessRefused(_("this code has expired; ask the trainer"))
    if not day_open:
        return AccessRefused(_("the quiz opens only on the session's days"))
    return None


def check_open(session: Session, row: TraineeAccess, now: dt.datetime) -> TrainingSession:
    """The row's session when its quiz is open to this code now; AccessRefused otherwise."""
    training = session.get(TrainingSession, row.session_id)
    if training is None:
        raise AccessRefused(_("this code has expired; ask the trainer"))
    today = local_date(now)
    days = set(session.exec(select(col(SessionDay.day)).where(SessionDay.session_id == training.id)))
    day_open = on_quiz_day(
        today, first_day=training.first_day, last_day=training.last_day, has_days=bool(days), listed=today in days
    )
    refusal = _refusal(training.status, row.expires_at, day_open, now)
    if refusal is not None:
        raise refusal
    return training


def redeem(session: Session, *, code: str, now: dt.datetime | None = None) -> AccessGrant:
    """Open a trainee's quiz with their code, once. A wrong secret counts against the code's row. The caller commits
    (a refusal too, so that the failed guess is kept: see ``failed_guesses``)."""
    now = now or dt.datetime.now(dt.UTC)
    parsed = normalise_code(code)
    row = session.get(TraineeAccess, parsed[0]) if parsed else None
    if parsed is None or row is None:
        raise AccessRefused(_("this code is not right: check it on your slip"))
    if row.failed_guesses >= MAX_FAILED_GUESSES:
        raise AccessRefused(_("this code is locked after too many wrong tries; ask the trainer for a new one"))
    if not hmac.compare_digest(row.code_hash, _digest(parsed[1])):
        row.failed_guesses += 1
        session.add(row)
        raise AccessRefused(_("this code is not right: check it on your slip"))
    check_open(session, row, now)
    if row.last_used_at is not None:
        raise AccessRefused(_("this code has been used already; ask the trainer for a new one"))
    row.last_used_at = now
    session.add(row)
    assert row.id is not None
    return AccessGrant(row.id, row.session_id, row.person_id, row.code_hash)


# Built once: every phone request runs it, and building a statement costs more than running it on SQLite.
_DAYS = select(SessionDay.id).where(SessionDay.session_id == TraineeAccess.session_id)
_RESUME = (
    select_columns(
        col(TraineeAccess.code_hash),
        col(TraineeAccess.last_used_at),
        col(TraineeAccess.expires_at),
        col(TraineeAccess.session_id),
        col(TraineeAccess.person_id),
        col(TrainingSession.status),
        col(TrainingSession.first_day),
        col(TrainingSession.last_day),
        _DAYS.where(SessionDay.day == bindparam("today")).exists(),
        _DAYS.exists(),
    )
    .join(TrainingSession, col(TrainingSession.id) == TraineeAccess.session_id)
    .where(col(TraineeAccess.id) == bindparam("access_id"))
)


def resume(session: Session, *, access_id: int, code_hash: str, now: dt.datetime | None = None) -> AccessGrant:
    """The grant behind a browser's cookie, while its code is still the current one and the quiz is open.

    One query (every phone request makes it) fetches the code's row, its session's status and whether today is one of
    its listed days; ``on_quiz_day`` then applies the same rule as ``check_open``."""
    now = now or dt.datetime.now(dt.UTC)
    today = local_date(now)
    found = session.connection().execute(_RESUME, {"access_id": access_id, "today": today}).first()
    if found is None or not hmac.compare_digest(found[0], code_hash) or found[1] is None:
        raise AccessRefused(_("your access has ended: enter the code on your slip again, or ask the trainer"))
    stored_hash, _used, expires_at, session_id, person_id, status, first_day, last_day, listed, has_days = found
    day_open = on_quiz_day(today, first_day=first_day, last_day=last_day, has_days=has_days, listed=listed)
    refusal = _refusal(status, expires_at, day_open, now)
    if refusal is not None:
        raise refusal
    return AccessGrant(access_id, session_id, person_id, stored_hash)
