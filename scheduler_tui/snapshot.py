"""The dashboard's last picture of itself, painted at start while the database opens (issue 20, option b).

One JSON file per database and language in the user's cache folder (``LMS_CACHE_DIR``, else the platform's cache
folder for ``lms``, where the document fonts are cached too), named by a hash of the database it shows (its URL
without the password, a SQLite file by its absolute path; neither password nor address is written) and the
language its words are in. The dashboard writes it whole (a temporary file, then a rename) after each complete
refresh. A file that cannot be read, or of another format or database, is ignored: the screen shows its loading
state instead. Importing this module imports no ORM: the first frame must not wait for one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import platformdirs

FORMAT = 2  # 2: the database kept as a hash of its identity
# What each row must hold for the screen to show it; a snapshot missing any of it is of an older format.
SESSION_KEYS = frozenset(
    {"code", "project", "first_day", "last_day", "course", "status", "status_label", "provisional", "trainers"}
)
OBLIGATION_KEYS = frozenset(
    {"status", "status_label", "project", "obligation", "period", "period_name", "window_start", "window_end", "reason"}
)
CONFLICT_KEYS = frozenset({"day", "kind", "label", "sessions"})


@dataclass(frozen=True)
class DashboardSnapshot:
    """What the dashboard showed after its last complete refresh."""

    taken_at: dt.datetime  # aware, UTC
    sessions: list[dict[str, Any]]
    obligations: list[dict[str, Any]]  # the most urgent ones the table shows
    obligation_count: int  # all of them
    conflicts: list[dict[str, Any]]


SECRET_PARAMETERS = frozenset({"password", "passfile", "sslpassword"})


def database_identity(url: str) -> str:
    """The database ``url`` names, with no secret in it: the password taken out of the user part and the query
    (``postgresql://u:secret@h/db`` → ``…//u@h/db``), and a SQLite file by its absolute path, since a relative one
    names a different file in each folder."""
    parts = urlsplit(url)
    user_part, at, host_part = parts.netloc.rpartition("@")
    netloc = f"{user_part.split(':', 1)[0]}@{host_part}" if at else parts.netloc
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key.lower() not in SECRET_PARAMETERS
        ]
    )
    path = parts.path
    if parts.scheme.startswith("sqlite") and path not in ("", "/", "/:memory:"):
        path = "/" + str(Path(path[1:]).expanduser().resolve())
    return urlunsplit(parts._replace(netloc=netloc, path=path, query=query))


def database_digest(url: str) -> str:
    """What a snapshot keeps of its database: a hash of its identity, so that no address is written either."""
    return hashlib.sha256(database_identity(url).encode("utf-8")).hexdigest()[:32]


def snapshot_folder() -> Path:
    explicit = os.environ.get("LMS_CACHE_DIR")
    base = Path(explicit) if explicit else Path(platformdirs.user_cache_dir("lms", appauthor=False))
    return base / "dashboard"


def snapshot_path(database_url: str, language: str) -> Path:
    """Where the snapshot of the database at ``database_url``, in ``language`` (its reasons and labels are words
    looked up when it was taken), lives."""
    return snapshot_folder() / f"{database_digest(database_url)}-{language}.json"


def encode_date(value: Any) -> Any:
    """``json.dumps``'s ``default`` for dashboard rows: a date as ``{"$date": "YYYY-MM-DD"}``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    raise TypeError(f"a dashboard row cannot hold {type(value).__name__}")


def decode_date(mapping: dict[str, Any]) -> Any:
    """``json.loads``'s ``object_hook`` that gives ``encode_date``'s dates back."""
    if len(mapping) == 1 and "$date" in mapping:
        return dt.date.fromisoformat(mapping["$date"])
    return mapping


def write_snapshot(path: Path, database_url: str, snapshot: DashboardSnapshot) -> None:
    """Write the snapshot whole or not at all (raises OSError; the caller decides whether that matters)."""
    document = {
        "format": FORMAT,
        "database": database_digest(database_url),
        "taken_at": snapshot.taken_at.astimezone(dt.UTC).isoformat(),
        "sessions": snapshot.sessions,
        "obligations": snapshot.obligations,
        "obligation_count": snapshot.obligation_count,
        "conflicts": snapshot.conflicts,
    }
    data = json.dumps(document, ensure_ascii=False, default=encode_date).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _rows(document: dict[str, Any], name: str, keys: frozenset[str]) -> list[dict[str, Any]]:
    rows = document[name]
    if not isinstance(rows, list) or not all(isinstance(row, dict) and keys <= row.keys() for row in rows):
        raise ValueError(f"{name}: not rows of this format")
    return rows


def read_snapshot(path: Path, database_url: str) -> DashboardSnapshot | None:
    """The snapshot at ``path``, or None when there is none or it cannot be trusted (damaged, older, another
    database's): the screen then shows its loading state, never an error."""
    try:
        document = json.loads(path.read_bytes(), object_hook=decode_date)
        if document.get("format") != FORMAT or document.get("database") != database_digest(database_url):
            return None
        taken_at = dt.datetime.fromisoformat(document["taken_at"])
        if taken_at.tzinfo is None:
            return None
        return DashboardSnapshot(
            taken_at=taken_at,
            sessions=_rows(document, "sessions", SESSION_KEYS),
            obligations=_rows(document, "obligations", OBLIGATION_KEYS),
            obligation_count=int(document["obligation_count"]),
            conflicts=_rows(document, "conflicts", CONFLICT_KEYS),
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
