"""Certificate rows and the skill records they feed. Rendering the PDF belongs to the certificates plugin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pluggy
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.calendars.dates import add_months
from lms.credentials.signing import issuer_key, sign_certificate_payload
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.models import (
    Attempt,
    Certificate,
    CertificateStatus,
    Course,
    CourseVersion,
    Person,
    SerialCounter,
    SkillRecord,
)

SERIAL_PREFIX = {"operator": "PX", "engineer": "GC"}


def next_serial(session: Session, family: str, year: int) -> str:
    """The next serial of the year for a family, gapless: PX2026-00001, PX2026-00002, ...

    The counter row is incremented inside the caller's transaction, which locks it until commit: two issuers
    never get the same number, and a rolled-back issue gives its number back.
    """
    prefix = f"{SERIAL_PREFIX.get(family, 'ZS')}{year}-"
    for _attempt in range(3):
        updated = session.execute(
            update(SerialCounter)
            .where(col(SerialCounter.prefix) == prefix)
            .values(last=SerialCounter.last + 1)
            .returning(col(SerialCounter.last))
        ).first()
        if updated is not None:
            return f"{prefix}{updated[0]:05d}"
        already = session.exec(select(func.count()).where(col(Certificate.serial).startswith(prefix))).one()
        try:
            with session.begin_nested():
                session.add(SerialCounter(prefix=prefix, last=already + 1))
            return f"{prefix}{already + 1:05d}"
        except IntegrityError:
            continue  # another issuer created the counter first; increment theirs
    raise AssertionError("serial counter could not be created")


def issue_for_attempt(
    session: Session, *, attempt: Attempt, issued_on: dt.date, pm: pluggy.PluginManager
) -> Certificate:
    """Issue the certificate a passed attempt earns, signed and audited, and fire ``lms_certificate_issued`` (the
    core's handler renews the holder's skill records).

    Issuing again returns the attempt's current certificate: the valid one (a re-issue's, after a correction) or a
    revoked one, which is never replaced silently.
    """
    assert attempt.passed and attempt.id is not None
    existing = session.exec(
        select(Certificate)
        .where(Certificate.attempt_id == attempt.id, Certificate.status != CertificateStatus.superseded)
        .order_by(col(Certificate.id).desc())
    ).first()
    if existing is not None:
        return existing
    version = session.get(CourseVersion, attempt.course_version_id)
    assert version is not None and version.id is not None
    rule = version.certificate or {}
    family = rule.get("family", "operator")
    validity = rule.get("validity_months")
    certificate = Certificate(
        serial=next_serial(session, family, issued_on.year),
        family=family,
        person_id=attempt.person_id,
        course_version_id=version.id,
        session_id=attempt.session_id,
        attempt_id=attempt.id,
        issued_on=issued_on,
        expires_on=add_months(issued_on, validity) if validity else None,
    )
    seal(session, certificate)
    session.add(certificate)
    session.flush()
    audit.record(
        session,
        action="certificate.issue",
        entity="certificate",
        key=certificate.serial,
        before=None,
        after=certificate_summary(certificate),
    )
    pm.hook.lms_certificate_issued(session=session, certificate=certificate)
    return certificate


# --- signing, revoking, re-issuing ---------------------------------------------------------------


def certificate_payload(session: Session, certificate: Certificate) -> dict[str, Any]:
    """What the verification code carries (short keys, see ``lms.credentials.signing.PAYLOAD_FIELDS``); ``k`` is
    added when
    signed."""
    person = session.get(Person, certificate.person_id)
    version = session.get(CourseVersion, certificate.course_version_id)
    course = session.get(Course, version.course_id) if version else None
    assert person is not None and course is not None
    return {
        "s": certificate.serial,
        "n": certificate.holder_name,
        "i": person.masked_id_number or person.employee_number or None,
        "c": course.code,
        "d": certificate.issued_on.isoformat(),
        "e": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "f": certificate.family,
    }


def seal(session: Session, certificate: Certificate) -> None:
    """Snapshot the holder's name and sign the verification code with the current issuer key."""
    person = session.get(Person, certificate.person_id)
    assert person is not None
    key = issuer_key(session)
    certificate.holder_name = person.name
    certificate.key_id = key.key_id
    certificate.verification_code = sign_certificate_payload(session, key, certificate_payload(session, certificate))


def certificate_summary(certificate: Certificate) -> dict[str, Any]:
    """The certificate as the audit log keeps it."""
    return {
        "serial": certificate.serial,
        "status": certificate.status,
        "holder_name": certificate.holder_name,
        "person_id": certificate.person_id,
        "course_version_id": certificate.course_version_id,
        "attempt_id": certificate.attempt_id,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "key_id": certificate.key_id,
        "revoked_on": certificate.revoked_on.isoformat() if certificate.revoked_on else None,
        "revoked_reason": certificate.revoked_reason,
    }


def find_certificate(session: Session, serial: str) -> Certificate:
    wanted = "".join(serial.split()).upper()
    found = session.exec(select(Certificate).where(Certificate.serial == wanted)).first()
    if found is None:
        raise NotFoundError(_("no certificate has the serial {serial}").format(serial=serial.strip()))
    return found


def _serial_of(session: Session, certificate_id: int | None) -> str:
    other = session.get(Certificate, certificate_id) if certificate_id is not None else None
    return other.serial if other else "?"


