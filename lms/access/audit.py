"""The append-only audit log: who changed what, before and after, each entry chained to the previous by hash.

``verify`` walks the chain in id order and names the first entry that breaks it: one edited after it was written
(its hash no longer matches), one whose predecessor was deleted, one moved out of order, or one inserted between
two entries that were written one after the other. Whoever can write to the database can still rewrite the whole
tail consistently, so ``verify`` also returns the head hash: note it somewhere else and compare later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.access import identity
from lms.access.roles import Permission, require
from lms.db import write_lock
from lms.i18n import _
from lms.models import AuditEntry

GENESIS = "0" * 64
# Writers of the log hold this lock until they commit, so two transactions never chain to the same entry.
CHAIN_LOCK = 0x6C6D7361  # "lmsa"


def current_actor(session: Session | None = None) -> str:
    """The person at the keyboard as the log records them (:func:`lms.access.identity.actor`)."""
    return identity.actor(session)


def _utc_text(moment: dt.datetime) -> str:
    """The time as hashed: UTC with its offset (SQLite hands it back without a zone; it was stored in UTC)."""
    moment = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    return moment.isoformat()


def entry_digest(previous_hash: str, entry: AuditEntry) -> str:
    body = {
        "previous": previous_hash,
        "at": _utc_text(entry.at),
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
    write_lock(session, CHAIN_LOCK)
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).first()
    previous_hash = last.entry_hash if last else GENESIS
    entry = AuditEntry(
        actor=actor or current_actor(session),
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


@dataclass(frozen=True)
class AuditReport:
    """What ``verify`` found: ``broken_id`` and ``problem`` name the first entry that breaks the chain."""

    checked: int
    head: str
    broken_id: int | None = None
    problem: str | None = None  # altered | deleted | reordered | inserted | truncated
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(session: Session, *, known_head: str | None = None) -> AuditReport:
    """Recompute every entry's hash and link, oldest first; stop at the first break. ``known_head`` is a head hash
    noted earlier: it must still be in the chain (a log cut short, or rewritten from some entry on, loses it)."""
    require(Permission.view_reports)
    rows = list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id))))
    position = {entry.entry_hash: index for index, entry in enumerate(rows)}
    expected = GENESIS
    for index, entry in enumerate(rows):
        if entry.previous_hash != expected:
            return _broken_link(rows, index, position.get(entry.previous_hash))
        if entry_digest(entry.previous_hash, entry) != entry.entry_hash:
            return _report(rows, index, "altered", _("audit entry {id} was changed after it was written"))
        expected = entry.entry_hash
    if known_head and known_head != GENESIS and known_head not in position:
        last = rows[-1].id if rows else 0
        message = _("the log ends at audit entry {id} and no longer holds the head {head} noted earlier")
        return AuditReport(len(rows), expected, None, "truncated", message.format(id=last, head=known_head[:12]))
    return AuditReport(checked=len(rows), head=expected)


def _broken_link(rows: Sequence[AuditEntry], index: int, follows: int | None) -> AuditReport:
    """Why entry ``index`` does not follow the one before it; ``follows`` is the position of the entry it names."""
    entry = rows[index]
    if follows is not None and follows > index:
        message = _("audit entry {id} is out of order: it follows entry {other}, which comes later")
        return _report(rows, index, "reordered", message, other=rows[follows].id)
    if follows is None and entry.previous_hash != GENESIS:
        message = _("audit entry {id} follows an entry that is no longer in the log (deleted or rewritten)")
        return _report(rows, index, "deleted", message)
    # Two branches grow from one entry (or from the start): the entries between, and this one with its successors.
    # The genuine log is the longer branch; the other was slipped in.
    start = -1 if follows is None else follows
    between = index - start - 1
    after = 1
    while index + after < len(rows) and rows[index + after].previous_hash == rows[index + after - 1].entry_hash:
        after += 1
    forged = index if after < between else start + 1
    message = _("audit entry {id} was inserted: it branches off the chain, which goes on without it")
    return _report(rows, forged, "inserted", message)


def _report(rows: Sequence[AuditEntry], index: int, problem: str, message: str, **names: Any) -> AuditReport:
    entry = rows[index]
    head = rows[index - 1].entry_hash if index else GENESIS
    return AuditReport(
        checked=index,
        head=head,
        broken_id=entry.id,
        problem=problem,
        reason=message.format(id=entry.id, **names),
    )


def entries(session: Session, *, entity: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    """The newest entries first, optionally for one kind of entity (``certificate``) or one ``entity:key``."""
    require(Permission.view_reports)
    statement = select(AuditEntry).order_by(col(AuditEntry.id).desc())
    if entity:
        kind, _sep, key = entity.partition(":")
        statement = statement.where(col(AuditEntry.entity) == kind)
        if key:
            statement = statement.where(col(AuditEntry.entity_key) == key)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.exec(statement))
