"""Size limits on the files people hand us, checked before a byte is read.

The file is opened without blocking (a FIFO would otherwise wait for a writer), refused unless it is a regular
file (``/dev/zero`` never ends), checked against its limit by ``fstat``, and then read at most one byte past the
limit, so a file that grows while it is read is refused too. The error names the file, its size and the limit:
"roster.csv: 24 GB is over the 20 MB limit for rosters".
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lms.errors import LmsError
from lms.i18n import _

MB = 1024 * 1024


@dataclass(frozen=True)
class SizeLimit:
    """The most bytes a kind of file may have; ``kind`` is read at call time so the message follows the language."""

    max_bytes: int
    kind: Callable[[], str]


ROSTERS = SizeLimit(20 * MB, lambda: _("rosters"))
SCANS = SizeLimit(50 * MB, lambda: _("scans"))
COURSE_FILES = SizeLimit(64 * MB, lambda: _("course and projects files"))
GIFT_FILES = SizeLimit(20 * MB, lambda: _("GIFT files"))
HOLIDAY_NOTICES = SizeLimit(1 * MB, lambda: _("holiday notices"))
TYPED_IN_SHEETS = SizeLimit(50 * MB, lambda: _("answer and feedback sheets"))
CALENDARS = SizeLimit(50 * MB, lambda: _("calendar files"))
NOTES = SizeLimit(1 * MB, lambda: _("notes"))


def size_text(size: int) -> str:
    """A size as people say it: 512 bytes, 3 KB, 20 MB, 24 GB (binary units, one decimal below ten)."""
    if size < 1024:
        return _("{count} bytes").format(count=size)
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    number = f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"
    return f"{number} {unit}"


def over_limit(path: Path, size: int, limit: SizeLimit) -> LmsError:
    message = _("{size} is over the {limit} limit for {kind}").format(
        size=size_text(size), limit=size_text(limit.max_bytes), kind=limit.kind()
    )
    return LmsError(message, file=path)


def check_size(path: Path, limit: SizeLimit) -> int:
    """The size of a regular file within ``limit``, without reading it; raises :class:`LmsError` otherwise."""
    with _opened(path, limit) as (_handle, size):
        return size


def read_limited(path: Path, limit: SizeLimit) -> bytes:
    """The whole of a regular file no larger than ``limit``; refused (naming the file) before it is read."""
    with _opened(path, limit) as (handle, _size):
        data = handle.read(limit.max_bytes + 1)
    if len(data) > limit.max_bytes:  # it grew after the check
        raise over_limit(path, len(data), limit)
    return data


def _checked_size(path: Path, status: os.stat_result, limit: SizeLimit) -> int:
    if stat.S_ISDIR(status.st_mode):
        raise LmsError(_("is a folder, not a file"), file=path)
    if not stat.S_ISREG(status.st_mode):
        raise LmsError(_("not a regular file (a device, pipe or socket); save it as a file first"), file=path)
    if status.st_size > limit.max_bytes:
        raise over_limit(path, status.st_size, limit)
    return status.st_size


@contextmanager
def _opened(path: Path, limit: SizeLimit) -> Iterator[tuple[BinaryIO, int]]:
    """The file opened without blocking on a FIFO, refused by its type and size before any read; and its size."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise LmsError(_("file not found"), file=path) from None
    except IsADirectoryError:
        raise LmsError(_("is a folder, not a file"), file=path) from None
    except OSError as error:
        raise LmsError(_("cannot read: {reason}").format(reason=error.strerror), file=path) from None
    try:
        size = _checked_size(path, os.fstat(descriptor), limit)
    except BaseException:
        os.close(descriptor)
        raise
    if hasattr(os, "set_blocking"):  # a regular file reads normally; the flag only mattered for open
        os.set_blocking(descriptor, True)
    with os.fdopen(descriptor, "rb") as handle:
        yield handle, size
