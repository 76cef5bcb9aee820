"""A corrected name reaches every document: the edit lists the certificates that show the old name, the re-issue
prints the new one and is marked 补发/更正 with the serial it replaces (on the PDF too), and a roster that writes
the name otherwise says so instead of counting the person as simply "known"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from lms.db import make_engine
from lms.models import Certificate, CertificateStatus, Person, TrainingSession
from tests.certificates.conftest import pdf_text


def certified_trainee(url: str) -> tuple[Person, Certificate, str]:
    with Session(make_engine(url)) as session:
        for certificate in session.exec(select(Certificate).where(Certificate.status == CertificateStatus.valid)):
            person = session.get(Person, certificate.person_id)
            assert person is not None
            training = session.get(TrainingSession, certificate.session_id)
            if person.id_number and person.kind == "buyer_staff" and training is not None:
                return person, certificate, training.code
    raise AssertionError("the demo has no certified trainee with an ID number")


def test_a_corrected_name_is_reissued_and_marked(cli: Any, demo_copy: str, tmp_path: Path) -> None:
    person, certificate, session_code = certified_trainee(demo_copy)
    old_name, new_name = person.name, person.name[:1] + "晓" + person.name[1:]
    without_reason = cli("people", "edit", person.code, "--name", new_name, db=demo_copy)
    assert without_reason.code == 1 and "--reason: say why" in without_reason.err
    edited = cli("people", "edit", person.code, "--name", new_name, "--reason", "户籍登记有误", db=demo_copy)
    assert edited.code == 0, edited.err
    assert f"name: {old_name} → {new_name}" in edited.out
    assert f"lms certs reissue {certificate.serial}" in edited.out
    shown = json.loads(cli("people", "show", person.code, "--format", "json", db=demo_copy).out)
    pending = [c["serial"] for c in shown["certificates"] if c["needs_reissue"]]
    assert certificate.serial in pending

    staff = tmp_path / "staff.csv"
    staff.write_text(f"姓名,身份证号\n{old_name},{person.id_number}\n", encoding="utf-8")
    again = cli("roster", "import", session_code, str(staff), db=demo_copy)
    assert again.code == 0, again.err
    assert f"the name differs: {person.code} is on record as {new_name}, the file says {old_name}" in again.out
    assert f"lms people edit {person.code} --name {old_name}" in again.out

    reissued = cli("certs", "reissue", certificate.serial, db=demo_copy)
    assert reissued.code == 0, reissued.err
    lines = reissued.out.splitlines()
    assert "marked 补发/更正" in lines[0] and lines[1:3] == [f"holder: {new_name}", f"corrected from: {old_name}"]
    new_serial = lines[0].split(" re-issued as ")[1].split(",")[0]
    assert cli("people", "show", person.code, "--format", "json", db=demo_copy).out.count('"needs_reissue": true') == 0

    out = tmp_path / "pdf"
    rendered = cli("certs", "issue", "--session", session_code, "-o", str(out), db=demo_copy)
    assert rendered.code == 0, rendered.err
    text = pdf_text(out / f"{new_serial}.pdf")
    assert "补发/更正" in text and certificate.serial in text and new_name in text and old_name not in text
