# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Skill records as Totara keeps them: who holds which skill, at what level, until when, and who is due to renew.

A record is active from ``valid_from`` to ``valid_until`` (both days included; no end means no expiry). The
recertification window opens ``Skill.renewal_window_days`` before the end. Of several records of one skill, the one
valid on the day with the latest end wins, so a renewal supersedes the record it renews and an older lapsed record
never spoils a newer valid one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require, shown_id_number
from lms.errors import LmsError, NotFoundError
from lms.files.storage import read_evidence_file, store_bytes
from lms.i18n import _
from lms.models import (
    Attachment,
    Certificate,
    Course,
    CourseSkillGrant,
    CourseVersion,
    Organisation,
    Person,
    Skill,
    SkillRecord,
)
from lms.models.lookup import person_by_code

TEACHING_KINDS: tuple[str, ...] = ("engineer", "trainer")

MAX_SKILL_LEVEL = 9  # levels are small grades (1 operator … 5 expert); anything past 9 is a typing slip


class SkillStatus(StrEnum):
    certified = "certified"
    due = "due"  # inside the recertification window, still valid
    expired = "expired"
    none = "none"


def status_label(status: str) -> str:
    return {
        "certified": _("certified"),
        "due": _("due for renewal"),
        "expired": _("expired"),
        "none": _("no record"),
        "superseded": _("superseded"),
        "future": _("not yet valid"),
    }.get(status, status)


class RecordDates(Protocol):
    """What judging needs of a record: a model row or a plain result row."""

    @property
    def id(self) -> int | None: ...
    @property
    def level(self) -> int: ...
    @property
    def valid_from(self) -> dt.date: ...
    @property
    def valid_until(self) -> dt.date | None: ...


@dataclass(frozen=True)
class SkillCell:
    """One person's standing in one skill on one day, and the record it rests on."""

    status: str
    level: int | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    record_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "record_id"}


NO_RECORD = SkillCell(SkillStatus.none)


def _valid_on(record: RecordDates, on: dt.date) -> bool:
    return record.valid_from <= on and (record.valid_until is None or record.valid_until >= on)


def _lasting(record: RecordDates) -> tuple[dt.date, int, dt.date, int]:
    return (record.valid_until or dt.date.max, record.level, record.valid_from, record.id or 0)


def judge(records: Iterable[RecordDates], window_days: int, on: dt.date) -> SkillCell:
    """The status of one person in one skill on ``on``, from all their records of it."""
    records = list(records)
    current = [r for r in records if _valid_on(r, on)]
    if current:
        best = max(current, key=_lasting)
        due = best.valid_until is not None and on >= best.valid_until - dt.timedelta(days=window_days)
        status = SkillStatus.due if due else SkillStatus.certified
        return SkillCell(status, best.level, best.valid_from, best.valid_until, best.id)
    lapsed = [r for r in records if r.valid_until is not None and r.valid_until < on]
    if lapsed:
        last = max(lapsed, key=_lasting)
        return SkillCell(SkillStatus.expired, last.level, last.valid_from, last.valid_until, last.id)
    return NO_RECORD


def _valid_on_clause(on: dt.date) -> Any:
    return and_(
        SkillRecord.valid_from <= on, or_(col(SkillRecord.valid_until).is_(None), col(SkillRecord.valid_until) >= on)
    )


def skill_status(session: Session, person_id: int, skill_id: int, on: dt.date) -> SkillCell:
    """One person's status in one skill on ``on``."""
    skill = session.get(Skill, skill_id)
    if skill is None:
        raise NotFoundError(_("no such skill"))
    records = session.exec(
        select(SkillRecord).where(SkillRecord.person_id == person_id, SkillRecord.skill_id == skill_id)
    ).all()
    return judge(records, skill.renewal_window_days, on)


@dataclass(frozen=True)
class MatrixPerson:
    id: int
    code: str
    name: str
    name_en: str
    kind: str


@dataclass(frozen=True)
class SkillColumn:
    id: int
    code: str
    name_zh: str
    name_en: str
    renewal_window_days: int


@dataclass
class SkillMatrix:
    """People (rows) × skills (columns) on one day; cells not stored are ``none``."""

    on: dt.date
    people: list[MatrixPerson]
    skills: list[SkillColumn]
    cells: dict[tuple[int, int], SkillCell] = field(default_factory=dict)

    def cell(self, person_id: int, skill_id: int) -> SkillCell:
        return self.cells.get((person_id, skill_id), NO_RECORD)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "skills": [
                {
                    "code": s.code,
                    "name_zh": s.name_zh,
                    "name_en": s.name_en,
                    "renewal_window_days": s.renewal_window_days,
                }
                for s in self.skills
            ],
            "people": [
                {"code": p.code, "name": p.name, "name_en": p.name_en, "kind": p.kind}
                | {"skills": {s.code: self.cell(p.id, s.id).as_dict() for s in self.skills}}
                for p in self.people
            ],
        }


