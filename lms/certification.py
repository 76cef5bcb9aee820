"""Certificate rows and the skill records they feed. Rendering the PDF belongs to the certificates plugin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from lms.models import Attempt, Certificate, CourseSkillGrant, CourseVersion, SerialCounter, SkillRecord

SERIAL_PREFIX = {"operator": "PX", "engineer": "GC"}


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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
            .returning(SerialCounter.last)
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


def issue_for_attempt(session: Session, *, attempt: Attempt, issued_on: dt.date, pm: Any = None) -> Certificate:
    """Issue the certificate a passed attempt earns; issuing twice returns the existing valid one."""
    assert attempt.passed and attempt.id is not None
    existing = session.exec(
        select(Certificate).where(Certificate.attempt_id == attempt.id, Certificate.status == "valid")
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
    session.add(certificate)
    session.flush()
    for grant in session.exec(select(CourseSkillGrant).where(CourseSkillGrant.course_version_id == version.id)):
        session.add(
            SkillRecord(
                person_id=attempt.person_id,
                skill_id=grant.skill_id,
                level=grant.level,
                valid_from=issued_on,
                valid_until=certificate.expires_on,
                certificate_id=certificate.id,
                source="certificate",
            )
        )
    session.flush()
    if pm is not None:
        pm.hook.lms_certificate_issued(session=session, certificate=certificate)
    return certificate
