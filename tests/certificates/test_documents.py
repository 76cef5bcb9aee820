"""Sign-in sheets and the evidence pack, from the demo data through the command line to PDFs read back."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlmodel import Session, select

from lms.db import make_engine
from lms.models import Certificate, CertificateStatus, Person, Project, RosterEntry, SessionDay, TrainingSession
from tests.certificates.conftest import pdf_text
from tests.conftest import copy_database


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path) -> Iterator[str]:
    url, drop = copy_database(demo_database, tmp_path)
    yield url
    drop()


def held_session(url: str) -> tuple[TrainingSession, list[SessionDay], str]:
    with Session(make_engine(url)) as session:
        certified = select(Certificate.session_id).where(Certificate.status == CertificateStatus.valid)
        training = session.exec(
            select(TrainingSession)
            .where(TrainingSession.status == "held", TrainingSession.id.in_(certified))  # type: ignore[union-attr]
            .where(TrainingSession.obligation_id.is_not(None))  # type: ignore[union-attr]
            .order_by(TrainingSession.code)
        ).first()
        assert training is not None and training.project_id is not None
        days = list(session.exec(select(SessionDay).where(SessionDay.session_id == training.id)))
        project = session.get(Project, training.project_id)
        assert project is not None
        return training, days, project.code


def test_sign_in_sheet_has_one_page_per_day_with_the_roster(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    training, days, _project = held_session(demo_copy)
    output = tmp_path / "signin.pdf"
    result = cli("report", "signin", "--session", training.code, "-o", str(output), db=demo_copy)
    assert result.code == 0, result.err
    reader = PdfReader(output)
    assert len(reader.pages) == len(days) >= 1
    text = pdf_text(output)
    assert "培训签到表" in text and "Sign-in sheet" in text and training.code in text
    for day in days:
        assert day.day.isoformat() in text


def test_sign_in_sheet_prints_each_three_character_name_on_one_line(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    training, _days, _project = held_session(demo_copy)
    with Session(make_engine(demo_copy)) as session:
        rostered = select(RosterEntry.person_id).where(RosterEntry.session_id == training.id)
        names = [person.name for person in session.exec(select(Person).where(Person.id.in_(rostered)))]  # type: ignore[union-attr]
    three = [name for name in names if len(name) == 3]
    assert three, names
    output = tmp_path / "signin.pdf"
    assert cli("report", "signin", "--session", training.code, "-o", str(output), db=demo_copy).code == 0
    text = pdf_text(output)
    for name in three:
        assert name in text, name  # not broken over two lines


def test_sign_in_sheet_for_an_unknown_session_writes_nothing(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "none.pdf"
    result = cli("report", "signin", "--session", "S-NOPE", "-o", str(output), db=demo_copy)
    assert result.code == 1 and "S-NOPE" in result.err and result.err.count("\n") == 1
    assert not output.exists()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_evidence_pack_lists_obligations_certificates_and_embeds_scans(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    training, days, project = held_session(demo_copy)
    scan = tmp_path / "signed-day1.png"
    scan.write_bytes(png_bytes())
    attached = cli(
        "report", "attach-signin", str(scan), "--session", training.code, "--day", days[0].day.isoformat(),
        db=demo_copy,
    )  # fmt: skip
    assert attached.code == 0, attached.err
    assert cli("certs", "issue", "--jobs", "1", db=demo_copy).code == 0
    output = tmp_path / "pack.pdf"
    result = cli("report", "compliance", "--project", project, "--as-of", "2026-11-20", "-o", str(output), db=demo_copy)
    assert result.code == 0, result.err
    text = pdf_text(output)
    assert "培训履约证明材料" in text and "Training compliance evidence pack" in text and project in text
    with Session(make_engine(demo_copy)) as session:
        listed = session.exec(
            select(Certificate).where(
                Certificate.session_id == training.id, Certificate.status == CertificateStatus.valid
            )
        ).all()
    assert listed
    flat = text.replace("\n", "").replace(" ", "")
    for certificate in listed:
        assert certificate.serial in text
        assert certificate.pdf_sha256 and certificate.pdf_sha256 in flat
    reader = PdfReader(output)
    assert any(name.endswith("signed-day1.png") for name in reader.attachments)
    (embedded,) = [data for name, data in reader.attachments.items() if name.endswith("signed-day1.png")]
    assert embedded[0] == scan.read_bytes()
    assert "第 1 页" in pdf_text(output) and f"of {len(reader.pages)}" in text


def test_evidence_pack_outstanding_lines_name_their_code_once(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _training, _days, project = held_session(demo_copy)
    output = tmp_path / "pack.pdf"
    result = cli("report", "compliance", "--project", project, "--as-of", "2026-11-20", "-o", str(output), db=demo_copy)
    assert result.code == 0, result.err
    flat = pdf_text(output).replace("\n", "")
    assert "尚未完成" in flat
    repeated = re.findall(r"([A-Z][\w-]+)\s*[：:]\s*\1[\s：:]", flat)
    assert not repeated, repeated


def test_evidence_pack_for_an_unknown_project_writes_nothing(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "pack.pdf"
    result = cli("report", "compliance", "--project", "NOPE", "-o", str(output), db=demo_copy)
    assert result.code == 1 and "NOPE" in result.err
    assert not output.exists()
