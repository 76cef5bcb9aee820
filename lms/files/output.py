"""Files and folders a user names for output, checked before any work is done.

Rendering an evidence pack takes seconds; finding only afterwards that ``-o`` names a folder, a read-only place or a
missing drive wastes them and, worse, used to leave a new document version recorded for a file never written. So
commands check the path first, and a write that still fails (a full disk) is one line naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from lms.errors import LmsError
from lms.i18n import _


def _nearest_existing(path: Path) -> Path:
    for candidate in [path, *path.parents]:
        if candidate.exists():
            return candidate
    return Path("/")


def _check_writable_folder(folder: Path, shown: Path, field: str) -> None:
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        raise LmsError(_("{path} is not a folder").format(path=existing), file=shown, field=field)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise LmsError(_("no permission to write in {folder}").format(folder=existing), file=shown, field=field)


def checked_output_file(path: Path, field: str = "-o") -> Path:
    """``path`` if a file can be written there (its folder may not exist yet); one-line error otherwise."""
    if path.is_dir():
        raise LmsError(_("is a folder; give a file name"), file=path, field=field)
    if path.exists() and not os.access(path, os.W_OK):
        raise LmsError(_("no permission to write this file"), file=path, field=field)
    _check_writable_folder(path.parent if str(path.parent) else Path("."), path, field)
    return path


def checked_output_folder(path: Path, field: str = "-o") -> Path:
    """``path`` if files can be written into it (it may not exist yet); one-line error otherwise."""
    if path.exists() and not path.is_dir():
        raise LmsError(_("is a file, not a folder"), file=path, field=field)
    _check_writable_folder(path, path, field)
    return path
