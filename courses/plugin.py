"""The courses plugin: course YAML library, schema, loader and the ``lms courses`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from sqlmodel import Session

from lms.hookspecs import hookimpl
from lms.i18n import _
from lms.models import CourseVersion


@hookimpl
def lms_register_commands(app: typer.Typer) -> None:
    from courses.cli import app as courses_app

    app.add_typer(courses_app, name="courses", help=_("Course YAML: validate, import, list, schema."))


@hookimpl
def lms_course_library() -> list[Path]:
    from courses.service import LIBRARY

    return [LIBRARY]


@hookimpl
def lms_import_courses(session: Session, paths: list[Path], pm: Any) -> list[CourseVersion]:
    from courses.service import import_paths

    return [version for version, _created in import_paths(session, pm, paths)]
