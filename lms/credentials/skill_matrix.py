# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""The skill matrix (people × skills, each cell a status) and the records expiring soon."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import exists, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from lms.credentials.skill_status import NO_RECORD, SkillCell, SkillStatus, judge
from lms.credentials.skills import TEACHING_KINDS
from lms.errors import LmsError
from lms.i18n import _
from lms.models import (
    Certificate,
    Person,
    Skill,
    SkillRecord,
)


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
