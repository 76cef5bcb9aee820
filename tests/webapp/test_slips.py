"""The sign-in sheet's page of slips: each QR code decodes (zbar) to an address that opens that trainee's quiz."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pluggy
import pytest
from sqlmodel import Session

from lms.documents.signin_sheets import signin_sheet
from tests.webapp.conftest import Site
from tests.webapp.test_web_quiz import csrf_of

pytestmark = pytest.mark.skipif(not shutil.which("zbarimg") or not shutil.which("pdftoppm"), reason="zbar, poppler")


def test_printed_slips_decode_to_working_quiz_addresses(
    site: Site, web_pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    with Session(site.engine, expire_on_commit=False) as session:
        sheet = signin_sheet(session, site.world["session"].code, public_url=site.url)
        pdf = web_pm.hook.lms_render_document(kind="signin_sheet", context=sheet)
        session.commit()
    (tmp_path / "signin.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "signin.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(pages[-1])], capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(decoded) == sorted(slip.url for slip in sheet.slips)
    assert len(decoded) == len(site.world["people"])
    # The first address, opened on a phone: the code is filled in, and it opens that trainee's own quiz.
    client = site.client()
    form = client.get(decoded[0].removeprefix(site.url))
    code = decoded[0].split("c=")[1]
    assert f'value="{code}"' in form.text
    card = client.post("/q", data={"csrf": csrf_of(form), "code": code})
    slip = next(slip for slip in sheet.slips if slip.code == code)
    assert slip.name in card.text and "Begin" in card.text
    # The codes issued before the sheet was printed no longer work.
    old_form = client.get("/q")
    assert client.post("/q", data={"csrf": csrf_of(old_form), "code": site.codes[1].code}).status_code == 403
