"""Versioned documents: training plans, session reports and materials bundles kept with every version.

A document is made from data; the hash of that data (``inputs_sha256``) decides whether it is new. When it differs
from the latest version's, the document is rendered once more, its file kept in the file store by its own hash
(``lms.files.storage``) and recorded as version N+1; when it is the same, the stored file of the latest version is
handed
back unchanged. Old versions are never replaced, so any of them can be written out again byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.errors import LmsError, NotFoundError
from lms.files.storage import store_bytes, stored_file_path
from lms.i18n import _
from lms.models import IssuedDocument

BILINGUAL = "zh+en"
TRAINING_PLAN = "training_plan"  # subject: the project code
SESSION_REPORT = "session_report"  # subject: the session code
MATERIALS_BUNDLE = "materials_bundle"  # subject: the session code; the file is the bundle's manifest
EVIDENCE_KINDS = (TRAINING_PLAN, SESSION_REPORT, MATERIALS_BUNDLE)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def canonical_json(data: Any) -> bytes:
    """Dataclasses, dicts, lists and dates as JSON with sorted keys: the same data always gives the same bytes."""
    return json.dumps(_plain(data), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest_of(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


@dataclass(frozen=True)
class IssuedVersion:
    """One version of a document and its file's bytes; ``new`` when this call made it."""

    kind: str
    subject: str
    version: int
    created_at: dt.datetime
    inputs_sha256: str
    sha256: str
    content: bytes
    new: bool


@dataclass(frozen=True)
class VersionLine:
    kind: str
    subject: str
    version: int
    created_at: dt.datetime
    inputs_sha256: str
    sha256: str


def versions_of(session: Session, kind: str, subject: str) -> list[IssuedDocument]:
    return list(
        session.exec(
            select(IssuedDocument)
            .where(IssuedDocument.kind == kind, IssuedDocument.subject == subject)
            .order_by(col(IssuedDocument.version))
        )
    )


def stored_content(files_root: Path, row: IssuedDocument) -> bytes:
    """The file of one recorded version.

    Raises:
        LmsError: the file store no longer holds it.
    """
    path = stored_file_path(files_root, row.sha256)
    if path is None:
        raise LmsError(
            _("version {version} of the {kind} of {subject} is missing from the file store").format(
                version=row.version, kind=row.kind, subject=row.subject
            ),
            file=files_root,
        )
    return path.read_bytes()


def issue(
    session: Session,
    *,
    kind: str,
    subject: str,
    inputs_sha256: str,
    make: Callable[[int], bytes],
    files_root: Path,
    suffix: str = ".pdf",
    media_type: str = "application/pdf",
) -> IssuedVersion:
    """The current version of a document: the latest one if its inputs are unchanged, else a new one made by
    ``make(version)``, stored and recorded (the caller's transaction decides whether the record lands)."""
    rows = versions_of(session, kind, subject)
    latest = rows[-1] if rows else None
    if latest is not None and latest.inputs_sha256 == inputs_sha256:
        return _issued(latest, stored_content(files_root, latest), new=False)
    version = latest.version + 1 if latest else 1
    content = make(version)
    stored = store_bytes(files_root, content, suffix, media_type)
    row = IssuedDocument(
        kind=kind,
        subject=subject,
        version=version,
        inputs_sha256=inputs_sha256,
        sha256=stored.sha256,
        language=BILINGUAL,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        action="document.issued",
        entity=kind,
        key=subject,
        before={"version": latest.version, "sha256": latest.sha256} if latest else None,
        after={"version": version, "sha256": stored.sha256, "inputs_sha256": inputs_sha256},
    )
    return _issued(row, content, new=True)


def issued_version(session: Session, files_root: Path, kind: str, subject: str, version: int) -> IssuedVersion:
    """One recorded version with its file.

    Raises:
        NotFoundError: no such version.
        LmsError: its file is missing from the file store.
    """
    row = session.exec(
        select(IssuedDocument).where(
            IssuedDocument.kind == kind, IssuedDocument.subject == subject, IssuedDocument.version == version
        )
    ).first()
    if row is None:
        raise NotFoundError(
            _("{subject} has no version {version}").format(subject=subject, version=version), field="--version"
        )
    return _issued(row, stored_content(files_root, row), new=False)


def utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _issued(row: IssuedDocument, content: bytes, *, new: bool) -> IssuedVersion:
    return IssuedVersion(
        row.kind, row.subject, row.version, utc(row.created_at), row.inputs_sha256, row.sha256, content, new
    )


def version_lines(session: Session, kinds: Sequence[str], subjects: Iterable[str]) -> list[VersionLine]:
    """Every version of these kinds of document about these subjects: by kind in the order given, then subject and
    version."""
    order = {kind: index for index, kind in enumerate(kinds)}
    rows = session.exec(
        select(IssuedDocument).where(
            col(IssuedDocument.kind).in_(list(order)), col(IssuedDocument.subject).in_(list(subjects))
        )
    )
    ranked = sorted(rows, key=lambda r: (order[r.kind], r.subject, r.version))
    return [VersionLine(r.kind, r.subject, r.version, utc(r.created_at), r.inputs_sha256, r.sha256) for r in ranked]
