"""One document engine for the package's tests: building it imports WeasyPrint and loads the fonts."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from certificates.engine import DocumentEngine
from lms.db import make_engine
from lms.models import Certificate
from tests.conftest import copy_database


@pytest.fixture(scope="session")
def document_engine() -> DocumentEngine:
    return DocumentEngine()


def pdf_text(path: Path) -> str:
    """The text pdftotext extracts (what a reader copying from the PDF gets)."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path: Path) -> list[list[str]]:
    """pdffonts rows: name, type, encoding, embedded, subset, unicode, ..."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split() for line in lines[2:] if line.strip()]


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A copy of the demo database of one's own, with its own files folder."""
    monkeypatch.setenv("LMS_FILES_DIR", str(tmp_path / "files"))
    url, drop = copy_database(demo_database, tmp_path)
    yield url
    drop()


def certificates(url: str) -> list[Certificate]:
    with Session(make_engine(url)) as session:
        return list(session.exec(select(Certificate).order_by(Certificate.serial)))


def shown_glyphs(path: Path) -> dict[str, tuple[set[int], set[int]]]:
    """For each composite (Type0, Identity-H) font of the PDF: the codes its text draws (pages and forms) and the
    codes its embedded font has a glyph for. WeasyPrint writes glyph ids (CIDs) as the codes; a code that is 0 or
    has no glyph prints .notdef, a box on paper, which PDF/A forbids."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(path)
    shown: dict[str, tuple[set[int], set[int]]] = {}

    def walk(contents: Any, resources: Any) -> None:
        fonts = resources.get("/Font", {}) if resources else {}
        codes: set[int] | None = None
        for operands, operator in ContentStream(contents, reader).operations:
            if operator == b"Tf":
                font = fonts[operands[0]].get_object()
                codes = None
                if font["/Subtype"] == "/Type0":
                    name = str(font["/BaseFont"])
                    if name not in shown:
                        shown[name] = (set(), embedded_glyphs(font))
                    codes = shown[name][0]
            elif operator in (b"Tj", b"TJ", b"'", b'"') and codes is not None:
                for item in operands[0] if operator == b"TJ" else operands[-1:]:
                    if isinstance(item, bytes | str):
                        data = bytes(item) if isinstance(item, bytes) else item.original_bytes  # type: ignore[attr-defined]
                        codes.update(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2))
        for xobject in (resources or {}).get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject, xobject.get("/Resources", resources))

    for page in reader.pages:
        walk(page.get_contents(), page.get("/Resources"))
    return shown


def embedded_glyphs(font: Any) -> set[int]:
    """The codes (CIDs) an embedded composite font has a real glyph for (.notdef, CID 0, excluded)."""
    import io

    from fontTools.ttLib import TTFont

    descendant = font["/DescendantFonts"][0].get_object()
    descriptor = descendant["/FontDescriptor"].get_object()
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    embedded = TTFont(io.BytesIO(stream.get_object().get_data()))
    return set(range(1, embedded["maxp"].numGlyphs))


def notdef_fonts(path: Path) -> list[str]:
    """The fonts that print .notdef (a box) somewhere in the PDF: empty when every character has its glyph."""
    return sorted(name for name, (codes, glyphs) in shown_glyphs(path).items() if codes - glyphs)
