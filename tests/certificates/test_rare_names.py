"""Names with rare characters, from an empty database: every character prints from an embedded glyph (never a box,
which also breaks PDF/A), or the name is refused up front with the character named."""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session

from certificates.batch import BATCH_FACE_FROM, issue_certificates, render_certificate
from certificates.engine import DocumentEngine
from lms.errors import LmsError
from lms.fonts.coverage import document_faces, face_codepoints, unprintable
from lms.master_data.people import PersonFields, add_person
from lms.scheduling.roster_files import RosterFileError, read_staff_file
from tests.certificates.conftest import notdef_fonts, pdf_text
from tests.certificates.rare_world import passed_trainees
from tests.certificates.test_engine import certificate_context

RARE = ("王堃", "李喆", "张赟", "刘䶮", "陈𡒄")  # 𡒄: U+21484, CJK Extension B
COMMON = tuple(f"赵{char}" for char in "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸")  # enough for a batch face
NO_FONT = "\U00030000"  # CJK Extension G: in GB 18030-2022's repertoire, in no installed font


@pytest.fixture(autouse=True)
def own_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LMS_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("LMS_ISSUER_KEY", str(tmp_path / "keys" / "issuer.pem"))


def test_the_installed_fonts_hold_extensions_a_and_b() -> None:
    covered = set().union(*(face_codepoints(path, index) for path, index in document_faces()))
    assert all(ord(char) in covered for char in "堃喆赟䶮𡒄"), "scripts/system-deps.sh installs fonts-hanazono"


def test_every_rare_name_prints_with_its_own_glyphs_in_a_batch(
    engine: Engine, session: Session, pm: Any, tmp_path: Path
) -> None:
    assert len(RARE + COMMON) >= BATCH_FACE_FROM  # the batch face comes first in the font list
    passed_trainees(session, pm, tmp_path, RARE + COMMON)
    report = issue_certificates(engine, pm, workers=1, output_dir=tmp_path / "out")
    assert report.refused == [] and len(report.rendered) == len(RARE + COMMON)
    for number, name in enumerate(RARE, start=1):
        pdf = tmp_path / "out" / f"PX2026-{number:05d}.pdf"
        assert name in pdf_text(pdf).replace(" ", ""), name
        assert notdef_fonts(pdf) == [], name
        xmp = PdfReader(pdf).xmp_metadata
        assert xmp is not None and 'pdfaid:part="3"' in xmp.stream.get_data().decode()


def test_a_character_no_font_holds_is_refused_when_the_person_is_added(session: Session) -> None:
    assert unprintable(f"陈{NO_FONT}") == [NO_FONT]
    with pytest.raises(LmsError) as refused:
        add_person(session=session, code="T1", fields=PersonFields(kind="buyer_staff", name=f"陈{NO_FONT}"))
    assert refused.value.field == "name" and "U+30000" in str(refused.value) and "\n" not in str(refused.value)


def test_a_roster_file_naming_such_a_character_is_refused_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(f"姓名,身份证号\n王堃,\n陈{NO_FONT},\n", encoding="utf-8")
    with pytest.raises(RosterFileError) as refused:
        read_staff_file(path)
    [problem] = refused.value.problems
    assert problem.line == 3 and problem.field and "U+30000" in str(problem)


def test_the_engine_refuses_a_document_it_would_print_a_box_in(document_engine: DocumentEngine) -> None:
    with pytest.raises(LmsError, match="U\\+30000"):
        render_certificate(document_engine, certificate_context(title_zh=f"合格证{NO_FONT}"))


def test_the_gb18030_repertoire_prints_but_for_its_private_use_area_and_the_newest_ideographs() -> None:
    two_byte = []
    for high in range(0x81, 0xFF):
        for low in (*range(0x40, 0x7F), *range(0x80, 0xFF)):
            with contextlib.suppress(UnicodeDecodeError):
                two_byte.append(bytes((high, low)).decode("gb18030"))
    assert {unicodedata.category(char) for char in unprintable("".join(two_byte))} == {"Co"}  # user-defined area
    extensions = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF), (0x2A700, 0x2EBEF)]  # A, URO, B–F
    ideographs = "".join(chr(code) for first, last in extensions for code in range(first, last + 1))
    missing = unprintable("".join(char for char in ideographs if unicodedata.category(char) == "Lo"))
    # only characters added in Unicode 13 and later (e.g. U+4DB6–U+4DBF, U+9FF0–U+9FFC): refused by name
    assert len(missing) < 50 and all(0x4DB5 < ord(char) < 0x4DC0 or ord(char) > 0x9FEF for char in missing)
