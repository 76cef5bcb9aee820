# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""One person's skill records with where each came from, and their certificates: what lms skills person and
the skills screen show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.access.roles import shown_id_number
from lms.credentials.skill_status import RecordDates, SkillCell, SkillStatus, judge
from lms.errors import NotFoundError
from lms.i18n import _
from lms.models import (
    Attachment,
    Certificate,
    Course,
    CourseVersion,
    Organisation,
    Person,
    Skill,
    SkillRecord,
)


@dataclass(frozen=True)
class AttachedFile:
    name: str
    media_type: str
    sha256: str
    size: int


@dataclass(frozen=True)
class RecordLine:
    """One skill record as HR reads it: what it grants, from when to when, where it came from, its standing."""

    skill: str
    skill_zh: str
    skill_en: str
    level: int
    valid_from: dt.date
    valid_until: dt.date | None
    state: str  # certified, due, superseded, expired or future
    source: str
    certificate: str | None
    issuer: str | None
    reference: str | None
    note: str | None
    files: tuple[AttachedFile, ...] = ()


@dataclass(frozen=True)
class CertificateLine:
    serial: str
    family: str
    course: str
    course_zh: str
    course_en: str
    version: int
    issued_on: dt.date
    expires_on: dt.date | None
    status: str


@dataclass
class PersonRecord:
    """A person's skill records (with sources and scans) and certificates."""

    code: str
    name: str
    name_en: str
    kind: str
    organisation_zh: str
    organisation_en: str
    id_number: str  # whole for HR, masked for every other role (lms.access.roles.shown_id_number)
    on: dt.date
    status: dict[str, SkillCell]
    records: list[RecordLine]
    certificates: list[CertificateLine]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = {skill: cell.as_dict() for skill, cell in self.status.items()}
        return data


def record_state(record: RecordDates, winner: SkillCell, on: dt.date) -> str:
    if record.valid_from > on:
        return "future"
    if winner.record_id == record.id:
        return winner.status
    if winner.status in (SkillStatus.certified, SkillStatus.due):
        return "superseded"
    return SkillStatus.expired


def person_record(session: Session, person_id: int, on: dt.date) -> PersonRecord:
    """Everything HR keeps about one person's skills, newest records first."""
    found = session.execute(
        select(Person, Organisation)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(Person.id == person_id)
    ).first()
    if found is None:
        raise NotFoundError(_("no such person"))
    person, organisation = found
    rows = session.execute(
        select(SkillRecord, Skill, Certificate.serial)
        .join(Skill, col(Skill.id) == SkillRecord.skill_id)
        .outerjoin(Certificate, col(Certificate.id) == SkillRecord.certificate_id)
        .where(SkillRecord.person_id == person_id)
        .order_by(col(Skill.code), col(SkillRecord.valid_from).desc(), col(SkillRecord.id).desc())
    ).all()
    files: dict[int, list[AttachedFile]] = defaultdict(list)
    record_ids = [record.id for record, _skill, _serial in rows]
    for attachment in session.exec(
        select(Attachment).where(col(Attachment.skill_record_id).in_(record_ids)).order_by(col(Attachment.id))
    ):
        assert attachment.skill_record_id is not None
        files[attachment.skill_record_id].append(
            AttachedFile(attachment.original_name, attachment.media_type, attachment.sha256, attachment.size)
        )
    by_skill: dict[int, list[SkillRecord]] = defaultdict(list)
    skills: dict[int, Skill] = {}
    for record, skill, _serial in rows:
        by_skill[skill.id].append(record)
        skills[skill.id] = skill
    winners = {
        skill_id: judge(records, skills[skill_id].renewal_window_days, on) for skill_id, records in by_skill.items()
    }
    lines = [
        RecordLine(
            skill.code,
            skill.name_zh,
            skill.name_en,
            record.level,
            record.valid_from,
            record.valid_until,
            record_state(record, winners[skill.id], on),
            record.source,
            serial,
            record.issuer,
            record.reference,
            record.note,
            tuple(files.get(record.id or 0, ())),
        )
        for record, skill, serial in rows
    ]
    certificates = [
        CertificateLine(
            certificate.serial,
            certificate.family,
            course.code,
            course.title_zh,
            course.title_en,
            version.version,
            certificate.issued_on,
            certificate.expires_on,
            certificate.status,
        )
        for certificate, version, course in session.execute(
            select(Certificate, CourseVersion, Course)
            .join(CourseVersion, col(CourseVersion.id) == Certificate.course_version_id)
            .join(Course, col(Course.id) == CourseVersion.course_id)
            .where(Certificate.person_id == person_id)
            .order_by(col(Certificate.issued_on).desc(), col(Certificate.id).desc())
        )
    ]
    return PersonRecord(
        person.code,
        person.name,
        person.name_en or "",
        person.kind,
        organisation.name_zh,
        organisation.name_en,
        shown_id_number(person),
        on,
        {skills[skill_id].code: cell for skill_id, cell in sorted(winners.items(), key=lambda i: skills[i[0]].code)},
        lines,
        certificates,
    )
