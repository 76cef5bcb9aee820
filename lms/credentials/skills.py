# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Skill records as Totara keeps them: who holds which skill, at what level, until when, and who is due to renew.

A record is active from ``valid_from`` to ``valid_until`` (both days included; no end means no expiry). The
recertification window opens ``Skill.renewal_window_days`` before the end. Of several records of one skill, the one
valid on the day with the latest end wins, so a renewal supersedes the record it renews and an older lapsed record
never spoils a newer valid one.

Split by idea: ``skill_status`` (judging records on a day), ``skill_matrix`` (the matrix, expiring records),
``person_records`` (one person's records), ``qualified``; here: skills, outside records and renewal from a
certificate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.errors import LmsError, NotFoundError
from lms.files.storage import read_evidence_file, store_bytes
from lms.i18n import _
from lms.models import (
    Attachment,
    Certificate,
    CourseSkillGrant,
    Skill,
    SkillRecord,
)
from lms.models.lookup import person_by_code

TEACHING_KINDS: tuple[str, ...] = ("engineer", "trainer")

MAX_SKILL_LEVEL = 9  # levels are small grades (1 operator … 5 expert); anything past 9 is a typing slip


def find_skill(session: Session, code: str) -> Skill:
    skill = session.exec(select(Skill).where(Skill.code == code.strip())).first()
    if skill is None:
        raise NotFoundError(_("no skill has the code {code}").format(code=code.strip()), field="--skill")
    return skill


def add_external_record(
    session: Session,
    *,
    person_code: str,
    skill_code: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    issuer: str,
    reference: str | None,
    scan: Path | None,
    files_root: Path,
    added_by: str,
    level: int = 1,
) -> SkillRecord:
    """HR enters a certificate from outside (a manufacturer's, say), with its scan kept as evidence. The caller
    commits; the scan is checked before anything is written, and stored by its hash."""
    require(Permission.edit_skills)
    person = person_by_code(session, person_code)
    skill = find_skill(session, skill_code)
    if valid_until is not None and valid_until < valid_from:
        raise LmsError(
            _("ends {until}, before it starts {start}").format(until=valid_until, start=valid_from), field="--until"
        )
    if not issuer.strip():
        raise LmsError(_("say who issued the certificate"), field="--issuer")
    if not 1 <= level <= MAX_SKILL_LEVEL:
        raise LmsError(_("a level is a whole number from 1 to {top}").format(top=MAX_SKILL_LEVEL), field="--level")
    evidence = read_evidence_file(scan) if scan is not None else None
    record = SkillRecord(
        person_id=person.id or 0,
        skill_id=skill.id or 0,
        level=level,
        valid_from=valid_from,
        valid_until=valid_until,
        source="external",
        issuer=issuer.strip(),
        reference=(reference or "").strip() or None,
    )
    session.add(record)
    session.flush()
    if evidence is not None and scan is not None:
        data, media_type, suffix = evidence
        stored = store_bytes(files_root, data, suffix, media_type)
        session.add(
            Attachment(
                kind="external_certificate",
                skill_record_id=record.id,
                original_name=scan.name,
                media_type=media_type,
                sha256=stored.sha256,
                size=stored.size,
                added_by=added_by,
            )
        )
    audit.record(
        session,
        action="skill_record.added",
        entity="skill_record",
        key=str(record.id),
        before=None,
        after={
            "person": person.code,
            "skill": skill.code,
            "level": level,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
            "issuer": record.issuer,
            "reference": record.reference,
            "scan": evidence is not None,
        },
        actor=added_by or None,
    )
    session.flush()
    return record


def renew_from_certificate(session: Session, certificate: Certificate) -> list[SkillRecord]:
    """The holder's records of every skill the certificate's course version grants, from its issue day to its
    expiry; a renewal is a new record that supersedes the old one. Calling it again for a certificate adds nothing;
    a certificate that is not valid grants nothing."""
    if certificate.id is None or certificate.status != "valid":
        return []
    already = set(session.exec(select(SkillRecord.skill_id).where(SkillRecord.certificate_id == certificate.id)))
    grants = session.exec(
        select(CourseSkillGrant)
        .where(CourseSkillGrant.course_version_id == certificate.course_version_id)
        .order_by(col(CourseSkillGrant.id))
    ).all()
    added = [
        SkillRecord(
            person_id=certificate.person_id,
            skill_id=grant.skill_id,
            level=grant.level,
            valid_from=certificate.issued_on,
            valid_until=certificate.expires_on,
            certificate_id=certificate.id,
            source="certificate",
        )
        for grant in grants
        if grant.skill_id not in already
    ]
    session.add_all(added)
    session.flush()
    return added
