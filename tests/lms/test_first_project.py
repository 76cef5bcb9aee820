"""``examples/first-project.sh`` runs from an empty database to an obligation met and its evidence pack, with
commands only, as a vendor would type them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from lms.db import make_engine
from lms.models import Certificate, Person
from tests.certificates.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "first-project.sh"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_first_project_script_ends_with_the_obligation_met(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'first.db'}"
    environment = os.environ | {
        "LMS": f"{sys.executable} -m lms",
        "LMS_DATABASE_URL": database,
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    run = subprocess.run(
        ["bash", str(SCRIPT), str(tmp_path / "work")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    assert "S-SHW-1 · held" in out
    assert "no certificate for B06 赵磊 (S-SHW-1): attended 1 of 2 days; the course asks for every day" in out
    assert "met (sign-in scans missing)" in out
    pack = tmp_path / "work" / "evidence-pack.pdf"
    assert pack.read_bytes().startswith(b"%PDF")
    certificates = sorted((tmp_path / "work" / "certificates").glob("*.pdf"))
    assert len(certificates) == 5
    for pdf in (pack, certificates[0]):  # the vendor added with ``lms orgs add``, not the configuration's example
        text = pdf_text(pdf)
        assert "阳光热能科技有限公司" in text and "Sunheat Technology" in text
        assert "示例科技有限公司" not in text and "Example Technology" not in text
    assert "example vendor name" not in run.stderr
    engine = make_engine(database)
    with Session(engine) as session:
        holders = set(
            session.exec(select(Person.code).join(Certificate, Certificate.person_id == Person.id))  # type: ignore[arg-type]
        )
    engine.dispose()
    assert holders == {"B01", "B02", "B03", "B04", "B05"}
