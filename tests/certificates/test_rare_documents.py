"""Every document, not only the certificate, prints rare name characters from embedded glyphs: the sign-in sheet and
the evidence pack fall back through the same fonts; a name no font holds stops the document with the character
named instead of printing a box."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from lms.db import make_engine
from lms.master_data.people import PersonFields, edit_person
from lms.models import Person, RosterEntry
from tests.certificates.conftest import notdef_fonts, pdf_text
from tests.certificates.test_documents import held_session
from tests.conftest import copy_database

RARE_NAME = "陈𡒄"  # U+21484, CJK Extension B: only the Hanazono faces hold it


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path) -> Iterator[str]:
    url, drop = copy_database(demo_database, tmp_path)
    yield url
    drop()


def rename_a_trainee(url: str, session_id: int | None, name: str, *, through_service: bool = True) -> None:
    with Session(make_engine(url)) as session:
        rostered = select(RosterEntry.person_id).where(RosterEntry.session_id == session_id)
        person = session.exec(select(Person).where(Person.id.in_(rostered)).order_by(Person.code)).first()  # type: ignore[union-attr]
        assert person is not None
        if through_service:
            fields = PersonFields(name=name)
            edit_person(session=session, code=person.code, fields=fields, reason="身份证上的写法")
        else:  # a name stored before names were checked
            person.name = name
            session.add(person)
        session.commit()


def test_the_sign_in_sheet_and_the_evidence_pack_print_a_rare_name(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    training, _days, project = held_session(demo_copy)
    rename_a_trainee(demo_copy, training.id, RARE_NAME)
    sheet, pack = tmp_path / "signin.pdf", tmp_path / "pack.pdf"
    assert cli("report", "signin", "--session", training.code, "-o", str(sheet), db=demo_copy).code == 0
    assert cli("certs", "issue", "--jobs", "1", db=demo_copy).code == 0  # the corrected name's re-issue
    result = cli("report", "compliance", "--project", project, "--as-of", "2026-11-20", "-o", str(pack), db=demo_copy)
    assert result.code == 0, result.err
    for pdf in (sheet, pack):
        assert RARE_NAME in pdf_text(pdf).replace(" ", ""), pdf.name
        assert notdef_fonts(pdf) == [], pdf.name


def test_a_stored_name_no_font_holds_stops_the_document_naming_it(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    training, _days, _project = held_session(demo_copy)
    rename_a_trainee(demo_copy, training.id, "陈\U00030000", through_service=False)
    sheet = tmp_path / "signin.pdf"
    result = cli("report", "signin", "--session", training.code, "-o", str(sheet), db=demo_copy)
    assert result.code == 1 and "U+30000" in result.err and len(result.err.strip().splitlines()) == 1
    assert not sheet.exists()
