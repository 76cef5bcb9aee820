"""Course services used by the command line, the demo and other plugins."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from lms.access.roles import Permission, require
from lms.catalog.handouts import store_handouts
from lms.catalog.importer import import_course
from lms.catalog.loader import LoadedCourse, load_courses
from lms.errors import LmsError
from lms.files.storage import files_root
from lms.models import Course, CourseVersion, Question
from lms.questions.types import registry


def validate_paths(pm: Any, paths: Iterable[Path]) -> tuple[list[LoadedCourse], list[LmsError]]:
    return load_courses(paths, registry(pm))


def import_paths(session: Session, pm: Any, paths: Iterable[Path]) -> list[tuple[CourseVersion, bool]]:
    """Validate every file first; import only when all are valid (nothing is written otherwise)."""
    require(Permission.manage_courses)
    loaded, errors = validate_paths(pm, paths)
    if errors:
        raise errors[0]
    results = []
    root = files_root(session.get_bind())  # type: ignore[arg-type]
    for course in loaded:
        stored = store_handouts(root, course.handouts)
        version, created = import_course(session, course.spec, course.path, stored)
        pm.hook.lms_course_imported(session=session, course_version=version, created=created)
        results.append((version, created))
    return results


def dropped_questions(session: Session, version: CourseVersion) -> tuple[CourseVersion | None, list[str]]:
    """The version before ``version`` and the questions it had that ``version`` no longer has.

    A YAML import after a GIFT import (or the other way round) replaces the whole bank; the questions stay in the
    older version (attempts keep pointing there) but are gone from new quizzes, so the command line says which.
    """
    previous = session.exec(
        select(CourseVersion).where(
            CourseVersion.course_id == version.course_id, CourseVersion.version == version.version - 1
        )
    ).first()
    if previous is None:
        return None, []

    def codes(of: CourseVersion) -> list[str]:
        # In the bank's own order, the same on every database.
        return list(
            session.exec(
                select(Question.code).where(Question.course_version_id == of.id).order_by(col(Question.id))
            ).all()
        )

    kept = set(codes(version))
    return previous, [code for code in codes(previous) if code not in kept]


def list_courses(session: Session) -> list[dict[str, Any]]:
    """Every course with its current version and question count."""
    rows = []
    for course in session.exec(select(Course).order_by(Course.code)).all():
        version = session.exec(
            select(CourseVersion)
            .where(CourseVersion.course_id == course.id)
            .order_by(col(CourseVersion.version).desc())
            .limit(1)
        ).one()
        questions = session.exec(select(func.count()).where(Question.course_version_id == version.id)).one()
        rows.append(
            {
                "code": course.code,
                "title_zh": course.title_zh,
                "title_en": course.title_en,
                "version": version.version,
                "questions": questions,
                "pass_mark": version.pass_mark,
                "certificate": (version.certificate or {}).get("family"),
                "validity_months": (version.certificate or {}).get("validity_months"),
            }
        )
    return rows
