# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""``lms skills qualified``: who may be sent for a skill, a course or a project's equipment over a period, by the one
rule of :mod:`lms.credentials.qualification`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.assessment.quizzes import current_version
from lms.credentials.qualification import course_grants, covered_until, lapses_in
from lms.credentials.skill_status import SkillStatus, judge
from lms.credentials.skills import TEACHING_KINDS, find_skill
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Obligation, Person, Skill, SkillRecord
from lms.models.lookup import project_by_code


@dataclass(frozen=True)
class HeldSkill:
    skill: str
    level: int
    valid_until: dt.date | None
    status: str


@dataclass(frozen=True)
class QualifiedPerson:
    """Someone holding every skill asked for, valid on the day; ``valid_until`` is the earliest end among them."""

    code: str
    name: str
    name_en: str
    kind: str
    status: str
    valid_until: dt.date | None
    skills: tuple[HeldSkill, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def required_skills(
    session: Session, *, course_code: str | None = None, skill_code: str | None = None, project_code: str | None = None
) -> dict[int, str]:
    """The skills (id → code) asked for: one skill, every skill a course grants, or every skill of a project's
    equipment (the courses its obligations name)."""
    if sum(given is not None for given in (course_code, skill_code, project_code)) != 1:
        raise LmsError(_("give exactly one of --course, --skill and --project"))
    if skill_code is not None:
        skill = find_skill(session, skill_code)
        return {skill.id or 0: skill.code}
    codes = [course_code or ""] if course_code is not None else project_course_codes(session, project_code or "")
    courses = [current_version(session, code.strip()).course_id for code in codes]
    grants = course_grants(session, courses)
    required = {skill_id: code for course in courses for skill_id, code in grants.get(course, {}).items()}
    if not required and course_code is not None:
        raise LmsError(_("course {code} grants no skill").format(code=course_code.strip()), field="--course")
    if not required:
        raise LmsError(_("no course of project {code} grants a skill").format(code=project_code), field="--project")
    return required


def project_course_codes(session: Session, project_code: str) -> list[str]:
    """The courses of a project's equipment: those its obligations name."""
    project = project_by_code(session, project_code, field="--project")
    codes = {
        code
        for codes in session.exec(select(Obligation.course_codes).where(Obligation.project_id == project.id))
        for code in codes or ()
    }
    if not codes:
        raise LmsError(_("project {code} names no course").format(code=project.code), field="--project")
    return sorted(codes)


def qualified(
    session: Session,
    on: dt.date,
    course_code: str | None = None,
    skill_code: str | None = None,
    kinds: Sequence[str] = TEACHING_KINDS,
    *,
    until: dt.date | None = None,
    project_code: str | None = None,
) -> list[QualifiedPerson]:
    """Who is qualified (:mod:`lms.credentials.qualification`) from ``on`` to ``until`` (``on`` alone: that day)
    for the skill, the course or the project's equipment."""
    last = until or on
    if last < on:
        raise LmsError(_("the period ends before it starts"), field="--to")
    required = required_skills(session, course_code=course_code, skill_code=skill_code, project_code=project_code)
    rows = session.execute(
        select(
            SkillRecord, Person.code, Person.name, Person.name_en, Person.kind, Skill.code, Skill.renewal_window_days
        )
        .join(Person, col(Person.id) == SkillRecord.person_id)
        .join(Skill, col(Skill.id) == SkillRecord.skill_id)
        .where(col(Person.kind).in_(kinds), col(Person.retired_at).is_(None), col(SkillRecord.skill_id).in_(required))
    ).all()
    people: dict[str, tuple[str, str, str]] = {}
    held: dict[str, dict[str, tuple[int, list[SkillRecord]]]] = defaultdict(dict)
    for record, code, name, name_en, kind, skill, window in rows:
        people[code] = (name, name_en or "", kind)
        held[code].setdefault(skill, (window, []))[1].append(record)
    found = []
    for code in sorted(people):
        records = [record for _window, group in held[code].values() for record in group]
        if lapses_in(records, required, on, last):
            continue
        cells = {skill: judge(records, window, on) for skill, (window, records) in sorted(held[code].items())}
        skills = tuple(HeldSkill(skill, c.level or 0, c.valid_until, c.status) for skill, c in cells.items())
        due = any(c.status == SkillStatus.due for c in cells.values())
        name, name_en, kind = people[code]
        status = SkillStatus.due if due else SkillStatus.certified
        found.append(QualifiedPerson(code, name, name_en, kind, status, covered_until(records, required, on), skills))
    return found
