"""Issuing signs and audits; revoke, re-issue and supersede; verification by serial, code and PDF; the commands."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from pypdf import PdfWriter
from sqlmodel import Session, col, select

from lms.cli.certs import register_certificate_commands
from lms.cli.support import Runtime
from lms.credentials.certificates import issue_for_attempt, record_pdf, reissue, revoke
from lms.credentials.offline_check import verify_offline
from lms.credentials.signing import issuer_key, sign_certificate_payload
from lms.credentials.verification import verify
from lms.errors import LmsError, NotFoundError
from lms.files.storage import sha256_file
from lms.models import (
    Attempt,
    AuditEntry,
    Certificate,
    CourseSkillGrant,
    Person,
    SerialCounter,
    Skill,
    SkillRecord,
)
from tests.lms.quiz_fixtures import quiz_world

ISSUED = dt.date(2026, 11, 19)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def key_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "issuer.pem"
    monkeypatch.setenv("LMS_ISSUER_KEY", str(path))
    return path


@dataclass
class World:
    people: list[Person]
    attempts: list[Attempt]
    skill: Skill
    pm: Any  # the plugin manager whose core handlers carry a certificate on to skill records


@pytest.fixture
def world(session: Session, pm: Any, tmp_path: Path) -> World:
    """Three trainees of the quiz course, each with a passed attempt; the course is valid 24 months and grants a
    skill."""
    made = quiz_world(session, pm, tmp_path)
    version = made["version"]
    version.certificate = {**(version.certificate or {}), "validity_months": 24}
    skill = Skill(code="PUMP-OP", name_zh="水泵操作", name_en="Pump operation")
    session.add_all([version, skill])
    session.flush()
    session.add(CourseSkillGrant(course_version_id=version.id, skill_id=skill.id, level=2))
    attempts = [
        Attempt(
            person_id=person.id,
            course_version_id=version.id,
            session_id=made["session"].id,
            status="graded",
            score=80.0,
            passed=True,
        )
        for person in made["people"]
    ]
    session.add_all(attempts)
    session.commit()
    return World(made["people"], attempts, skill, pm)


def issue(session: Session, world: World, index: int = 0) -> Certificate:
    certificate = issue_for_attempt(session, attempt=world.attempts[index], issued_on=ISSUED, pm=world.pm)
    session.commit()
    return certificate


def audit_actions(session: Session) -> list[tuple[str, str]]:
    return [(e.action, e.entity_key) for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]


def make_pdf(path: Path, code: str | None, *, pages: int = 1) -> Path:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=842, height=595)
    if code is not None:
        writer.add_metadata({"/Keywords": code, "/Title": "Certificate"})
    with path.open("wb") as stream:
        writer.write(stream)
    return path


# --- issuing --------------------------------------------------------------------------------------


def test_issuing_signs_snapshots_the_name_and_is_audited(session: Session, world: World) -> None:
    certificate = issue(session, world)
    assert certificate.serial == "PX2026-00001"
    assert certificate.holder_name == "张三"
    assert certificate.key_id == issuer_key(session).key_id
    assert certificate.verification_code and certificate.verification_code.startswith("LMS1.")
    assert certificate.expires_on == dt.date(2028, 11, 19)
    result = verify(session, certificate.verification_code, on=TODAY)
    assert result.status == "valid", result.reason
    assert result.payload is not None and result.payload["i"] == "3301**********0001"
    assert result.payload["c"] == "QZ-1" and result.payload["e"] == "2028-11-19"
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "certificate.issue")).all()
    assert entry.entity_key == "PX2026-00001" and entry.before is None
    assert entry.after is not None and entry.after["holder_name"] == "张三"
    assert issue_for_attempt(session, attempt=world.attempts[0], issued_on=TODAY, pm=world.pm).id == certificate.id


def test_a_rolled_back_issue_gives_its_serial_back(session: Session, world: World) -> None:
    issue_for_attempt(session, attempt=world.attempts[0], issued_on=ISSUED, pm=world.pm)
    session.rollback()  # the first issue of all, with the first use of the key, is undone
    assert session.exec(select(Certificate)).all() == []
    first = issue(session, world, 0)
    issue_for_attempt(session, attempt=world.attempts[1], issued_on=ISSUED, pm=world.pm)
    session.rollback()
    second = issue(session, world, 2)
    third = issue(session, world, 1)
    assert [first.serial, second.serial, third.serial] == ["PX2026-00001", "PX2026-00002", "PX2026-00003"]
    assert session.get(SerialCounter, "PX2026-").last == 3  # type: ignore[union-attr]


# --- revoke ---------------------------------------------------------------------------------------


def test_revoking_records_why_and_when_ends_skills_and_is_audited(session: Session, world: World) -> None:
    certificate = issue(session, world)
    [skill_record] = session.exec(select(SkillRecord).where(SkillRecord.certificate_id == certificate.id)).all()
    assert skill_record.valid_until == dt.date(2028, 11, 19)
    revoke(session, " px2026-00001 ", "  wrong   name ", TODAY)
    session.commit()
    assert (certificate.status, certificate.revoked_on, certificate.revoked_reason) == ("revoked", TODAY, "wrong name")
    session.refresh(skill_record)
    assert skill_record.valid_until == dt.date(2026, 11, 19)
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "certificate.revoke")).all()
    assert entry.before is not None and entry.before["status"] == "valid"
    assert entry.after is not None and entry.after["status"] == "revoked"
    assert entry.after["revoked_reason"] == "wrong name" and entry.after["skill_records_ended"] == [skill_record.id]
    result = verify(session, "PX2026-00001", on=TODAY)
    assert (result.status, result.reason) == ("revoked", "revoked on 2026-11-20: wrong name")
    # issuing for the attempt again does not bring the revoked certificate back
    assert issue_for_attempt(session, attempt=world.attempts[0], issued_on=TODAY, pm=world.pm).id == certificate.id
    assert len(session.exec(select(Certificate)).all()) == 1


def test_revoking_twice_an_unknown_serial_or_without_reason_is_one_line(session: Session, world: World) -> None:
    issue(session, world)
    with pytest.raises(LmsError, match="reason"):
        revoke(session, "PX2026-00001", "   ", TODAY)
    with pytest.raises(LmsError, match="cannot be revoked before"):
        revoke(session, "PX2026-00001", "typo", dt.date(2026, 1, 1))
    revoke(session, "PX2026-00001", "wrong name", TODAY)
    session.commit()
    with pytest.raises(LmsError) as error:
        revoke(session, "PX2026-00001", "again", TODAY)
    assert str(error.value) == "PX2026-00001 was already revoked on 2026-11-20: wrong name"
    with pytest.raises(NotFoundError, match="PX2026-09999"):
        revoke(session, "PX2026-09999", "nope", TODAY)
    assert [a for a, _k in audit_actions(session)].count("certificate.revoke") == 1


# --- re-issue -------------------------------------------------------------------------------------


def test_reissue_after_a_name_correction_supersedes_the_old_certificate(
    session: Session, world: World, pm: Any
) -> None:
    old = issue(session, world)
    old_code = old.verification_code
    assert old_code is not None
    person = world.people[0]
    person.name = "张叁"
    session.add(person)
    new = reissue(session, "PX2026-00001", TODAY, pm)
    session.commit()
    assert new.serial == "PX2026-00002" and new.holder_name == "张叁"
    assert (new.issued_on, new.expires_on, new.attempt_id) == (old.issued_on, old.expires_on, old.attempt_id)
    assert (old.status, old.superseded_by_id, new.supersedes_id) == ("superseded", new.id, old.id)
    assert old.holder_name == "张三"
    assert new.verification_code != old_code
    # the skill records follow the certificate in force
    records = session.exec(select(SkillRecord).where(SkillRecord.person_id == person.id)).all()
    assert [r.certificate_id for r in records] == [new.id]
    # issuing for the attempt again returns the re-issue, never a third certificate
    assert issue_for_attempt(session, attempt=world.attempts[0], issued_on=TODAY, pm=world.pm).id == new.id
    assert len(session.exec(select(Certificate)).all()) == 2
    assert audit_actions(session) == [
        ("certificate.issue", "PX2026-00001"),
        ("certificate.reissue", "PX2026-00001"),
        ("certificate.issue", "PX2026-00002"),
    ]
    reissued = session.exec(select(AuditEntry).where(AuditEntry.action == "certificate.reissue")).one()
    assert reissued.before is not None and reissued.before["status"] == "valid"
    assert reissued.after is not None and reissued.after["superseded_by"] == "PX2026-00002"
    by_old_serial = verify(session, "PX2026-00001", on=TODAY)
    assert (by_old_serial.status, by_old_serial.reason) == (
        "superseded",
        "re-issued as PX2026-00002; this one is no longer in force",
    )
    assert verify(session, old_code, on=TODAY).status == "superseded"
    by_new = verify(session, new.verification_code or "", on=TODAY)
    assert by_new.status == "valid" and "张叁" in by_new.reason


def test_only_a_valid_certificate_is_reissued(session: Session, world: World) -> None:
    issue(session, world)
    reissue(session, "PX2026-00001", TODAY)
    session.commit()
    with pytest.raises(LmsError, match="re-issued as PX2026-00002"):
        reissue(session, "PX2026-00001", TODAY)
    revoke(session, "PX2026-00002", "fraud", TODAY)
    with pytest.raises(LmsError, match="already revoked"):
        reissue(session, "PX2026-00002", TODAY)
    with pytest.raises(NotFoundError):
        reissue(session, "GC2026-00001", TODAY)


# --- verification by serial and code --------------------------------------------------------------


def test_expiry_is_checked_against_the_date_asked_about(session: Session, world: World) -> None:
    issue(session, world)
    assert verify(session, "PX2026-00001", on=dt.date(2028, 11, 19)).status == "valid"
    expired = verify(session, "PX2026-00001", on=dt.date(2028, 11, 20))
    assert (expired.status, expired.reason) == ("expired", "expired on 2028-11-19")


def test_unknown_serials_and_foreign_codes(session: Session, world: World, tmp_path: Path) -> None:
    issue(session, world)
    assert verify(session, "PX2026-00042", on=TODAY).status == "unknown"
    assert "PX2026-00042" in verify(session, "PX2026-00042", on=TODAY).reason
    missing = verify(session, str(tmp_path / "missing.pdf"), on=TODAY)
    assert missing.status == "unknown" and "no such file" in missing.reason
    # a genuine signature over a serial this database never issued
    key = issuer_key(session)
    stray = sign_certificate_payload(session, key, {"s": "PX2026-00777", "n": "X", "d": "2026-11-19"})
    assert verify(session, stray, on=TODAY).status == "unknown"
    # a genuine signature over a serial we did issue, but not the code issued with it
    other = sign_certificate_payload(session, key, {"s": "PX2026-00001", "n": "冒名", "d": "2026-11-19"})
    result = verify(session, other, on=TODAY)
    assert result.status == "tampered" and "differs" in result.reason


# --- verification of PDFs -------------------------------------------------------------------------


def test_the_issued_pdf_verifies_by_its_hash(session: Session, world: World, tmp_path: Path) -> None:
    certificate = issue(session, world)
    pdf = make_pdf(tmp_path / "cert.pdf", certificate.verification_code)
    record_pdf(session, certificate, sha256_file(pdf), "ab/cert.pdf")
    session.commit()
    result = verify(session, str(pdf), tmp_path / "files", on=TODAY)
    assert result.status == "valid" and result.certificate is not None
    assert result.pdf_path == tmp_path / "files" / "ab" / "cert.pdf"
    assert ("certificate.pdf", "PX2026-00001") in audit_actions(session)


def test_an_altered_pdf_with_a_genuine_code_is_tampered(session: Session, world: World, tmp_path: Path) -> None:
    certificate = issue(session, world)
    pdf = make_pdf(tmp_path / "cert.pdf", certificate.verification_code)
    record_pdf(session, certificate, sha256_file(pdf), pdf)
    session.commit()
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(pdf.read_bytes().replace(b"/Title", b"/Tit1e"))
    result = verify(session, str(altered), on=TODAY)
    assert result.status == "tampered" and "PX2026-00001" in result.reason
    # a different PDF carrying the code (a page added) is no better
    bigger = make_pdf(tmp_path / "bigger.pdf", certificate.verification_code, pages=2)
    assert verify(session, str(bigger), on=TODAY).status == "tampered"


def test_an_earlier_rendering_still_verifies_after_a_new_one_is_recorded(
    session: Session, world: World, tmp_path: Path
) -> None:
    certificate = issue(session, world)
    first = make_pdf(tmp_path / "first.pdf", certificate.verification_code)
    record_pdf(session, certificate, sha256_file(first), first)
    second = make_pdf(tmp_path / "second.pdf", certificate.verification_code, pages=2)
    record_pdf(session, certificate, sha256_file(second), second)
    session.commit()
    assert certificate.pdf_sha256 == sha256_file(second)
    assert verify(session, str(first), on=TODAY).status == "valid"
    assert verify(session, str(second), on=TODAY).status == "valid"
    with pytest.raises(LmsError, match="SHA-256"):
        record_pdf(session, certificate, "not-a-digest", second)


def test_a_pdf_whose_code_was_edited_is_tampered(session: Session, world: World, tmp_path: Path) -> None:
    certificate = issue(session, world)
    code = certificate.verification_code or ""
    prefix, body, signature = code.split(".")
    edited = f"{prefix}.{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{signature}"
    result = verify(session, str(make_pdf(tmp_path / "edited.pdf", edited)), on=TODAY)
    assert result.status == "tampered"


def test_pdfs_of_revoked_expired_and_superseded_certificates(session: Session, world: World, tmp_path: Path) -> None:
    first, second, third = (issue(session, world, index) for index in range(3))
    pdfs = {}
    for certificate in (first, second, third):
        pdfs[certificate.serial] = make_pdf(tmp_path / f"{certificate.serial}.pdf", certificate.verification_code)
        record_pdf(session, certificate, sha256_file(pdfs[certificate.serial]), pdfs[certificate.serial])
    revoke(session, first.serial, "cheated", TODAY)
    reissue(session, second.serial, TODAY)
    session.commit()
    assert verify(session, str(pdfs[first.serial]), on=TODAY).reason == "revoked on 2026-11-20: cheated"
    assert verify(session, str(pdfs[second.serial]), on=TODAY).status == "superseded"
    assert verify(session, str(pdfs[third.serial]), on=TODAY).status == "valid"
    assert verify(session, str(pdfs[third.serial]), on=dt.date(2029, 1, 1)).status == "expired"


def test_a_pdf_with_a_code_but_no_recorded_file_answers_by_the_code(
    session: Session, world: World, tmp_path: Path
) -> None:
    certificate = issue(session, world)
    pdf = make_pdf(tmp_path / "unrecorded.pdf", f"training, {certificate.verification_code}")
    assert verify(session, str(pdf), on=TODAY).status == "valid"


def test_foreign_broken_and_non_pdf_files_are_unknown(session: Session, world: World, tmp_path: Path) -> None:
    certificate = issue(session, world)
    foreign = verify(session, str(make_pdf(tmp_path / "foreign.pdf", None)), on=TODAY)
    assert foreign.status == "unknown" and "no verification code" in foreign.reason
    text = tmp_path / "notes.txt"
    text.write_text(certificate.verification_code or "", encoding="utf-8")
    not_pdf = verify(session, str(text), on=TODAY)
    assert (not_pdf.status, not_pdf.reason) == ("unknown", "not a PDF file")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    result = verify(session, str(broken), on=TODAY)
    assert result.status == "unknown" and "\n" not in result.reason


def test_a_pdf_signed_by_someone_else_is_unknown(session: Session, world: World, tmp_path: Path) -> None:
    from lms.db import make_engine, upgrade_schema

    issue(session, world)
    engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade_schema(engine)
    with Session(engine) as other:
        key = issuer_key(other, path=tmp_path / "other.pem")
        code = sign_certificate_payload(other, key, {"s": "PX2026-00001", "n": "张三"})
        other.commit()
    engine.dispose()
    result = verify(session, str(make_pdf(tmp_path / "fake.pdf", code)), on=TODAY)
    assert result.status == "unknown" and key.key_id in result.reason


def test_offline_verification_needs_only_the_public_key(session: Session, world: World, tmp_path: Path) -> None:
    certificate = issue(session, world)
    pem = issuer_key(session).public_key_pem
    pdf = make_pdf(tmp_path / "cert.pdf", certificate.verification_code)
    blank = verify_offline(str(pdf), pem, on=TODAY)  # a good code in a page that does not print its holder
    assert blank.status == "tampered" and "printed on the page" in blank.reason
    assert verify_offline(certificate.verification_code or "", pem, on=TODAY).status == "valid"
    assert verify_offline(certificate.verification_code or "", pem, on=dt.date(2029, 1, 1)).status == "expired"
    assert verify_offline("PX2026-00001", pem, on=TODAY).status == "unknown"


# --- the commands ---------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def certs(capsys: pytest.CaptureFixture[str], db_url: str, pm: Any):  # type: ignore[no-untyped-def]
    """``lms certs ...`` as the command line runs it: one-line errors and exit codes as ``lms.cli.app.main`` gives."""

    def run(*args: str) -> Run:
        app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

        @app.callback()
        def root() -> None:
            """Root."""

        register_certificate_commands(app)  # the core's own group: no certificates plugin needed
        capsys.readouterr()
        try:
            result = app(args=["certs", *args], prog_name="lms", standalone_mode=False, obj=Runtime(db_url, pm))
            code = result if isinstance(result, int) else 0
        except LmsError as error:
            sys.stderr.write(f"lms: {error}\n")
            code = 1
        except typer.Exit as exit_:
            code = exit_.exit_code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def test_certs_verify_exit_codes_and_json(session: Session, world: World, certs: Any, tmp_path: Path) -> None:
    certificate = issue(session, world)
    issue(session, world, 1)
    ok = certs("verify", "PX2026-00001", "--on", "2026-11-20")
    assert ok.code == 0 and ok.out.startswith("valid: PX2026-00001: 张三, QZ-1") and ok.out.count("\n") == 1
    revoke(session, "PX2026-00002", "wrong name", TODAY)
    session.commit()
    bad = certs("verify", "PX2026-00002", "--on", "2026-11-20")
    assert (bad.code, bad.out) == (1, "revoked: revoked on 2026-11-20: wrong name\n")
    data = json.loads(certs("verify", certificate.verification_code or "", "--format", "json").out)
    assert data["status"] == "valid" and data["serial"] == "PX2026-00001"
    assert data["payload"]["holder_name"] == "张三" and data["expires_on"] == "2028-11-19"
    text = tmp_path / "x.txt"
    text.write_text("hello")
    not_pdf = certs("verify", str(text))
    assert (not_pdf.code, not_pdf.out) == (1, "unknown: not a PDF file\n")
    wrong_date = certs("verify", "PX2026-00001", "--on", "tomorrow")
    assert wrong_date.code == 1 and "--on" in wrong_date.err


def test_certs_revoke_reissue_and_list(session: Session, world: World, certs: Any) -> None:
    issue(session, world)
    issue(session, world, 1)
    done = certs("revoke", "PX2026-00001", "--reason", "wrong name", "--on", "2026-11-20")
    assert (done.code, done.out) == (0, "PX2026-00001 revoked on 2026-11-20: wrong name\n")
    again = certs("revoke", "PX2026-00001", "--reason", "again")
    assert again.code == 1 and again.err.count("\n") == 1 and "already revoked" in again.err
    unknown = certs("revoke", "PX2099-00001", "--reason", "x")
    assert unknown.code == 1 and "PX2099-00001" in unknown.err
    session.exec(select(Person).where(Person.code == "T002")).one().name = "李肆"
    session.commit()
    reissued = certs("reissue", "PX2026-00002", "--on", "2026-11-20")
    assert reissued.code == 0
    assert reissued.out.splitlines()[:3] == [
        "PX2026-00002 re-issued as PX2026-00003, marked 补发/更正 (reissue/correction)",
        "holder: 李肆",
        "corrected from: 李四",
    ]
    rows = json.loads(certs("list", "--format", "json").out)
    assert [(r["serial"], r["status"], r["holder_name"]) for r in rows] == [
        ("PX2026-00001", "revoked", "张三"),
        ("PX2026-00002", "superseded", "李四"),
        ("PX2026-00003", "valid", "李肆"),
    ]
    assert rows[1]["superseded_by"] == "PX2026-00003" and rows[0]["session"] == "S-QUIZ1"
    mine = json.loads(certs("list", "--person", "T002", "--session", "S-QUIZ1", "--format", "json").out)
    assert [r["serial"] for r in mine] == ["PX2026-00002", "PX2026-00003"]
    table = certs("list")
    assert table.code == 0 and "PX2026-00003" in table.out and "superseded" in table.out
    assert certs("list", "--person", "NOBODY").code == 1


def test_certs_keys_rotate_keeps_old_certificates_verifiable(
    session: Session, world: World, certs: Any, tmp_path: Path
) -> None:
    certificate = issue(session, world)
    old_key = certificate.key_id
    rotated = certs("keys", "rotate")
    assert rotated.code == 0 and old_key in rotated.out
    assert certs("verify", "PX2026-00001", "--on", "2026-11-20").code == 0
    new_certificate = issue(session, world, 1)
    assert new_certificate.key_id != old_key
    keys = json.loads(certs("keys", "list", "--format", "json").out)
    assert [(k["key_id"], k["retired_at"] is not None) for k in keys] == [
        (old_key, True),
        (new_certificate.key_id, False),
    ]
    pem = tmp_path / "issuer.pub.pem"
    pem.write_text(certs("keys", "export").out)
    offline = certs("verify", new_certificate.verification_code or "", "--public-key", str(pem))
    assert offline.code == 0 and offline.out.startswith("valid: signature good for PX2026-00002")
    # The exported keyring holds the retired key too, with its period: older certificates still verify offline.
    assert certs("keys", "export").out.count("BEGIN PUBLIC KEY") == 2
    older = certs("verify", certificate.verification_code or "", "--public-key", str(pem))
    assert older.code == 0 and older.out.startswith("valid: signature good for PX2026-00001")
