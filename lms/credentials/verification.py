"""Is this certificate genuine and in force? Answers for a PDF file, a serial or a verification code (the QR text).

A PDF is first looked up by its SHA-256 (the issued file, or an earlier rendering of it recorded in the audit log);
otherwise the code embedded in its Keywords metadata is checked, and a good code in a file that is not the one
issued means the file was altered.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lms.calendars.dates import working_today
from lms.credentials.signing import CODE_PREFIX, CodeRejected, decode_code, expanded_payload, verify_code
from lms.errors import LmsError
from lms.files.storage import sha256_of
from lms.i18n import _
from lms.models import AuditEntry, Certificate, CertificateStatus, Course, CourseVersion, Person, TrainingSession
from lms.models.lookup import person_by_code

CODE_PATTERN = re.compile(rf"{CODE_PREFIX}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
PDF_MAGIC = b"%PDF-"


class VerificationStatus(StrEnum):
    valid = "valid"
    revoked = "revoked"
    expired = "expired"
    superseded = "superseded"
    tampered = "tampered"
    unknown = "unknown"


def status_label(status: str) -> str:
    labels: dict[str, str] = {
        VerificationStatus.valid: _("valid"),
        VerificationStatus.revoked: _("revoked"),
        VerificationStatus.expired: _("expired"),
        VerificationStatus.superseded: _("superseded"),
        VerificationStatus.tampered: _("tampered"),
        VerificationStatus.unknown: _("unknown"),
    }
    return labels.get(status, status)


@dataclass(frozen=True)
class VerificationResult:
    status: str
    reason: str
    certificate: Certificate | None = None
    payload: dict[str, Any] | None = None
    pdf_path: Path | None = None
    pdf_signature: str | None = None  # what the PAdES signature inside a checked file says, if it has one

    @property
    def ok(self) -> bool:
        return self.status == VerificationStatus.valid


def verify(
    session: Session, target: str, files_root: Path | None = None, *, on: dt.date | None = None
) -> VerificationResult:
    """Check a PDF file path, a serial (PX2026-00001) or a verification code as of ``on`` (today by default).

    ``files_root`` resolves the recorded path of the issued PDF when it is relative. Never raises for what the
    target contains: an unreadable or foreign file is ``unknown`` with the reason.
    """
    on = on or working_today()
    text = target.strip()
    if "".join(text.split()).startswith(f"{CODE_PREFIX}."):
        result = verify_code_text(session, text, on=on)
    else:
        path = Path(text)
        if path.is_file():
            result = verify_pdf(session, path, on=on)
        elif path.suffix.lower() == ".pdf" or "/" in text or "\\" in text:
            result = VerificationResult(VerificationStatus.unknown, _("no such file: {path}").format(path=text))
        else:
            result = verify_serial(session, text, on=on)
    if result.certificate is not None and result.certificate.pdf_path and result.pdf_path is None:
        stored = Path(result.certificate.pdf_path)
        if not stored.is_absolute() and files_root is not None:
            stored = files_root / stored
        result = replace(result, pdf_path=stored)
    return result


def verify_serial(session: Session, serial: str, *, on: dt.date) -> VerificationResult:
    wanted = "".join(serial.split()).upper()
    certificate = session.exec(select(Certificate).where(Certificate.serial == wanted)).first()
    if certificate is None:
        return VerificationResult(
            VerificationStatus.unknown, _("no certificate has the serial {serial}").format(serial=serial.strip())
        )
    return certificate_status(session, certificate, on=on)


def verify_code_text(session: Session, code: str, *, on: dt.date) -> VerificationResult:
    """A code's signature against the issuer's keys, then the certificate it names as the database has it."""
    try:
        payload = verify_code(session, code)
    except CodeRejected as rejected:
        return VerificationResult(rejected.status, rejected.message, payload=rejected.payload)
    certificate = session.exec(select(Certificate).where(Certificate.serial == payload["s"])).first()
    if certificate is None:
        return VerificationResult(
            VerificationStatus.unknown,
            _("the code is signed but names a serial not in this database: {serial}").format(serial=payload["s"]),
            payload=payload,
        )
    if certificate.verification_code and certificate.verification_code != "".join(code.split()):
        return VerificationResult(
            VerificationStatus.tampered,
            _("the code differs from the one issued with {serial}").format(serial=certificate.serial),
            certificate,
            payload,
        )
    return certificate_status(session, certificate, on=on, payload=payload)


def verify_pdf(session: Session, path: Path, *, on: dt.date) -> VerificationResult:
    try:
        data = path.read_bytes()
    except OSError as error:
        return VerificationResult(
            VerificationStatus.unknown, _("cannot read the file: {reason}").format(reason=error.strerror)
        )
    if not data.startswith(PDF_MAGIC):
        return VerificationResult(VerificationStatus.unknown, _("not a PDF file"))
    result = _verify_pdf_bytes(session, data, on=on)
    from lms.credentials.pades import pdf_signature

    signature = pdf_signature(data, _trusted_signing_certificate(session))
    return replace(result, pdf_signature=signature.describe()) if signature is not None else result


def _trusted_signing_certificate(session: Session) -> Any:
    """Our issuer's PAdES certificate, if this installation has one (never made just to check a file)."""
    from lms.credentials.pades import load_pades_key, pades_key_path
    from lms.credentials.signing import engine_of, issuer_key_path

    path = pades_key_path(issuer_key_path(engine_of(session)))
    try:
        return load_pades_key(path, create=False).certificate if path.exists() else None
    except LmsError:
        return None


