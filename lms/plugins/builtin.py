"""The core's own hook implementations, registered like any plugin; everything here is a fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from lms.hookspecs import hookimpl
from lms.models import CourseVersion
from lms.questions.types import BUILTIN_TYPES, QuestionType


@hookimpl(trylast=True)
def lms_question_types() -> list[QuestionType]:
    return list(BUILTIN_TYPES)


@hookimpl(trylast=True)
def lms_import_courses(session: Session, paths: list[Path], pm: Any) -> list[CourseVersion]:
    from lms.catalog.service import import_paths

    return [version for version, _created in import_paths(session, pm, paths)]
