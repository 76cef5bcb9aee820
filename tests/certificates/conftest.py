"""One document engine for the package's tests: building it imports WeasyPrint and loads the fonts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from certificates.engine import DocumentEngine


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
