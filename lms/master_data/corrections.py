"""Corrections that reach every document: which valid certificates still show a person's old name or ID number.

A certificate keeps the holder's name as printed (``Certificate.holder_name``) and its verification code carries
the masked ID number of the day it was signed; after a correction, those certificates are re-issued
(``lms certs reissue SERIAL``), which prints the corrected values and marks the new one 补发/更正.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from lms.models import Certificate, CertificateStatus, Course, CourseVersion, Person


def holds_certificates(session: Session, person: Person) -> bool:
    """Whether any certificate (valid or not) was ever issued to the person: their name is on paper somewhere."""
    return session.exec(select(Certificate.id).where(Certificate.person_id == person.id).limit(1)).first() is not None


def certificate_rows_of(session: Session, person: Person) -> list[dict[str, Any]]:
    """Every certificate of the person, newest first, with the name it shows."""
    rows = session.exec(
        select(Certificate, Course)
        .join(CourseVersion, col(CourseVersion.id) == Certificate.course_version_id)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .where(Certificate.person_id == person.id)
        .order_by(col(Certificate.id).desc())
    ).all()
    return [
        {
            "serial": certificate.serial,
            "status": certificate.status,
            "holder_name": certificate.holder_name,
            "course": course.code,
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
        }
        for certificate, course in rows
    ]


def certificates_to_reissue(session: Session, person: Person, *, id_changed: bool) -> list[dict[str, Any]]:
    """Valid certificates that show another name than the person's now; all valid ones when the printed (masked)
    ID number changed."""
    return [
        {**row, "reissue_command": f"lms certs reissue {row['serial']}"}
        for row in certificate_rows_of(session, person)
        if row["status"] == CertificateStatus.valid and (id_changed or row["holder_name"] != person.name)
    ]