def _verify_pdf_bytes(session: Session, data: bytes, *, on: dt.date) -> VerificationResult:
    digest = sha256_of(data)
    issued = session.exec(select(Certificate).where(Certificate.pdf_sha256 == digest)).first()
    if issued is not None:
        return certificate_status(session, issued, on=on)
    try:
        code = embedded_code(data)
    except LmsError as error:
        return VerificationResult(VerificationStatus.unknown, error.message)
    if code is None:
        return VerificationResult(VerificationStatus.unknown, _("this PDF carries no verification code of ours"))
    result = verify_code_text(session, code, on=on)
    certificate = result.certificate
    if certificate is None or result.status == VerificationStatus.tampered or certificate.pdf_sha256 is None:
        return result
    if digest in earlier_renderings(session, certificate):
        return result
    return VerificationResult(
        VerificationStatus.tampered,
        _("this file is not the PDF issued as {serial}: its content was changed").format(serial=certificate.serial),
        certificate,
        result.payload,
    )


def embedded_code(data: bytes) -> str | None:
    """The verification code in a PDF's metadata (Keywords first), or None.

    Raises:
        LmsError: the PDF cannot be parsed.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is answered, not logged
    try:
        metadata = PdfReader(io.BytesIO(data)).metadata
        values = dict(metadata or {})
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise LmsError(_("the PDF cannot be read: {error}").format(error=reason)) from None
    ordered = [values.pop("/Keywords", None), *values.values()]
    for value in ordered:
        found = CODE_PATTERN.search(str(value)) if value is not None else None
        if found:
            return found.group(0)
    return None


def earlier_renderings(session: Session, certificate: Certificate) -> set[str]:
    """Every SHA-256 the certificate's PDF ever had (``record_pdf`` logs each change)."""
    hashes = {certificate.pdf_sha256} if certificate.pdf_sha256 else set()
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.action == "certificate.pdf", AuditEntry.entity_key == certificate.serial)
    )
    for entry in entries:
        for side in (entry.before, entry.after):
            if side and side.get("pdf_sha256"):
                hashes.add(side["pdf_sha256"])
    return hashes


