"""Reading text files that come from people: UTF-8 with or without BOM, or GBK as Chinese Windows writes it."""

from __future__ import annotations

import re
from pathlib import Path

from lms.errors import LmsError
from lms.files.limits import SizeLimit, read_limited
from lms.i18n import _

_CJK = re.compile(r"[\u3400-\u9fff]")
BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path, *, limit: SizeLimit | int) -> bytes:
    """The whole file, refused before reading when it is over ``limit`` or not a regular file (see ``limits``)."""
    if isinstance(limit, int):
        limit = SizeLimit(limit, lambda: _("this kind of file"))
    return read_limited(path, limit)


def guess_legacy_encoding(raw: bytes) -> str | None:
    """Name the encoding a non-UTF-8 file most likely uses, or None."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for encoding in ("gbk", "gb18030", "big5"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CJK.search(text):
            return encoding.upper()
    return None


def refuse_nul(text: str, path: Path) -> str:
    """Text files hold no NUL characters (databases refuse them too); one there means UTF-16 or a binary file."""
    position = text.find("\x00")
    if position >= 0:
        message = _("contains a NUL byte: not a text file (UTF-16?); save it as UTF-8")
        raise LmsError(message, file=path, line=text.count("\n", 0, position) + 1)
    return text


def decode_utf8(raw: bytes, path: Path) -> str:
    """Decode UTF-8 (a BOM is allowed); refuse anything else, saying what it looks like."""
    try:
        return refuse_nul(raw.removeprefix(BOM).decode("utf-8"), path)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        guess = guess_legacy_encoding(raw)
        if guess:
            message = _("not UTF-8; it looks like {encoding} (a Chinese Windows editor?): save it as UTF-8").format(
                encoding=guess
            )
        else:
            message = _("not UTF-8 (byte 0x{byte:02x}): save it as UTF-8").format(byte=raw[error.start])
        raise LmsError(message, file=path, line=line) from None


def decode_table_text(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode a CSV as Excel writes it: UTF-8, UTF-8 with BOM, or GBK. Returns (text, encoding name)."""
    if raw.startswith(BOM):
        return decode_utf8(raw, path), "UTF-8 (BOM)"
    try:
        return refuse_nul(raw.decode("utf-8"), path), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return refuse_nul(raw.decode("gb18030"), path), "GBK"
    except UnicodeDecodeError:
        return decode_utf8(raw, path), "UTF-8"


def read_text_file(path: Path, limit: SizeLimit) -> str:
    """A UTF-8 text file (BOM allowed) within ``limit`` (a pasted holiday notice, say), checked before reading."""
    return decode_utf8(read_limited(path, limit), path)
