"""Turning validated course specs into rows. A changed course becomes a new version; an unchanged one is left as is."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lms.catalog.schema import CourseSpecBase
from lms.models import Course, CourseModule, CourseSkillGrant, CourseVersion, Question, Skill
from lms.models.lookup import find_by_code
from lms.questions.types import question_data


def content_hash(spec: CourseSpecBase, handouts: list[Any] | None = None) -> str:
    """The hash that decides whether an import is a new version: the spec, and the stored handouts' hashes."""
    data = spec.model_dump(mode="json")
    if data.get("attendance") is None:
        data.pop("attendance", None)  # courses written before the rule existed keep their hash (and version)
    if handouts and any(isinstance(entry, dict) for entry in handouts):
        data["stored_handouts"] = handouts  # a handout's content changed under the same name: a new version
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def latest_version(session: Session, course_id: int) -> CourseVersion | None:
    statement = (
        select(CourseVersion).where(CourseVersion.course_id == course_id).order_by(col(CourseVersion.version).desc())
    )
    return session.exec(statement.limit(1)).first()


def import_course(
    session: Session, spec: CourseSpecBase, source: Path | None = None, handouts: list[Any] | None = None
) -> tuple[CourseVersion, bool]:
    """Store ``spec``; returns the current version and whether a new one was made. The caller commits.

    ``handouts`` are the stored handouts (:func:`lms.catalog.handouts.store_handouts`) to record with the version.
    """
    recorded = list(handouts) if handouts is not None else list(spec.handouts)
    digest = content_hash(spec, recorded)
    course = find_by_code(session, Course, spec.code)
    if course is None:
        course = Course(code=spec.code, title_zh=spec.title.zh, title_en=spec.title.en)
        session.add(course)
        session.flush()
    assert course.id is not None
    previous = latest_version(session, course.id)
    if previous is not None and previous.content_hash == digest:
        return previous, False
    course.title_zh, course.title_en = spec.title.zh, spec.title.en
    version = CourseVersion(
        course_id=course.id,
        version=(previous.version + 1) if previous else 1,
        content_hash=digest,
        source_path=str(source) if source else None,
        system_zh=spec.system.zh,
        system_en=spec.system.en,
        audience=list(spec.audience),
        pass_mark=spec.pass_mark,
        written_weight=spec.written_weight,
        practical_weight=spec.practical_weight,
        time_limit_minutes=spec.time_limit_minutes,
        reexam=spec.reexam.model_dump(mode="json"),
        certificate=spec.certificate.model_dump(mode="json"),
        blueprint=[draw.model_dump(mode="json") for draw in spec.blueprint],
        practical_checklist=[item.model_dump(mode="json") for item in spec.practical],
        handouts=recorded,
        spec=spec.model_dump(mode="json"),
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    modules: dict[str, CourseModule] = {}
    for position, module_spec in enumerate(spec.modules):
        module = CourseModule(
            course_version_id=version.id,
            code=module_spec.id,
            curriculum=module_spec.curriculum,
            position=position,
            title_zh=module_spec.title.zh,
            title_en=module_spec.title.en,
            hours=module_spec.hours,
            objectives=[objective.model_dump() for objective in module_spec.objectives],
            audience=list(module_spec.audience),
            methods=list(module_spec.methods),
        )
        session.add(module)
        modules[module_spec.id] = module
    session.flush()
    for question_spec in spec.questions:
        module = modules[question_spec.module]
        assert module.id is not None
        session.add(
            Question(
                course_version_id=version.id,
                module_id=module.id,
                code=question_spec.id,
                qtype=question_spec.type,
                curriculum=module.curriculum,
                points=question_spec.points,
                prompt_zh=question_spec.prompt.zh,
                prompt_en=question_spec.prompt.en,
                data=question_data(question_spec),
            )
        )
    for grant in spec.skills:
        skill = upsert_skill(session, grant.code, grant.name.zh, grant.name.en)
        assert skill.id is not None
        session.add(CourseSkillGrant(course_version_id=version.id, skill_id=skill.id, level=grant.level))
    session.flush()
    return version, True


def upsert_skill(session: Session, code: str, name_zh: str, name_en: str) -> Skill:
    skill = session.exec(select(Skill).where(Skill.code == code)).first()
    if skill is None:
        skill = Skill(code=code, name_zh=name_zh, name_en=name_en)
        session.add(skill)
        session.flush()
    else:
        skill.name_zh, skill.name_en = name_zh, name_en
    return skill
