"""Fonts for documents: Chinese text needs a CJK font that WeasyPrint (Pango/fontconfig) can find."""

from __future__ import annotations

import ctypes.util
import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs

from lms.files.storage import write_atomically
from lms.i18n import _
from lms.maintenance.doctor import CheckResult
from lms.maintenance.progress import report

APT_PACKAGES = "fonts-noto-cjk libharfbuzz-subset0"


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


@dataclass(frozen=True)
class PreparedFonts:
    """The subset faces (``@font-face`` sources), a batch's rare characters, and the system family they fall back to."""

    faces: tuple[tuple[Path, int], ...]
    fallback_family: str
    extra_faces: tuple[tuple[Path, int], ...] = ()
    batch_faces: tuple[tuple[Path, int], ...] = ()

    def _families(self) -> tuple[tuple[str, tuple[tuple[Path, int], ...]], ...]:
        return ((BATCH_FAMILY, self.batch_faces), (SUBSET_FAMILY, self.faces), (EXTRA_FAMILY, self.extra_faces))

    def css(self) -> str:
        rules = [
            f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); font-weight: {weight}; }}'
            for family, faces in self._families()
            for path, weight in faces
        ]
        chosen = [family for family, faces in self._families() if faces] + [self.fallback_family]
        families = ", ".join(f'"{name}"' for name in chosen if name)
        rules.append(f"html {{ font-family: {families}, sans-serif; }}")
        return "\n".join(rules)

    def files(self) -> list[Path]:
        return [path for path, _weight in (*self.batch_faces, *self.faces, *self.extra_faces)]


def system_cjk_face(weight: int) -> FontFace | None:
    """The Simplified Chinese face fontconfig picks for a weight, as (file, index in a collection)."""
    if not shutil.which("fc-match"):
        return None
    style = "Bold" if weight >= 600 else "Regular"
    result = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}\n%{family[0]}", f"Noto Sans CJK SC:lang=zh-cn:style={style}"],
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
    return FontFace(path, int(lines[1] or 0), weight)


def fallback_family() -> str:
    families = cjk_font_families()
    for preferred in ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"):
        if preferred in families:
            return preferred
    return families[0] if families else ""


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
    """Add a small face holding the characters of ``text`` outside the common subset (堃, 喆, 䶮 in a batch's names),
    so that no certificate of the batch makes WeasyPrint subset the full 65,535-glyph system face (~0.6 s a weight,
    once per batch, instead of ~0.15 s for every certificate that has one)."""
    common = _common_codepoints()
    rare = "".join(sorted({char for char in text if ord(char) > 0x7F and ord(char) not in common}))
    if not rare:
        return fonts
    cache = cache or font_cache_dir()
    extra = []
    for weight in (400, 700):
        face = system_cjk_face(weight)
        if face is not None:
            extra.append((subset_face(face, cache, rare, prefix="lms-rare", all_features=False), weight))
    _prune_batch_faces(cache, keep={path for path, _weight in extra})
    return PreparedFonts(fonts.faces, fonts.fallback_family, tuple(extra), fonts.batch_faces)


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
    return PreparedFonts(fonts.faces, fonts.fallback_family, fonts.extra_faces, batch)


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
    return PreparedFonts(tuple(faces), fallback_family())


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


def missing_glyphs(text: str, fonts: PreparedFonts) -> set[str]:
    """Characters of ``text`` that neither the subset nor the full system face can draw (they would print as boxes)."""
    needed = {char for char in text if not char.isspace() and ord(char) >= 0x20}
    if not needed:
        return set()
    covered = _covered_codepoints(fonts)
    return {char for char in needed if ord(char) not in covered}


_COVERAGE: dict[PreparedFonts, frozenset[int]] = {}


def _covered_codepoints(fonts: PreparedFonts) -> frozenset[int]:
    if fonts not in _COVERAGE:
        from fontTools.ttLib import TTFont

        covered: set[int] = set()
        face = system_cjk_face(400)
        sources = [(path, 0) for path, _weight in fonts.faces]
        if face is not None:
            sources.append((face.path, face.index))
        for path, index in sources:
            font = TTFont(path, fontNumber=index, lazy=True)
            covered.update(font.getBestCmap())
            font.close()
        _COVERAGE[fonts] = frozenset(covered)
    return _COVERAGE[fonts]
