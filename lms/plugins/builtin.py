"""The core's own hook implementations, registered like any plugin; everything here is a fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from lms.calendars.official import YearSchedule
from lms.calendars.workdays import WorkdayCalendar, builtin_calendars
from lms.config import CalendarConfig
from lms.hookspecs import hookimpl
from lms.models import Attempt, Certificate, CourseVersion
from lms.questions.types import BUILTIN_TYPES, QuestionType


@hookimpl(trylast=True)
def lms_question_types() -> list[QuestionType]:
    return list(BUILTIN_TYPES)


@hookimpl(trylast=True)
def lms_import_courses(session: Session, paths: list[Path], pm: Any) -> list[CourseVersion]:
    from lms.catalog.service import import_paths

    return [version for version, _created in import_paths(session, pm, paths)]


@hookimpl
def lms_attempt_graded(session: Session, attempt: Attempt, pm: Any) -> None:
    """A pass earns its certificate at once: the row, serial and signed code now; the PDF when a documents plugin
    renders it (``lms certs issue``)."""
    from lms.credentials.issuing import issue_on_pass

    issue_on_pass(session, attempt, pm)


@hookimpl
def lms_certificate_issued(session: Session, certificate: Certificate) -> None:
    """An issued certificate renews the holder's records of the skills its course grants."""
    from lms.credentials.skills import renew_from_certificate

    renew_from_certificate(session, certificate)


@hookimpl(trylast=True)
def lms_workday_calendars(
    config: CalendarConfig, notices: dict[str, dict[int, YearSchedule]], provisional_through: int
) -> dict[str, WorkdayCalendar]:
    return builtin_calendars(config, notices, provisional_through)
