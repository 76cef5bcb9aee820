"""PAdES-signed certificate PDFs: an independent checker (poppler's pdfsig) accepts the signature, ``lms certs verify``
reports it, a changed byte breaks it, and the signing key is private and kept."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from lms.credentials.pades import PADES_FILE_NAME
from lms.files.storage import sha256_file
from tests.certificates.conftest import certificates


def pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def signing_key_file() -> Path:
    return Path(os.environ["LMS_ISSUER_KEY"]).parent / PADES_FILE_NAME


def test_signed_certificates_verify_in_pdfsig_and_in_lms(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("certs", "issue", "--sign-pdf", "--jobs", "2", db=demo_copy)
    assert result.code == 0, result.err
    issued = [c for c in certificates(demo_copy) if c.pdf_path]
    assert issued
    for certificate in issued[:3]:
        path = Path(certificate.pdf_path or "")
        assert sha256_file(path) == certificate.pdf_sha256  # the recorded hash is the signed file's
        checked = pdfsig(path)
        assert "Signature Validation: Signature is Valid." in checked
        assert "Total document signed" in checked
    path = Path(issued[0].pdf_path or "")
    verified = cli("--lang", "en", "certs", "verify", str(path), "--format", "json", db=demo_copy)
    record = json.loads(verified.out)
    assert record["pdf_signature"].startswith("signed by ")
    assert "not our issuer" not in record["pdf_signature"]  # the signer is this installation's key

    key_file = signing_key_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first_key = key_file.read_bytes()
    certificates_before = len(issued)
    assert cli("certs", "issue", "--sign-pdf", db=demo_copy).code == 0
    assert key_file.read_bytes() == first_key and len(certificates(demo_copy)) >= certificates_before


def test_a_changed_byte_breaks_the_signature(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("certs", "issue", "--sign-pdf", "--jobs", "1", db=demo_copy).code == 0
    original = Path(next(c for c in certificates(demo_copy) if c.pdf_path).pdf_path or "")
    data = bytearray(original.read_bytes())
    where = data.index(b"/Producer")
    data[where + 1 : where + 2] = b"p"
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    assert "Signature is Valid" not in pdfsig(changed)
    verified = cli("--lang", "en", "certs", "verify", str(changed), db=demo_copy)
    assert verified.code == 1
    assert "tampered" in verified.out.lower() or "changed" in verified.out
    assert "does not match the file" in verified.out


def test_a_broken_signing_key_file_is_one_line_and_nothing_is_rendered(cli, demo_copy: str) -> None:  # type: ignore[no-untyped-def]
    key_file = signing_key_file()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text("not a key\n", encoding="ascii")
    before = certificates(demo_copy)
    result = cli("certs", "issue", "--sign-pdf", db=demo_copy)
    assert result.code == 1
    assert result.err.strip().count("\n") == 0 and str(key_file) in result.err
    after = certificates(demo_copy)
    assert [c.serial for c in after] == [c.serial for c in before] and not any(c.pdf_path for c in after)


@pytest.mark.parametrize("flag", [[], ["--sign-pdf"]])
def test_unsigned_is_the_default(cli, demo_copy: str, flag: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert cli("certs", "issue", "--jobs", "1", *flag, db=demo_copy).code == 0
    path = Path(next(c for c in certificates(demo_copy) if c.pdf_path).pdf_path or "")
    assert ("Signature is Valid" in pdfsig(path)) == bool(flag)


def test_a_long_vendor_name_still_makes_a_signing_certificate(tmp_path: Path) -> None:
    from lms.credentials.pades import X509_NAME_LIMIT, load_pades_key

    english = "Zhejiang Provincial Energy-Saving Building Equipment Installation and Maintenance Co., Ltd."
    chinese = "浙江省节能建筑设备安装维护有限公司" * 5
    key = load_pades_key(tmp_path / "pades.pem", vendor_zh=chinese, vendor_en=english)
    names = [attribute.value for attribute in key.certificate.subject]
    assert all(len(str(value).encode("utf-8")) <= X509_NAME_LIMIT for value in names)
    assert str(names[-1]).startswith("Zhejiang Provincial") and str(names[0]).startswith("浙江省")


def test_checking_a_signature_prints_no_library_warning() -> None:
    import subprocess
    import sys

    code = "import lms.credentials.pades\nfrom pyhanko.sign.validation import validate_pdf_signature\n"
    result = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=True)
    assert "DSA" not in result.stderr and "Warning" not in result.stderr, result.stderr