def certificate_status(
    session: Session, certificate: Certificate, *, on: dt.date, payload: dict[str, Any] | None = None
) -> VerificationResult:
    """Revoked, superseded, expired (its expiry before ``on``) or valid, with the sentence that says so."""
    if payload is None and certificate.verification_code:
        try:
            payload, _signature = decode_code(certificate.verification_code)
        except LmsError:
            payload = None
    if certificate.status == CertificateStatus.revoked:
        reason = _("revoked on {date}: {reason}").format(
            date=certificate.revoked_on.isoformat() if certificate.revoked_on else "?",
            reason=certificate.revoked_reason or "",
        )
        return VerificationResult(VerificationStatus.revoked, reason, certificate, payload)
    if certificate.status == CertificateStatus.superseded:
        successor = session.get(Certificate, certificate.superseded_by_id) if certificate.superseded_by_id else None
        reason = _("re-issued as {serial}; this one is no longer in force").format(
            serial=successor.serial if successor else "?"
        )
        return VerificationResult(VerificationStatus.superseded, reason, certificate, payload)
    if certificate.expires_on is not None and certificate.expires_on < on:
        reason = _("expired on {date}").format(date=certificate.expires_on.isoformat())
        return VerificationResult(VerificationStatus.expired, reason, certificate, payload)
    course = course_code(session, certificate)
    if certificate.expires_on is None:
        reason = _("{serial}: {holder}, {course}, issued {issued}, no expiry")
    else:
        reason = _("{serial}: {holder}, {course}, issued {issued}, valid until {expires}")
    reason = reason.format(
        serial=certificate.serial,
        holder=certificate.holder_name,
        course=course,
        issued=certificate.issued_on.isoformat(),
        expires=certificate.expires_on.isoformat() if certificate.expires_on else "",
    )
    return VerificationResult(VerificationStatus.valid, reason, certificate, payload)


def course_code(session: Session, certificate: Certificate) -> str:
    version = session.get(CourseVersion, certificate.course_version_id)
    course = session.get(Course, version.course_id) if version else None
    return course.code if course else "?"


def result_record(session: Session | None, result: VerificationResult) -> dict[str, Any]:
    """A verification answer as plain data (stable keys) for ``--format json``."""
    certificate = result.certificate
    record: dict[str, Any] = {
        "status": result.status,
        "reason": result.reason,
        "serial": None,
        "pdf_signature": result.pdf_signature,
    }
    if result.payload:
        record["serial"] = result.payload.get("s")
    if certificate is not None and session is not None:
        record.update(
            serial=certificate.serial,
            holder_name=certificate.holder_name,
            course=course_code(session, certificate),
            family=certificate.family,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            certificate_status=certificate.status,
            revoked_on=certificate.revoked_on,
            revoked_reason=certificate.revoked_reason,
            superseded_by=_serial(session, certificate.superseded_by_id),
            supersedes=_serial(session, certificate.supersedes_id),
            key_id=certificate.key_id,
            pdf_sha256=certificate.pdf_sha256,
            pdf_path=str(result.pdf_path) if result.pdf_path else certificate.pdf_path,
        )
    record["payload"] = expanded_payload(result.payload) if result.payload else None
    return record


def _serial(session: Session, certificate_id: int | None) -> str | None:
    other = session.get(Certificate, certificate_id) if certificate_id is not None else None
    return other.serial if other else None


def certificate_rows(
    session: Session, *, person_code: str | None = None, training_session: TrainingSession | None = None
) -> list[dict[str, Any]]:
    """Certificates as plain rows, newest serial last, optionally one person's or one session's."""
    query = (
        select(Certificate, Person, Course, TrainingSession)
        .join(Person, col(Person.id) == Certificate.person_id)
        .join(CourseVersion, col(CourseVersion.id) == Certificate.course_version_id)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .outerjoin(TrainingSession, col(TrainingSession.id) == Certificate.session_id)
        .order_by(col(Certificate.id))
    )
    if person_code is not None:
        person = person_by_code(session, person_code)
        query = query.where(Certificate.person_id == person.id)
    if training_session is not None:
        query = query.where(Certificate.session_id == training_session.id)
    return [
        {
            "serial": certificate.serial,
            "status": certificate.status,
            "holder_name": certificate.holder_name or person.name,
            "person": person.code,
            "course": course.code,
            "session": training.code if training else None,
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
            "revoked_on": certificate.revoked_on,
            "superseded_by": _serial(session, certificate.superseded_by_id),
        }
        for certificate, person, course, training in session.exec(query)
    ]
