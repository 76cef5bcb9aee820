"""Which characters the documents can print: the cmaps of the CJK fonts installed for them (fontconfig finds the
files, fontTools reads their character maps; no renderer is loaded).

A name is checked when it comes in (person add/edit, roster import) and again when a certificate is issued, so a
character no font holds is refused with the character named instead of printing as a box (``.notdef``), which is also
not allowed in PDF/A. Noto Sans CJK holds GB 2312, most of Extension A and ~2,100 of Extension B; the Hanazono faces
(Debian ``fonts-hanazono``, HanaMinA and HanaMinB) hold nearly all of Extensions A–F, so the GB 18030 repertoire of
names prints.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from lms.errors import LmsError
from lms.i18n import _

# The families documents print with, in the order the renderer falls back through them.
DOCUMENT_FAMILIES = ("Noto Sans CJK SC", "HanaMinA", "HanaMinB")


def fontconfig_match(family: str, style: str = "Regular") -> tuple[Path, int, list[str]] | None:
    """What fontconfig picks for ``family`` in Simplified Chinese: the font file, its index in a collection and the
    families it names; None without fontconfig or when its answer is not an OpenType/TrueType file."""
    if not shutil.which("fc-match"):
        return None
    result = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}\n%{family}", f"{family}:lang=zh-cn:style={style}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 2 or not lines[0]:
        return None
    path = Path(lines[0])
    if path.suffix.lower() not in {".otf", ".ttf", ".ttc", ".otc"}:
        return None
    return path, int(lines[1] or 0), lines[2].split(",") if len(lines) > 2 else []


@cache
def installed_face(family: str, style: str = "Regular") -> tuple[Path, int] | None:
    """The font file (and index in a collection) fontconfig has for ``family``, or None when it is not installed
    (fc-match always answers with something; only an answer of that family counts)."""
    found = fontconfig_match(family, style)
    if found is None or family not in found[2]:
        return None
    return found[0], found[1]


def document_faces() -> list[tuple[Path, int]]:
    """The installed faces of :data:`DOCUMENT_FAMILIES`, in fallback order."""
    return [face for family in DOCUMENT_FAMILIES if (face := installed_face(family)) is not None]


@cache
def face_codepoints(path: Path, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _common(char: str) -> bool:
    """ASCII, Latin-1 and GB 2312 (which every CJK document font holds): no need to read any cmap."""
    if ord(char) < 0x100:
        return True
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def unprintable(text: str, faces: list[tuple[Path, int]] | None = None) -> list[str]:
    """The characters of ``text`` no document font holds, in order of first appearance. Nothing when no CJK font is
    installed at all: then no document prints (``lms doctor`` says so), and refusing every name would not help."""
    rare = [char for char in dict.fromkeys(text) if not char.isspace() and ord(char) >= 0x20 and not _common(char)]
    if not rare:
        return []
    faces = document_faces() if faces is None else faces
    if not faces:
        return []
    covered = [face_codepoints(path, index) for path, index in faces]
    return [char for char in rare if not any(ord(char) in codepoints for codepoints in covered)]


def described(characters: list[str]) -> str:
    """``𰀀 (U+30000)``: the character and its code point, since the character itself may show as a box too."""
    return ", ".join(f"{char} (U+{ord(char):04X})" for char in characters)


def unprintable_message(characters: list[str]) -> str:
    return _("no installed font can print {characters}").format(characters=described(characters))


def refuse_unprintable(text: str, field: str) -> None:
    """Raise a one-line error naming the characters of ``text`` that no document font can print."""
    missing = unprintable(text)
    if missing:
        raise LmsError(unprintable_message(missing), field=field)
