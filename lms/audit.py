"""The append-only audit log: who changed what, before and after, each entry chained to the previous by hash."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from typing import Any

from sqlmodel import Session, col, select

from lms.models import AuditEntry

GENESIS = "0" * 64


def current_actor() -> str:
    """The person at the keyboard: ``LMS_USER`` or the login name."""
    explicit = os.environ.get("LMS_USER")
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def entry_digest(previous_hash: str, entry: AuditEntry) -> str:
    body = {
        "previous": previous_hash,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "key": entry.entity_key,
        "before": entry.before,
        "after": entry.after,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: str | None = None,
) -> AuditEntry:
    """Append one entry; the caller's transaction decides whether it lands with the change it describes."""
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).first()
    previous_hash = last.entry_hash if last else GENESIS
    entry = AuditEntry(
        actor=actor or current_actor(),
        action=action,
        entity=entity,
        entity_key=key,
        before=before,
        after=after,
        previous_hash=previous_hash,
        entry_hash="",
    )
    entry.entry_hash = entry_digest(previous_hash, entry)
    session.add(entry)
    session.flush()
    return entry
