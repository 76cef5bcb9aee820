"""Fonts for documents: Chinese text needs a CJK font that WeasyPrint (Pango/fontconfig) can find."""

from __future__ import annotations

import ctypes.util
import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs

from lms.files.storage import write_atomically
from lms.fonts.coverage import DOCUMENT_FAMILIES, face_codepoints, fontconfig_match, installed_face, unprintable
from lms.i18n import _
from lms.maintenance.doctor import CheckResult
from lms.maintenance.progress import report

APT_PACKAGES = "fonts-noto-cjk fonts-hanazono libharfbuzz-subset0"


def cjk_font_families() -> list[str]:
    """Font families fontconfig offers for Simplified Chinese."""
    if not shutil.which("fc-list"):
        return []
    result = subprocess.run(
        ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False, timeout=30
    )
    return sorted({line.split(",")[0].strip() for line in result.stdout.splitlines() if line.strip()})


def check_cjk_font(_engine: Any) -> CheckResult:
    families = cjk_font_families()
    name = _("Chinese font for PDFs")
    if not families:
        return CheckResult(name, False, _("no font covers Chinese"), _("run: sudo apt-get install -y fonts-noto-cjk"))
    return CheckResult(name, True, ", ".join(families[:3]))


def check_rare_name_font(_engine: Any) -> CheckResult:
    name = _("font for rare name characters (CJK Extensions A–F)")
    if installed_face("HanaMinB") is None:
        return CheckResult(
            name, False, _("missing: names such as 𡒄 are refused"), _("run: sudo apt-get install -y fonts-hanazono")
        )
    return CheckResult(name, True, "HanaMinA, HanaMinB")


def check_harfbuzz_subset(_engine: Any) -> CheckResult:
    name = _("font subsetting (libharfbuzz-subset)")
    if ctypes.util.find_library("harfbuzz-subset") is None:
        return CheckResult(
            name,
            False,
            _("missing: PDFs take seconds each"),
            _("run: sudo apt-get install -y libharfbuzz-subset0"),
        )
    return CheckResult(name, True, _("available"))


# The characters every document needs from the CJK font: GB2312's 7,445 (common Chinese, full-width punctuation),
# ASCII and Latin-1. Rarer characters (堃, 喆, 䶮 in names) fall back to the full system face, so only the documents
# that carry them pay for its subsetting.
SUBSET_FAMILY = "LMS Sans CJK"
SUBSET_VERSION = "1"
EXTRA_FAMILY = "LMS Sans CJK Extra"
RARE_FAMILY = "LMS Serif CJK Rare"  # from the Hanazono faces, which have only a regular weight
BATCH_FAMILY = "LMS Sans CJK Batch"
BATCH_FACES_KEPT = 24  # batch faces are small (~100 KB); the oldest beyond this many are removed
BATCH_BASICS = "".join(chr(code) for code in range(0x20, 0x7F)) + "–—‘’“”…·：，。、（）"


def gb2312_characters() -> str:
    characters = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                characters.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(characters)


def subset_characters() -> str:
    latin = "".join(chr(code) for code in range(0x20, 0x7F)) + "".join(chr(code) for code in range(0xA0, 0x180))
    return latin + "–—‘’“”…·•※→←↑↓√×÷≤≥±°℃№" + gb2312_characters()


@dataclass(frozen=True)
class FontFace:
    """One face of the document font: where fontconfig found it and the weight it is used for."""

    path: Path
    index: int
    weight: int


def rare_family(number: int) -> str:
    """The family of the ``number``-th Hanazono subset: "… A", "… B" (a name ending in a digit reads to Pango as a
    font size, and it marks the name with a trailing comma in the PDF)."""
    return f"{RARE_FAMILY} {chr(ord('A') + number)}"


