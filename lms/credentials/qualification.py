# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""持证上岗, the one rule of who may be sent: to teach a course, or to work on a site's equipment, a person holds a
valid skill record for EVERY skill the course grants (its latest version), for EVERY day of the period.

Every skill, not any one: a course that grants "operation" and "maintenance" teaches both, and a site's equipment
needs both looked after, so holding one of them does not make a person fit to stand in front of the class or to be
sent. Every day: records of one skill may hand over to each other (a renewal that starts before the old record
ends), so coverage is the union of the person's records, and the first uncovered day is where the skill lapses.
A course that grants no skill asks for none. The conflict check, the auto-scheduler, ``lms skills qualified``,
dispatch and the TUI all ask here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from lms.i18n import _
from lms.models import CourseSkillGrant, CourseVersion, Skill, SkillRecord

ONE_DAY = dt.timedelta(days=1)


class Covering(Protocol):
    skill_id: int
    valid_from: dt.date
    valid_until: dt.date | None


@dataclass(frozen=True)
class Lapse:
    """A skill the person does not hold for the whole period: from ``day`` on (``valid_until`` is the day before,
    or None when they hold no valid record on the period's first day)."""

    skill: str
    day: dt.date
    valid_until: dt.date | None

    def describe(self) -> str:
        if self.valid_until is None:
            return _("no valid {skill} on {day}").format(skill=self.skill, day=self.day)
        return _("{skill} lapses after {until}").format(skill=self.skill, until=self.valid_until)


def first_uncovered(spans: Iterable[tuple[dt.date, dt.date | None]], first: dt.date, last: dt.date) -> dt.date | None:
    """The first day from ``first`` to ``last`` that no span (both ends included, no end = open) covers."""
    day = first
    for start, end in sorted(spans, key=lambda span: span[0]):
        if start > day:
            break
        if end is None:
            return None
        day = max(day, end + ONE_DAY)
        if day > last:
            return None
    return day if day <= last else None


def lapses_in(records: Iterable[Covering], skills: Mapping[int, str], first: dt.date, last: dt.date) -> list[Lapse]:
    """The rule on records already loaded: for each skill asked for (id → code), where the person's cover ends."""
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for record in records:
        if record.skill_id in skills:
            spans[record.skill_id].append((record.valid_from, record.valid_until))
    found = []
    for skill_id, code in sorted(skills.items(), key=lambda item: item[1]):
        day = first_uncovered(spans[skill_id], first, last)
        if day is not None:
            found.append(Lapse(code, day, day - ONE_DAY if day > first else None))
    return found


def covered_until(records: Iterable[Covering], skills: Mapping[int, str], first: dt.date) -> dt.date | None:
    """The last day from ``first`` on that the person stays qualified (None: no end); call it for a qualified person."""
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for record in records:
        if record.skill_id in skills:
            spans[record.skill_id].append((record.valid_from, record.valid_until))
    ends = [first_uncovered(spans[skill_id], first, dt.date.max - ONE_DAY) for skill_id in skills]
    return min((day - ONE_DAY for day in ends if day is not None), default=None)


def course_grants(session: Session, course_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """Per course: the skills (id → code) its latest version grants; courses granting none are left out."""
    ids = set(course_ids)
    if not ids:
        return {}
    latest = (
        select(CourseVersion.course_id, func.max(CourseVersion.version).label("version"))
        .where(col(CourseVersion.course_id).in_(ids))
        .group_by(CourseVersion.course_id)
        .subquery()
    )
    rows = session.exec(
        select(CourseVersion.course_id, Skill.id, Skill.code)
        .join(latest, (latest.c.course_id == CourseVersion.course_id) & (latest.c.version == CourseVersion.version))
        .join(CourseSkillGrant, col(CourseSkillGrant.course_version_id) == CourseVersion.id)
        .join(Skill, col(Skill.id) == CourseSkillGrant.skill_id)
    ).all()
    grants: dict[int, dict[int, str]] = defaultdict(dict)
    for course_id, skill_id, code in rows:
        grants[course_id][skill_id or 0] = code
    return dict(grants)


def records_of(session: Session, person_ids: Iterable[int], skill_ids: Iterable[int]) -> dict[int, list[SkillRecord]]:
    """Everyone's records of the skills, per person."""
    people, skills = set(person_ids), set(skill_ids)
    found: dict[int, list[SkillRecord]] = defaultdict(list)
    if not people or not skills:
        return found
    for record in session.exec(
        select(SkillRecord).where(col(SkillRecord.person_id).in_(people), col(SkillRecord.skill_id).in_(skills))
    ):
        found[record.person_id].append(record)
    return found


def qualification_lapses(
    session: Session, *, person_ids: Sequence[int], skills: Mapping[int, str], first: dt.date, last: dt.date
) -> dict[int, list[Lapse]]:
    """Per person: what keeps them from being qualified over the period (an empty list: qualified)."""
    records = records_of(session, person_ids, skills)
    return {person_id: lapses_in(records.get(person_id, []), skills, first, last) for person_id in person_ids}
