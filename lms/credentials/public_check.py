"""What a buyer's phone learns from a certificate's QR code: ``{public_url}/v/{serial}?c={code}`` opens a page
saying valid, revoked, expired or superseded, with the holder's details masked. The signed code in the address is
checked too, so a printed serial with someone else's code, or an altered code, is reported as not genuine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from sqlmodel import Session, select

from lms.credentials.verification import VerificationStatus, certificate_status, course_code, verify_code_text
from lms.models import Certificate, Course, CourseVersion
from lms.models.lookup import code_key


@dataclass(frozen=True)
class PublicCheck:
    """The answer shown to anyone who scans a certificate: no full name, no ID number, no reason for a revocation."""

    status: str
    serial: str
    holder: str = ""
    holder_id: str = ""
    course_zh: str = ""
    course_en: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    successor: str | None = None


def verification_url(public_url: str, serial: str, code: str) -> str:
    """The address a certificate's QR code carries."""
    return f"{public_url.rstrip('/')}/v/{quote(serial)}?c={quote(code, safe='.-_')}"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧**明, Zhang San → Z*** S**: enough to recognise a holder one knows, not to learn it."""
    words = name.split()
    if len(words) > 1:
        return " ".join(word[:1] + "*" * (len(word) - 1) for word in words)
    if len(name) <= 2:
        return name[:1] + "*" * (len(name) - 1)
    return name[:1] + "*" * (len(name) - 2) + name[-1:]


def public_check(session: Session, *, serial: str, code: str | None, on: dt.date) -> PublicCheck:
    """The status of the certificate ``serial`` as of ``on``; with ``code``, the code must be genuine and its own."""
    wanted = code_key(serial)
    certificate = session.exec(select(Certificate).where(Certificate.serial == wanted)).first() if wanted else None
    if certificate is None:
        return PublicCheck(VerificationStatus.unknown, serial.strip()[:40])
    if code:
        checked = verify_code_text(session, code, on=on)
        if checked.certificate is None or checked.certificate.id != certificate.id:
            return PublicCheck(VerificationStatus.tampered, certificate.serial)
        result = checked
    else:
        result = certificate_status(session, certificate, on=on)
    version = session.get(CourseVersion, certificate.course_version_id)
    course = session.get(Course, version.course_id) if version else None
    payload = result.payload or {}
    successor = session.get(Certificate, certificate.superseded_by_id) if certificate.superseded_by_id else None
    return PublicCheck(
        status=result.status,
        serial=certificate.serial,
        holder=mask_name(certificate.holder_name),
        holder_id=str(payload.get("i") or ""),
        course_zh=course.title_zh if course else course_code(session, certificate),
        course_en=course.title_en if course else "",
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        successor=successor.serial if successor else None,
    )
