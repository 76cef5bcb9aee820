"""Finding a record by the code people type: one rule for every entity.

Codes are case-insensitive and blind to full-width forms and stray spaces: ``s-abc`` and ``Ｓ－ＡＢＣ `` both find
``S-ABC``. Two records whose codes differ only in case (possible in data loaded before this rule) resolve to the
one that matches exactly, and otherwise to an error naming the code rather than an arbitrary pick.
"""

from __future__ import annotations

import unicodedata
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.models.catalog import Course
from lms.models.people import Person
from lms.models.projects import Project
from lms.models.scheduling import TrainingSession

Row = TypeVar("Row", bound=SQLModel)


def code_key(text: str) -> str:
    """The form codes are compared in: NFKC, no white space, upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def same_code(column: Any, code: str) -> Any:
    """A query condition: ``column`` holds ``code`` under the one case rule (for filters inside larger queries)."""
    return func.upper(column) == code_key(code)


def find_by_code(session: Session, model: type[Row], code: str) -> Row | None:
    """The row of ``model`` whose ``code`` matches ``code`` under the one case rule, or None."""
    column: Any = model.code  # type: ignore[attr-defined]
    found = list(session.exec(select(model).where(same_code(col(column), code)).limit(5)))
    if len(found) <= 1:
        return found[0] if found else None
    exact = [row for row in found if getattr(row, "code", None) == code.strip()]
    if len(exact) == 1:
        return exact[0]
    raise LmsError(_("several records have the code {code} in different cases; rename one").format(code=code.strip()))


def session_by_code(session: Session, code: str, *, field: str | None = None) -> TrainingSession:
    found = find_by_code(session, TrainingSession, code)
    if found is None or found.id is None:
        raise NotFoundError(_("no training session has the code {code}").format(code=code.strip()), field=field)
    return found


def session_by_id_or_code(session: Session, ref: int | str, *, field: str | None = "session") -> TrainingSession:
    """A session by its database id (all digits) or its code."""
    if isinstance(ref, int) or ref.strip().isdigit():
        training = session.get(TrainingSession, int(ref))
    else:
        training = find_by_code(session, TrainingSession, ref)
    if training is None:
        raise NotFoundError(_("no training session {session}").format(session=ref), field=field)
    return training


def person_by_code(session: Session, code: str, *, field: str | None = "--person") -> Person:
    found = find_by_code(session, Person, code)
    if found is None or found.id is None:
        raise NotFoundError(_("no person has the code {code}").format(code=code.strip()), field=field)
    return found


def project_by_code(session: Session, code: str, *, field: str | None = "project") -> Project:
    found = find_by_code(session, Project, code)
    if found is None or found.id is None:
        raise NotFoundError(_("unknown project {code!r}").format(code=code.strip()), field=field)
    return found


def course_by_code(session: Session, code: str, *, field: str | None = "--course") -> Course:
    found = find_by_code(session, Course, code)
    if found is None or found.id is None:
        raise NotFoundError(_("no course has the code {code}").format(code=code.strip()), field=field)
    return found
