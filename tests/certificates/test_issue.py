"""Issuing in batch: every valid certificate gets one PDF whose SHA-256 is recorded; a re-run renders nothing twice;
a batch killed with SIGKILL finishes on the next run with no duplicate serial, half-written file or orphan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pluggy
from sqlmodel import Session, select

from certificates.batch import issue_certificates
from lms.db import make_engine
from lms.files.storage import sha256_file
from lms.hookspecs import hookimpl
from lms.models import Attempt, AttemptStatus, Certificate, CertificateStatus, Person, RosterEntry, SessionDay
from lms.scheduling.sessions import mark_attendance
from tests.certificates.conftest import certificates, pdf_text


def test_issue_renders_each_certificate_once_and_records_its_hash(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    result = cli("certs", "issue", "--jobs", "2", "-o", str(out), db=demo_copy)
    assert result.code == 0, result.err
    valid = [c for c in certificates(demo_copy) if c.status == CertificateStatus.valid]
    assert valid and f"{len(valid)} PDFs rendered" in result.out
    for certificate in valid:
        assert certificate.pdf_path and certificate.pdf_sha256
        assert sha256_file(Path(certificate.pdf_path)) == certificate.pdf_sha256
        assert sha256_file(out / f"{certificate.serial}.pdf") == certificate.pdf_sha256
        assert certificate.serial in pdf_text(Path(certificate.pdf_path))
    again = cli("certs", "issue", "--format", "json", db=demo_copy)
    assert again.code == 0
    assert '"rendered": []' in again.out and '"created": []' in again.out


def test_issue_for_an_unknown_session_is_a_one_line_error(cli, demo_copy: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("certs", "issue", "--session", "99999", db=demo_copy)
    assert result.code == 1
    assert result.err.strip().count("\n") == 0 and "99999" in result.err


def test_a_pass_issues_its_certificate_through_the_hook(demo_copy: str, pm: pluggy.PluginManager) -> None:
    engine = make_engine(demo_copy)
    with Session(engine) as session:
        certified = set(session.exec(select(Certificate.person_id)))
        entry = session.exec(
            select(RosterEntry).where(RosterEntry.person_id.not_in(certified))  # type: ignore[attr-defined]
        ).first()
        assert entry is not None
        template = session.exec(select(Attempt).where(Attempt.session_id == entry.session_id)).first()
        assert template is not None
        for day in session.exec(select(SessionDay).where(SessionDay.session_id == entry.session_id)):
            mark_attendance(session, day, session.get(Person, entry.person_id), True)  # type: ignore[arg-type]
        attempt = Attempt(
            person_id=entry.person_id,
            course_version_id=template.course_version_id,
            session_id=entry.session_id,
            number=9,
            status=AttemptStatus.graded,
            score=91,
            passed=True,
        )
        session.add(attempt)
        session.flush()
        pm.hook.lms_attempt_graded(session=session, attempt=attempt, pm=pm)
        pm.hook.lms_attempt_graded(session=session, attempt=attempt, pm=pm)  # graded twice: still one certificate
        session.commit()
        issued = session.exec(select(Certificate).where(Certificate.attempt_id == attempt.id)).all()
        person = session.get(Person, entry.person_id)
        assert person is not None
        assert len(issued) == 1
        assert issued[0].holder_name == person.name
        assert issued[0].verification_code and issued[0].pdf_sha256 is None  # the PDF comes with the next batch


def test_a_batch_killed_midway_finishes_on_the_next_run(demo_copy: str, tmp_path: Path) -> None:
    files = tmp_path / "files"
    environment = {**os.environ, "LMS_DATABASE_URL": demo_copy, "LMS_FILES_DIR": str(files)}
    command = [str(Path(sys.executable).with_name("lms")), "certs", "issue", "--jobs", "1"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(files.glob("certificates/*/*.pdf")):
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    rendered_before = {c.serial for c in certificates(demo_copy) if c.pdf_sha256}
    valid = {c.serial for c in certificates(demo_copy) if c.status == CertificateStatus.valid}
    assert len(rendered_before) < len(valid), "the batch was meant to be killed before it finished"

    finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    rows = certificates(demo_copy)
    serials = [c.serial for c in rows]
    assert len(serials) == len(set(serials))
    pdfs = sorted(files.glob("certificates/*/*.pdf"))
    assert sorted(path.stem for path in pdfs) == sorted(valid)
    assert not list(files.rglob("*.part"))
    for certificate in rows:
        if certificate.status == CertificateStatus.valid:
            assert certificate.pdf_path and sha256_file(Path(certificate.pdf_path)) == certificate.pdf_sha256


def test_rare_name_characters_come_from_a_small_batch_face(cli, demo_copy: str) -> None:  # type: ignore[no-untyped-def]
    from tests.certificates.conftest import pdf_fonts

    with Session(make_engine(demo_copy)) as session:
        certificate = session.exec(select(Certificate).where(Certificate.status == CertificateStatus.valid)).first()
        assert certificate is not None
        certificate.holder_name = "王䶮堃"
        session.add(certificate)
        session.commit()
        serial = certificate.serial
    assert cli("certs", "issue", "--jobs", "1", db=demo_copy).code == 0
    rendered = next(c for c in certificates(demo_copy) if c.serial == serial)
    assert rendered.pdf_path
    path = Path(rendered.pdf_path)
    assert "王䶮堃" in pdf_text(path).replace(" ", "")
    names = [row[0] for row in pdf_fonts(path)]
    assert any("Extra" in name for name in names)
    assert not any("Noto" in name for name in names), names  # the full system face was not needed


class HouseTemplate:
    """A vendor's own certificate template, registered the way an outside plugin would."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @hookimpl
    def lms_document_templates(self) -> dict[str, Path]:
        return {"certificate": self.folder}


def test_lms_certs_issue_renders_with_a_plugins_certificate_template(
    demo_copy: str, pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    folder = tmp_path / "house-certificate"
    folder.mkdir()
    (folder / "fields.yaml").write_text("fields:\n  serial: the serial\n", encoding="utf-8")
    (folder / "template.html.j2").write_text(
        "<!doctype html><html><body><h1>Hausmarke Zertifikat</h1><p>{{ holder_name }} · {{ serial }}</p>"
        '<img src="{{ qr_data_uri }}" width="80"></body></html>',
        encoding="utf-8",
    )
    pm.register(HouseTemplate(folder), name="house-template")
    engine = make_engine(demo_copy)
    with Session(engine) as session:
        certificate = session.exec(
            select(Certificate).where(Certificate.status == CertificateStatus.valid).order_by(Certificate.serial)
        ).first()
        assert certificate is not None and certificate.session_id is not None
        session_id = certificate.session_id
    report = issue_certificates(engine, pm, session_ref=session_id, workers=1)
    assert report.rendered and not report.refused
    rendered = [c for c in certificates(demo_copy) if c.serial in report.rendered]
    for issued in rendered:
        text = pdf_text(Path(issued.pdf_path or ""))
        assert "Hausmarke Zertifikat" in text and issued.serial in text
