"""One document engine for the package's tests: building it imports WeasyPrint and loads the fonts."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

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