@dataclass(frozen=True)
class PreparedFonts:
    """The subset faces (``@font-face`` sources), a batch's rare characters, and the system families they fall back
    to: Noto Sans CJK SC, then the Hanazono faces for Extensions A–F (:data:`lms.fonts.coverage.DOCUMENT_FAMILIES`)."""

    faces: tuple[tuple[Path, int], ...]
    fallback_families: tuple[str, ...]
    extra_faces: tuple[tuple[Path, int], ...] = ()
    batch_faces: tuple[tuple[Path, int], ...] = ()
    rare_faces: tuple[tuple[Path, int], ...] = ()  # characters only the Hanazono faces hold

    def _families(self) -> tuple[tuple[str, tuple[tuple[Path, int], ...]], ...]:
        return (
            (BATCH_FAMILY, self.batch_faces),
            (SUBSET_FAMILY, self.faces),
            (EXTRA_FAMILY, self.extra_faces),
            *((rare_family(number), (face,)) for number, face in enumerate(self.rare_faces)),
        )

    def css(self) -> str:
        """``@font-face`` rules and the one font list of every document. Each family is looked up per character, so
        a character the batch face lacks still comes from the next family that holds it, down to the system faces."""
        rules = [
            f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); font-weight: {weight}; }}'
            for family, faces in self._families()
            for path, weight in faces
        ]
        chosen = [family for family, faces in self._families() if faces] + list(self.fallback_families)
        families = ", ".join(f'"{name}"' for name in chosen if name)
        rules.append(f"html {{ font-family: {families}, sans-serif; }}")
        return "\n".join(rules)

    def files(self) -> list[Path]:
        return [path for _family, faces in self._families() for path, _weight in faces]


def svg_font_list() -> str:
    """Every family a document may use, for SVG images, which do not inherit the page's fonts: the prepared faces
    (those a batch lacks are skipped) then the system ones. Unquoted and without spaces after the commas, the way
    WeasyPrint's SVG renderer splits the list."""
    rare = [rare_family(number) for number in range(len(DOCUMENT_FAMILIES) - 1)]
    return ",".join([BATCH_FAMILY, SUBSET_FAMILY, EXTRA_FAMILY, *rare, *DOCUMENT_FAMILIES, "sans-serif"])


def system_cjk_face(weight: int) -> FontFace | None:
    """The Simplified Chinese face fontconfig picks for a weight, as (file, index in a collection)."""
    found = fontconfig_match("Noto Sans CJK SC", "Bold" if weight >= 600 else "Regular")
    return FontFace(found[0], found[1], weight) if found else None  # whatever CJK face it picks, Noto or not


def fallback_families() -> tuple[str, ...]:
    """The installed system families documents fall back to, best first (Noto Sans CJK SC, HanaMinA, HanaMinB)."""
    installed = [family for family in DOCUMENT_FAMILIES if installed_face(family) is not None]
    if not installed:
        installed = cjk_font_families()[:1]
    return tuple(installed)


def font_cache_dir() -> Path:
    return Path(os.environ.get("LMS_FONT_CACHE") or platformdirs.user_cache_dir("lms", appauthor=False)) / "fonts"


def subset_target(
    face: FontFace, cache: Path, characters: str | None = None, *, prefix: str = "lms-cjk", all_features: bool = True
) -> Path:
    """Where the subset of ``face`` to ``characters`` is cached (it may not be built yet)."""
    characters = characters if characters is not None else subset_characters()
    stat = face.path.stat()
    features = "" if all_features else "|default-features"
    key = hashlib.sha256(
        f"{SUBSET_VERSION}|{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}{features}|{characters}".encode()
    ).hexdigest()[:16]
    return cache / f"{prefix}-{face.weight}-{key}.otf"


def subset_face(
    face: FontFace,
    cache: Path,
    characters: str | None = None,
    *,
    prefix: str = "lms-cjk",
    all_features: bool = True,
    step: Callable[[], None] = lambda: None,
) -> Path:
    """Subset a system face to ``characters`` (default: the common set) once; later runs reuse the cached file.

    ``all_features=False`` keeps only the OpenType features horizontal text is shaped with (fontTools' default list):
    glyphs reachable only through vertical forms or stylistic alternates are then left out, which makes a small face
    about a third of the size and three times as quick to make."""
    target = subset_target(face, cache, characters, prefix=prefix, all_features=all_features)
    if target.exists():
        return target
    characters = characters if characters is not None else subset_characters()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=not all_features)
    step()
    options = subset.Options()
    if all_features:
        options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    step()
    buffer = io.BytesIO()
    font.save(buffer)
    write_atomically(target, buffer.getvalue())
    step()
    return target


