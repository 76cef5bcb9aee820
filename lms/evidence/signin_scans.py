"""Scanned, signed sign-in sheets kept as evidence of a session day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlmodel import Session, col, select

from lms.access import audit
from lms.errors import LmsError
from lms.evidence.labels import listing
from lms.evidence.session_evidence import SIGNIN_SCAN
from lms.files.storage import read_evidence_file, store_bytes
from lms.i18n import _
from lms.models import Attachment, SessionDay
from lms.models.lookup import session_by_id_or_code


def attach_signin_scan(
    session: Session, session_id: int | str, path: Path, day: dt.date, files_root: Path, added_by: str
) -> Attachment:
    """Keep a scanned, signed sign-in sheet of one session day as evidence (the same file twice is kept once).

    Args:
        session_id: the session's id, or its code.
        path: a PDF or an image (PNG, JPEG, TIFF).
        day: the session day the sheet was signed on.
        files_root: where evidence files are stored (``lms.files.storage.files_root``).
        added_by: who attaches it (kept on the row and in the audit log).

    Raises:
        NotFoundError: no such session.
        LmsError: the day is not one of the session's days, or the file is not a PDF or an image.
    """
    training = session_by_id_or_code(session, session_id)
    days = list(session.exec(select(col(SessionDay.day)).where(SessionDay.session_id == training.id)))
    if day not in days:
        raise LmsError(
            _("{day} is not a day of session {session} ({days})").format(
                day=day, session=training.code, days=listing(d.isoformat() for d in sorted(days))
            ),
            field="day",
        )
    data, media_type, suffix = read_evidence_file(path)
    stored = store_bytes(files_root, data, suffix, media_type)
    existing = session.exec(
        select(Attachment).where(
            Attachment.kind == SIGNIN_SCAN,
            Attachment.session_id == training.id,
            Attachment.session_day == day,
            Attachment.sha256 == stored.sha256,
        )
    ).first()
    if existing is not None:
        return existing
    attachment = Attachment(
        kind=SIGNIN_SCAN,
        session_id=training.id,
        session_day=day,
        original_name=path.name,
        media_type=media_type,
        sha256=stored.sha256,
        size=stored.size,
        added_by=added_by,
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session,
        action="signin_scan.attached",
        entity="session",
        key=training.code,
        before=None,
        after={"day": day.isoformat(), "sha256": stored.sha256, "file": path.name},
        actor=added_by or None,
    )
    return attachment
