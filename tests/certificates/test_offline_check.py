"""Checking real certificate PDFs without the database: the keyring of every key ever used, the text printed on the
page against the signed code, the PAdES signature; and the QR code, read back with zbar, is the check page's address."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from lms.config import settings
from tests.certificates.conftest import certificates

PUBLIC_URL = "http://10.0.0.5:8080"


@pytest.fixture
def public_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    config = tmp_path / "config.yaml"
    config.write_text(f"web:\n  public_url: {PUBLIC_URL}\n", encoding="utf-8")
    monkeypatch.setenv("LMS_CONFIG", str(config))
    settings.cache_clear()
    return PUBLIC_URL


def forged(genuine: Path, other: Path, target: Path) -> Path:
    """Another holder's page carrying the genuine certificate's code: what editing the name in a PDF editor gives."""
    writer = PdfWriter()
    for page in PdfReader(other).pages:
        writer.add_page(page)
    writer.add_metadata({"/Keywords": str(PdfReader(genuine).metadata["/Keywords"])})  # type: ignore[index]
    buffer = io.BytesIO()
    writer.write(buffer)
    target.write_bytes(buffer.getvalue())
    return target


def test_an_edited_pdf_reports_tampered_offline(cli, demo_copy: str, tmp_path: Path, public_url: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("certs", "issue", "--jobs", "1", db=demo_copy).code == 0
    assert cli("certs", "keys", "rotate", db=demo_copy).code == 0  # the keyring keeps the retired key
    keyring = tmp_path / "keyring.pem"
    assert cli("certs", "keys", "export", "-o", str(keyring), db=demo_copy).code == 0
    assert keyring.read_text().count("BEGIN PUBLIC KEY") == 2 and "valid from" in keyring.read_text()
    issued = [c for c in certificates(demo_copy) if c.pdf_path and c.status == "valid"]
    first, second = Path(issued[0].pdf_path or ""), Path(issued[1].pdf_path or "")

    genuine = cli("--lang", "en", "certs", "verify", str(first), "--public-key", str(keyring), db=demo_copy)
    assert genuine.code == 0 and genuine.out.startswith("valid:"), genuine.out + genuine.err
    fake = forged(first, second, tmp_path / "edited.pdf")
    edited = cli("--lang", "en", "certs", "verify", str(fake), "--public-key", str(keyring), db=demo_copy)
    assert edited.code == 1 and edited.out.startswith("tampered:") and "printed on the page" in edited.out

    if shutil.which("zbarimg") and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "200", "-png", str(first), str(tmp_path / "cert")], check=True)
        page = sorted(tmp_path.glob("cert*.png"))[0]
        decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True).stdout
        assert decoded.strip() == f"{PUBLIC_URL}/v/{issued[0].serial}?c={issued[0].verification_code}"
        # The address read from the QR code also verifies offline (its code).
        from_qr = cli("--lang", "en", "certs", "verify", decoded.strip(), "--public-key", str(keyring), db=demo_copy)
        assert from_qr.code == 0, from_qr.out


def test_a_signed_pdf_changed_after_signing_is_tampered_offline(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("certs", "issue", "--sign-pdf", "--jobs", "1", db=demo_copy).code == 0
    keyring = tmp_path / "keyring.pem"
    assert cli("certs", "keys", "export", "-o", str(keyring), db=demo_copy).code == 0
    original = Path(next(c for c in certificates(demo_copy) if c.pdf_path).pdf_path or "")
    signed = cli("--lang", "en", "certs", "verify", str(original), "--public-key", str(keyring), db=demo_copy)
    assert signed.code == 0 and "unchanged since" in signed.out
    data = bytearray(original.read_bytes())
    where = data.index(b"/Producer")
    data[where + 1 : where + 2] = b"p"
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    result = cli("--lang", "en", "certs", "verify", str(changed), "--public-key", str(keyring), db=demo_copy)
    assert result.code == 1 and result.out.startswith("tampered:")
