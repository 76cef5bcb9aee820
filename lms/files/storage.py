"""Where files kept as evidence live: issued certificate PDFs, scans, generated documents.

Files are stored by their SHA-256 under one folder, written to a temporary name and renamed into place, so a crash
leaves no half-written file under a real name and storing the same content twice keeps one copy. The folder sits
beside an SQLite database file (``lms.db`` → ``lms-files/``); for other databases it is ``LMS_FILES_DIR`` or the
user's data folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import Engine

from lms.errors import LmsError
from lms.files.limits import SCANS, read_limited
from lms.i18n import _

# Magic numbers of the formats accepted as scans and evidence; anything else is refused by name.
MEDIA_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"II*\x00", "image/tiff", ".tif"),
    (b"MM\x00*", "image/tiff", ".tif"),
)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path
    size: int
    media_type: str


def files_root(engine: Engine) -> Path:
    explicit = os.environ.get("LMS_FILES_DIR")
    if explicit:
        return Path(explicit)
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        path = Path(database)
        return path.with_name(f"{path.stem}-files")
    return Path(platformdirs.user_data_dir("lms", appauthor=False)) / "files"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def detect_media_type(data: bytes) -> tuple[str, str] | None:
    """(media type, suffix) of a PDF or image by its first bytes, or None."""
    for magic, media_type, suffix in MEDIA_TYPES:
        if data.startswith(magic):
            return media_type, suffix
    return None


def read_evidence_file(path: Path) -> tuple[bytes, str, str]:
    """Read a scan or evidence file, size checked first; refuse anything not a PDF or an image, naming the file."""
    data = read_limited(path, SCANS)
    detected = detect_media_type(data)
    if detected is None:
        raise LmsError(_("not a PDF or an image (PNG, JPEG, TIFF)"), file=path)
    return data, detected[0], detected[1]


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder and a rename."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise LmsError(
            _("cannot write the file: {reason}").format(reason=error.strerror or error), file=target
        ) from None
    try:
        os.chmod(temporary, 0o666 & ~UMASK)  # mkstemp makes 0600; a written document gets the usual mode
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):  # a full disk, a folder where the file should go: one line, not a traceback
            reason = error.strerror or str(error)
            raise LmsError(_("cannot write the file: {reason}").format(reason=reason), file=target) from None
        raise


def _read_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


# Read once at import: os.umask can only be read by setting it, which is not safe once worker threads run.
UMASK = _read_umask()


def store_bytes(root: Path, data: bytes, suffix: str, media_type: str) -> StoredFile:
    """Keep ``data`` under ``root`` by its hash; storing the same bytes again reuses the file."""
    digest = sha256_of(data)
    target = root / digest[:2] / f"{digest}{suffix}"
    if not target.exists() or target.stat().st_size != len(data):
        write_atomically(target, data)
    return StoredFile(digest, target, len(data), media_type)


def stored_file_path(root: Path, sha256: str) -> Path | None:
    """The stored file with this hash, whatever its suffix, or None."""
    folder = root / sha256[:2]
    if not folder.is_dir():
        return None
    for candidate in folder.glob(f"{sha256}.*"):
        if not candidate.name.endswith(".part"):
            return candidate
    return None
