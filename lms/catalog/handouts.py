"""Files a course YAML names (``handouts``): confined to the course's own folder, kept in the file store.

A course file is written by someone outside the vendor's control as often as not, and its handouts go to buyers in
the materials bundle. So a handout must be a regular file inside the folder of the course YAML once symlinks are
resolved (no ``..``, no absolute path, no link out), checked at ``courses validate`` and again at import. At import
each one is copied into the content-addressed store with its hash; the bundle reads it back from there, never from
the path as typed, so neither the working directory nor later edits beside the YAML change what is sent.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from lms.errors import LmsError
from lms.files.storage import sha256_of, store_bytes, stored_file_path
from lms.files.yamlsource import YamlDocument
from lms.i18n import _

HANDOUT_LIMIT = 200 * 1024 * 1024


@dataclass(frozen=True)
class Handout:
    """A handout found inside the course folder: the name it is sent under and where it is now."""

    name: str
    path: Path
    size: int


def resolve_handouts(document: YamlDocument, entries: list[str]) -> list[Handout]:
    """Every handout of a course file, confined to the file's folder.

    Raises:
        LmsError: naming the course file, the line and ``handouts[i]``: an absolute path, a path leaving the folder
            (``..`` or a symlink), a missing or non-regular file, or one over the size limit.
    """
    folder = document.path.resolve().parent
    found: list[Handout] = []
    for index, entry in enumerate(entries):
        where = ("handouts", index)
        typed = entry.strip()
        if not typed or PurePosixPath(typed).is_absolute() or PureWindowsPath(typed).is_absolute():
            raise document.error(
                where, _("a handout must be a file in the course's folder, not {path!r}").format(path=entry)
            )
        candidate = folder / typed
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            raise document.error(
                where, _("handout {name} not found beside the course file").format(name=entry)
            ) from None
        if not resolved.is_relative_to(folder):
            raise document.error(where, _("handout {name} is outside the course's folder; refusing").format(name=entry))
        info = os.stat(resolved)
        if not stat.S_ISREG(info.st_mode):
            raise document.error(where, _("handout {name} is not a regular file").format(name=entry))
        if info.st_size > HANDOUT_LIMIT:
            raise document.error(
                where,
                _("handout {name} is {size} bytes, over the {limit}-byte limit").format(
                    name=entry, size=info.st_size, limit=HANDOUT_LIMIT
                ),
            )
        found.append(Handout(name=resolved.name, path=resolved, size=info.st_size))
    return found


def store_handouts(root: Path, handouts: list[Handout]) -> list[dict[str, Any]]:
    """Copy each handout into the file store; returns what the course version records: name, hash, size."""
    stored: list[dict[str, Any]] = []
    for handout in handouts:
        try:
            data = handout.path.read_bytes()
        except OSError as error:
            raise LmsError(
                _("cannot read the file: {reason}").format(reason=error.strerror), file=handout.path
            ) from None
        if len(data) > HANDOUT_LIMIT:  # it grew since it was checked
            raise LmsError(_("file is larger than {limit} bytes").format(limit=HANDOUT_LIMIT), file=handout.path)
        kept = store_bytes(root, data, handout.path.suffix.lower()[:16], "application/octet-stream")
        stored.append({"name": handout.name, "sha256": kept.sha256, "size": kept.size})
    return stored


def handout_name(entry: Any) -> str:
    """The name a recorded handout is sent under (entries before handouts were stored are plain names)."""
    return str(entry["name"]) if isinstance(entry, dict) else str(entry)


def read_stored_handout(root: Path, entry: Any, course_code: str) -> bytes:
    """A recorded handout's bytes from the file store, checked against its hash.

    Raises:
        LmsError: the course version predates stored handouts (re-import it), or the stored file is missing or
            altered.
    """
    if not isinstance(entry, dict):
        raise LmsError(
            _("course {code} was imported before handouts were stored; import its YAML again").format(code=course_code)
        )
    path = stored_file_path(root, str(entry["sha256"]))
    if path is None:
        raise LmsError(
            _("handout {name} of course {code} is missing from the file store").format(
                name=entry["name"], code=course_code
            )
        )
    data = path.read_bytes()
    if sha256_of(data) != entry["sha256"]:
        raise LmsError(
            _("handout {name} of course {code} was altered in the file store").format(
                name=entry["name"], code=course_code
            ),
            file=path,
        )
    return data
