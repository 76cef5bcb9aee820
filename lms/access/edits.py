"""No lost updates: every edit of a hand-kept record is checked against the version it was loaded at.

A save claims the next version with one conditional UPDATE (``… WHERE id = ? AND version = ?``) before it
writes anything else, so two editors who loaded the same version cannot both win, on SQLite or PostgreSQL. The
loser gets :class:`StaleEdit` naming who changed the record and when, and the form offers a reload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from lms.access.audit import current_actor
from lms.calendars.dates import working_timezone
from lms.errors import LmsError
from lms.i18n import _
from lms.models import utc_now


class StaleEdit(LmsError):
    """The record changed since it was loaded; carries who changed it and when."""

    def __init__(self, what: str, changed_by: str | None, changed_at: dt.datetime | None, current: int) -> None:
        when = "—"
        if changed_at is not None:
            aware = changed_at.replace(tzinfo=dt.UTC) if changed_at.tzinfo is None else changed_at
            when = aware.astimezone(working_timezone()).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            _(
                "{what} was changed by {who} at {when} (version {version}) after you loaded it; reload and edit again"
            ).format(what=what, who=changed_by or "—", when=when, version=current)
        )
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current


def claim_version(session: Session, record: Any, loaded_version: int | None, *, what: str) -> int:
    """Take the next version of ``record`` if it still has ``loaded_version``; raise :class:`StaleEdit` otherwise.

    ``loaded_version`` None means "whatever is stored now" (a command typed without one). Returns the new version;
    the row's ``version``, ``changed_at`` and ``changed_by`` are updated in the database and on ``record``.
    """
    model = type(record)
    expected = record.version if loaded_version is None else loaded_version
    actor = current_actor(session)
    now = utc_now()
    result: Any = session.execute(
        update(model)
        .where(model.id == record.id, model.version == expected)  # type: ignore[attr-defined]
        .values(version=expected + 1, changed_at=now, changed_by=actor)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(record)
        raise StaleEdit(what, record.changed_by, record.changed_at, record.version)
    session.refresh(record)
    return expected + 1