def with_rare_characters(fonts: PreparedFonts, text: str, cache: Path | None = None) -> PreparedFonts:
    """Add small faces holding the characters of ``text`` outside the common subset (堃, 喆, 䶮, 𡒄 in a batch's
    names), so that no certificate of the batch makes WeasyPrint subset a full system face (~0.6 s a weight, once per
    batch, instead of ~0.15 s for every certificate that has one). What Noto Sans CJK holds comes from it in both
    weights; the rest from the Hanazono face that holds it (one family per face: a second face of one family and
    weight would be shadowed by the first)."""
    common = _common_codepoints()
    rare = sorted({char for char in text if ord(char) > 0x7F and ord(char) not in common})
    if not rare:
        return fonts
    cache = cache or font_cache_dir()
    system = system_cjk_face(400)
    in_system = set(face_codepoints(system.path, system.index)) if system is not None else set()
    # The spaces and punctuation around a rare character are shaped with its face: a face without them would print
    # them as .notdef (the box after a name ending in 堃), so every rare face carries the basics too.
    from_system = "".join(char for char in rare if ord(char) in in_system)
    extra = []
    for weight in (400, 700) if from_system else ():
        face = system_cjk_face(weight)
        if face is not None:
            characters = BATCH_BASICS + from_system
            extra.append((subset_face(face, cache, characters, prefix="lms-rare", all_features=False), weight))
    rare_faces = []
    left = [char for char in rare if ord(char) not in in_system]
    for family in DOCUMENT_FAMILIES[1:]:
        found = installed_face(family)
        if found is None or not left:
            continue
        held = "".join(char for char in left if ord(char) in face_codepoints(*found))
        if held:
            face = FontFace(found[0], found[1], 400)
            characters = BATCH_BASICS + held
            rare_faces.append((subset_face(face, cache, characters, prefix="lms-rare", all_features=False), 400))
            left = [char for char in left if char not in held]
    _prune_batch_faces(cache, keep={path for path, _weight in (*extra, *rare_faces)})
    return replace(fonts, extra_faces=tuple(extra), rare_faces=tuple(rare_faces))


def for_batch(fonts: PreparedFonts, text: str, cache: Path | None = None) -> PreparedFonts:
    """Put first a face holding only the common characters of ``text`` (everything a batch of documents prints).

    WeasyPrint subsets every face a document uses and keeps glyph ids up to the highest one used, so a document
    drawing from the ~7,500-glyph common face carries ~50 KB of it per weight and spends ~8 ms subsetting and
    compressing it twice; from a face of the batch's few hundred glyphs it carries a few KB. Characters outside the
    batch face still come from the common face, then the rare-character face, then the system font: nothing is
    lost if ``text`` missed one, it only costs that document more."""
    common = _common_codepoints()
    characters = "".join(sorted({char for char in BATCH_BASICS + text if ord(char) in common}))
    cache = cache or font_cache_dir()
    batch = tuple(
        (subset_face(FontFace(path, 0, weight), cache, characters, prefix="lms-batch", all_features=False), weight)
        for path, weight in fonts.faces
    )
    _prune_batch_faces(cache, keep={path for path, _weight in batch})
    return replace(fonts, batch_faces=batch)


def _prune_batch_faces(cache: Path, keep: set[Path]) -> None:
    """Faces made for one batch pile up in the cache; keep the most recently used ones."""
    for path in keep:
        path.touch()
    faces = [*cache.glob("lms-batch-*.otf"), *cache.glob("lms-rare-*.otf")]
    faces.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for path in faces[BATCH_FACES_KEPT:]:
        if path not in keep:
            path.unlink(missing_ok=True)


@cache
def _common_codepoints() -> frozenset[int]:
    return frozenset(ord(char) for char in subset_characters())


def prepare_fonts(cache: Path | None = None, characters: str | None = None) -> PreparedFonts:
    """The document fonts: subset faces of the system CJK font (made once, 1–4 minutes on a first run) and its full
    family. ``characters``: the common set unless given (tests pass a few to stay quick)."""
    cache = cache or font_cache_dir()
    system = [(face, weight) for weight in (400, 700) if (face := system_cjk_face(weight)) is not None]
    to_build = sum(not subset_target(face, cache, characters).exists() for face, _weight in system)
    steps = SubsetSteps(to_build * len(SubsetSteps.STAGES))
    faces = [(subset_face(face, cache, characters, step=steps.step), weight) for face, weight in system]
    return PreparedFonts(tuple(faces), fallback_families())


class SubsetSteps:
    """Counts the stages of building the common faces, so a first run says what it does instead of going quiet."""

    STAGES = ("read", "subset", "save")

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        if total:
            report(self.what(), 0, total)

    @staticmethod
    def what() -> str:
        return _("Preparing the Chinese document fonts (first run only, 1–4 minutes)…")

    def step(self) -> None:
        self.done += 1
        report(self.what(), self.done, self.total)


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that no document face can draw (they would print as boxes): the subset faces are cut
    from the system faces, so those decide."""
    return unprintable(text)