def skill_matrix(session: Session, on: dt.date, kinds: Sequence[str] = TEACHING_KINDS) -> SkillMatrix:
    """Everyone of ``kinds`` against every skill: three queries (people, skills, records), whatever the size."""
    people = [
        MatrixPerson(row.id, row.code, row.name, row.name_en or "", row.kind)
        for row in session.execute(
            select(Person.id, Person.code, Person.name, Person.name_en, Person.kind)
            .where(col(Person.kind).in_(kinds))
            .order_by(col(Person.code))
        )
    ]
    skills = [
        SkillColumn(row.id, row.code, row.name_zh, row.name_en, row.renewal_window_days)
        for row in session.execute(
            select(Skill.id, Skill.code, Skill.name_zh, Skill.name_en, Skill.renewal_window_days).order_by(
                col(Skill.code)
            )
        )
    ]
    window = {skill.id: skill.renewal_window_days for skill in skills}
    grouped: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in session.execute(
        select(
            SkillRecord.id,
            SkillRecord.person_id,
            SkillRecord.skill_id,
            SkillRecord.level,
            SkillRecord.valid_from,
            SkillRecord.valid_until,
        )
        .join(Person, col(Person.id) == SkillRecord.person_id)
        .where(col(Person.kind).in_(kinds), SkillRecord.valid_from <= on)
    ):
        grouped[row.person_id, row.skill_id].append(row)
    matrix = SkillMatrix(on, people, skills)
    for key, records in grouped.items():
        cell = judge(records, window[key[1]], on)
        if cell.status != SkillStatus.none:
            matrix.cells[key] = cell
    return matrix


@dataclass(frozen=True)
class ExpiringRecord:
    """A record that lapses soon and has not been renewed."""

    person: str
    name: str
    name_en: str
    skill: str
    skill_zh: str
    skill_en: str
    level: int
    valid_until: dt.date
    days_left: int
    source: str
    certificate: str | None
    issuer: str | None
    reference: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def expiring(
    session: Session, on: dt.date, within_days: int, kinds: Sequence[str] = TEACHING_KINDS
) -> list[ExpiringRecord]:
    """Records valid on ``on`` whose end falls within ``within_days`` of it, with no later record of the skill."""
    if within_days < 0:
        raise LmsError(_("a number of days, 0 or more"), field="--within")
    later = aliased(SkillRecord)
    renewed = exists().where(
        later.person_id == SkillRecord.person_id,
        later.skill_id == SkillRecord.skill_id,
        later.id != SkillRecord.id,
        or_(col(later.valid_until).is_(None), col(later.valid_until) > col(SkillRecord.valid_until)),
    )
    rows = session.execute(
        select(SkillRecord, Person.code, Person.name, Person.name_en, Skill.code, Skill.name_zh, Skill.name_en)
        .add_columns(Certificate.serial)
        .join(Person, col(Person.id) == SkillRecord.person_id)
        .join(Skill, col(Skill.id) == SkillRecord.skill_id)
        .outerjoin(Certificate, col(Certificate.id) == SkillRecord.certificate_id)
        .where(
            col(Person.kind).in_(kinds),
            SkillRecord.valid_from <= on,
            col(SkillRecord.valid_until) >= on,
            col(SkillRecord.valid_until) <= on + dt.timedelta(days=within_days),
            ~renewed,
        )
        .order_by(col(SkillRecord.valid_until), col(Person.code), col(Skill.code))
    ).all()
    found = []
    for record, code, name, name_en, skill, skill_zh, skill_en, serial in rows:
        assert record.valid_until is not None
        found.append(
            ExpiringRecord(
                code,
                name,
                name_en or "",
                skill,
                skill_zh,
                skill_en,
                record.level,
                record.valid_until,
                (record.valid_until - on).days,
                record.source,
                serial,
                record.issuer,
                record.reference,
            )
        )
    return found


def find_skill(session: Session, code: str) -> Skill:
    skill = session.exec(select(Skill).where(Skill.code == code.strip())).first()
    if skill is None:
        raise NotFoundError(_("no skill has the code {code}").format(code=code.strip()), field="--skill")
    return skill


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
