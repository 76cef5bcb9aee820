"""The certificate check page a buyer's phone opens from the QR code: valid, revoked, superseded, expired, a code
that belongs to another certificate, and an unknown serial; the holder's name masked."""

from __future__ import annotations

import datetime as dt

import pluggy
from sqlmodel import Session

from lms.credentials.certificates import issue_for_attempt, reissue, revoke
from lms.credentials.public_check import mask_name, verification_url
from lms.models import Attempt, Certificate, CourseVersion
from tests.webapp.conftest import Site

ISSUED = dt.date(2026, 11, 18)


def certify(site: Site, pm: pluggy.PluginManager) -> list[Certificate]:
    with Session(site.engine, expire_on_commit=False) as session:
        version = session.get(CourseVersion, site.world["version"].id)
        assert version is not None
        version.certificate = {**(version.certificate or {}), "validity_months": 24}
        session.add(version)
        made = []
        for person in site.world["people"]:
            attempt = Attempt(
                person_id=person.id,
                course_version_id=site.world["version"].id,
                session_id=site.world["session"].id,
                status="graded",
                score=80.0,
                passed=True,
            )
            session.add(attempt)
            session.flush()
            made.append(issue_for_attempt(session, attempt=attempt, issued_on=ISSUED, pm=pm))
        session.commit()
        return made


def test_the_check_page_says_valid_revoked_superseded_or_not_genuine(site: Site, web_pm: pluggy.PluginManager) -> None:
    first, second, third = certify(site, web_pm)
    phone = site.client()
    page = phone.get(verification_url(site.url, first.serial, first.verification_code or "").removeprefix(site.url))
    assert page.status_code == 200 and 'data-status="valid"' in page.text
    assert mask_name(first.holder_name) in page.text and first.holder_name not in page.text
    assert "3301**********0001" in page.text  # the masked ID the signed code carries, never the full number
    # Another certificate's genuine code with this serial: not genuine.
    swapped = phone.get(f"/v/{first.serial}", params={"c": second.verification_code})
    assert 'data-status="tampered"' in swapped.text
    altered = phone.get(f"/v/{first.serial}", params={"c": (first.verification_code or "")[:-3] + "AAA"})
    assert 'data-status="tampered"' in altered.text
    with Session(site.engine) as session:
        revoke(session, second.serial, "cheated", ISSUED)
        reissue(session, third.serial, ISSUED)
        session.commit()
    assert 'data-status="revoked"' in phone.get(f"/v/{second.serial}", params={"c": second.verification_code}).text
    superseded = phone.get(f"/v/{third.serial}", params={"c": third.verification_code})
    assert 'data-status="superseded"' in superseded.text
    site.clock.now += dt.timedelta(days=3 * 365)
    assert 'data-status="expired"' in phone.get(f"/v/{first.serial}", params={"c": first.verification_code}).text
    missing = phone.get("/v/PX2099-99999")
    assert missing.status_code == 404 and "No certificate has this number" in missing.text


def test_names_are_masked() -> None:
    assert [mask_name(n) for n in ("张三", "欧阳小明", "Zhang San", "李")] == ["张*", "欧**明", "Z**** S**", "李"]
