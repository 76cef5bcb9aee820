"""Whose name heads the documents, from an empty database: the vendor organisation a site adds, the configuration
when it names the vendor, and only without either the example name, which ``certs issue`` and ``lms doctor`` warn
about."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from lms.config import settings
from lms.master_data.issuer import PLACEHOLDER_EN, PLACEHOLDER_ZH, IssuerName, IssuerSource, issuer_name
from lms.master_data.organisations import OrganisationFields, add_organisation, retire_organisation
from tests.certificates.conftest import pdf_text
from tests.certificates.rare_world import passed_trainees

VENDOR_ZH = "杭州清源设备有限公司"
VENDOR_EN = "Hangzhou Qingyuan Equipment Co., Ltd."


def add_vendor(session: Session, code: str, name_zh: str, name_en: str) -> None:
    add_organisation(
        session=session, code=code, fields=OrganisationFields(kind="vendor", name_zh=name_zh, name_en=name_en)
    )
    session.commit()


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, branding: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"branding:\n{branding}", encoding="utf-8")
    monkeypatch.setenv("LMS_CONFIG", str(config))
    settings.cache_clear()


@pytest.fixture(autouse=True)
def fresh_settings() -> Any:
    settings.cache_clear()
    yield
    settings.cache_clear()


def test_certificates_and_reports_carry_the_vendor_organisation_added_on_the_command_line(  # type: ignore[no-untyped-def]
    cli, session: Session, pm: Any, tmp_path: Path
) -> None:
    added = cli("orgs", "add", "HZ-V", "--kind", "vendor", "--name", VENDOR_ZH, "--name-en", VENDOR_EN)
    assert added.code == 0, added.err
    passed_trainees(session, pm, tmp_path, ("王五",))
    result = cli("certs", "issue", "--session", "S-RARE1", "-o", str(tmp_path / "certs"))
    assert result.code == 0, result.err
    assert "example" not in result.err
    [certificate] = (tmp_path / "certs").glob("*.pdf")
    report = tmp_path / "report.pdf"
    assert cli("report", "session", "--session", "S-RARE1", "-o", str(report)).code == 0
    for pdf in (certificate, report):
        text = pdf_text(pdf)
        assert VENDOR_ZH in text and VENDOR_EN in text
        assert PLACEHOLDER_ZH not in text and PLACEHOLDER_EN not in text


def test_without_a_vendor_the_example_name_is_printed_and_named_as_such(  # type: ignore[no-untyped-def]
    cli, session: Session, pm: Any, tmp_path: Path
) -> None:
    passed_trainees(session, pm, tmp_path, ("王五",))
    result = cli("certs", "issue", "-o", str(tmp_path / "certs"))
    assert result.code == 0, result.err
    assert "the certificates carry the example vendor name" in result.err
    assert "lms orgs add CODE --kind vendor" in result.err and "branding.vendor_name_zh" in result.err
    [pdf] = (tmp_path / "certs").glob("*.pdf")
    assert PLACEHOLDER_ZH in pdf_text(pdf)


def test_doctor_warns_until_the_vendor_is_added(cli) -> None:  # type: ignore[no-untyped-def]
    before = cli("doctor").out
    [line] = [line for line in before.splitlines() if "vendor name on documents" in line]
    assert line.startswith("! ") and PLACEHOLDER_ZH in line
    assert "branding.vendor_name_zh" in line and "lms orgs add CODE --kind vendor" in line
    assert cli("orgs", "add", "HZ-V", "--kind", "vendor", "--name", VENDOR_ZH, "--name-en", VENDOR_EN).code == 0
    checks = {check["name"]: check for check in json.loads(cli("doctor", "--format", "json").out)}
    after = checks["vendor name on documents"]
    assert after["ok"] and not after["warning"] and VENDOR_ZH in after["detail"]


def test_the_configured_name_wins_over_the_organisation(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_vendor(session, "HZ-V", VENDOR_ZH, VENDOR_EN)
    configure(tmp_path, monkeypatch, "  vendor_name_zh: 清源环境\n  vendor_name_en: Qingyuan Environment\n")
    assert issuer_name(session=session) == IssuerName("清源环境", "Qingyuan Environment", IssuerSource.configuration)
    # a site naming only the Chinese company keeps the organisation's English name, not the example's
    configure(tmp_path, monkeypatch, "  vendor_name_zh: 清源环境\n")
    assert issuer_name(session=session) == IssuerName("清源环境", VENDOR_EN, IssuerSource.organisation)


def test_the_first_active_vendor_by_code_is_the_issuer(session: Session) -> None:
    assert issuer_name(session=session).source is IssuerSource.placeholder
    add_vendor(session, "ZZ-LAST", "末位公司", "Last Co.")
    add_vendor(session, "AA-FIRST", "首位公司", "First Co.")
    assert issuer_name(session=session).zh == "首位公司"
    retire_organisation(session=session, code="AA-FIRST")
    session.commit()
    assert issuer_name(session=session).zh == "末位公司"