def _require_valid(session: Session, certificate: Certificate) -> None:
    if certificate.status == CertificateStatus.revoked:
        raise LmsError(
            _("{serial} was already revoked on {date}: {reason}").format(
                serial=certificate.serial,
                date=certificate.revoked_on.isoformat() if certificate.revoked_on else "?",
                reason=certificate.revoked_reason or "",
            )
        )
    if certificate.status == CertificateStatus.superseded:
        raise LmsError(
            _("{serial} was re-issued as {new}; act on that one").format(
                serial=certificate.serial, new=_serial_of(session, certificate.superseded_by_id)
            )
        )


def revoke(session: Session, serial: str, reason: str, on: dt.date) -> Certificate:
    """Revoke a valid certificate from ``on``; the skill records it gave end the day before. The caller commits.

    Raises:
        NotFoundError: no certificate has the serial.
        LmsError: no reason given, a date before the issue, or the certificate is already revoked or superseded.
    """
    require(Permission.manage_certificates)
    certificate = find_certificate(session, serial)
    reason = " ".join(reason.split())
    if not reason:
        raise LmsError(_("say why the certificate is revoked"), field="--reason")
    _require_valid(session, certificate)
    if on < certificate.issued_on:
        raise LmsError(
            _("{serial} was issued on {date}; it cannot be revoked before that").format(
                serial=certificate.serial, date=certificate.issued_on.isoformat()
            ),
            field="--on",
        )
    before = certificate_summary(certificate)
    certificate.status = CertificateStatus.revoked
    certificate.revoked_on = on
    certificate.revoked_reason = reason
    session.add(certificate)
    last_day = on - dt.timedelta(days=1)
    ended = []
    for skill_record in session.exec(select(SkillRecord).where(SkillRecord.certificate_id == certificate.id)):
        if skill_record.valid_until is None or skill_record.valid_until > last_day:
            skill_record.valid_until = last_day
            session.add(skill_record)
            ended.append(skill_record.id)
    session.flush()
    after = {**certificate_summary(certificate), "skill_records_ended": ended}
    audit.record(
        session, action="certificate.revoke", entity="certificate", key=certificate.serial, before=before, after=after
    )
    return certificate


def reissue(session: Session, serial: str, on: dt.date, pm: Any = None) -> Certificate:
    """Re-issue a valid certificate after a correction (the holder's name, say): a new serial of ``on``'s year, the
    same course, attempt and validity, the name from the person record now, signed anew. The old one becomes
    ``superseded`` and its skill records move to the new one. The caller commits.

    Raises:
        NotFoundError: no certificate has the serial.
        LmsError: the certificate is revoked or already superseded.
    """
    require(Permission.manage_certificates)
    old = find_certificate(session, serial)
    _require_valid(session, old)
    new = Certificate(
        serial=next_serial(session, old.family, on.year),
        family=old.family,
        person_id=old.person_id,
        course_version_id=old.course_version_id,
        session_id=old.session_id,
        attempt_id=old.attempt_id,
        issued_on=old.issued_on,
        expires_on=old.expires_on,
        supersedes_id=old.id,
    )
    seal(session, new)
    session.add(new)
    session.flush()
    before = certificate_summary(old)
    old.status = CertificateStatus.superseded
    old.superseded_by_id = new.id
    session.add(old)
    for skill_record in session.exec(select(SkillRecord).where(SkillRecord.certificate_id == old.id)):
        skill_record.certificate_id = new.id
        session.add(skill_record)
    session.flush()
    audit.record(
        session,
        action="certificate.reissue",
        entity="certificate",
        key=old.serial,
        before=before,
        after={**certificate_summary(old), "superseded_by": new.serial, "reissued_on": on.isoformat()},
    )
    audit.record(
        session,
        action="certificate.issue",
        entity="certificate",
        key=new.serial,
        before=None,
        after={**certificate_summary(new), "supersedes": old.serial},
    )
    if pm is not None:
        pm.hook.lms_certificate_issued(session=session, certificate=new)
    return new


def reissue_record(session: Session, certificate: Certificate) -> dict[str, Any]:
    """A re-issued certificate as ``certs reissue`` reports it: the corrected values and the serial it replaces."""
    old = session.get(Certificate, certificate.supersedes_id) if certificate.supersedes_id is not None else None
    person = session.get(Person, certificate.person_id)
    return {
        "serial": certificate.serial,
        "supersedes": old.serial if old else None,
        "marked": "补发/更正",
        "holder_name": certificate.holder_name,
        "previous_holder_name": old.holder_name if old else None,
        "id_number": person.masked_id_number if person else None,
        "verification_code": certificate.verification_code,
    }


def record_pdf(session: Session, certificate: Certificate, sha256: str, path: str | Path) -> None:
    """Remember the rendered PDF's SHA-256 and where it is kept; a new rendering is logged with the old hash, so
    verification still recognises earlier copies."""
    digest = sha256.strip().lower()
    if len(digest) != 64 or any(char not in "0123456789abcdef" for char in digest):
        raise LmsError(_("not a SHA-256 hex digest: {value}").format(value=sha256), field="sha256")
    before = {"pdf_sha256": certificate.pdf_sha256, "pdf_path": certificate.pdf_path}
    after = {"pdf_sha256": digest, "pdf_path": str(path)}
    if before == after:
        return
    certificate.pdf_sha256, certificate.pdf_path = digest, str(path)
    session.add(certificate)
    session.flush()
    audit.record(
        session, action="certificate.pdf", entity="certificate", key=certificate.serial, before=before, after=after
    )
