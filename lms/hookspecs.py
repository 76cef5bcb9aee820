# mypy: disable-error-code="empty-body"
"""Every hook of the system. Built-in packages implement them exactly as an outside plugin would.

Event hooks announce something that happened; provider hooks collect contributions (commands, question
types, calendars, templates, checks). A test fails when a hookspec here has no docstring or no test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import typer
    from sqlmodel import Session

    from lms.calendars.official import YearSchedule
    from lms.calendars.workdays import WorkdayCalendar
    from lms.config import CalendarConfig
    from lms.maintenance.doctor import Check
    from lms.models import Attempt, Certificate, CourseVersion, Milestone, TrainingSession
    from lms.questions.types import QuestionType

PROJECT = "lms"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class QuickCommand:
    """A command started before the command line is built: its words (for the permission table) and its start."""

    words: str
    run: Callable[[], None]


# --- provider hooks -------------------------------------------------------------------------------


@hookspec(firstresult=True)
def lms_quick_command(args: list[str], db_url: str | None) -> QuickCommand | None:
    """Start a command at once, before the full command line and the ORM are imported (``lms tui`` paints its
    last dashboard this way while the database opens).

    Asked of the entry-point plugins alone (not the core's own plugin), so an implementation must import nothing
    heavy at module level. The command line checks ``words`` against the permission table, then calls ``run``.

    Args:
        args: the command line without the global options (``--db``, ``--lang``), e.g. ``["tui"]``.
        db_url: ``--db`` if given (None: ``LMS_DATABASE_URL`` or the default).

    Returns:
        The command to run, or None when ``args`` is not one the plugin starts early.
    """


@hookspec
def lms_register_commands(app: typer.Typer) -> None:
    """Add command groups or commands to the ``lms`` command line.

    Args:
        app: the root Typer application; call ``app.add_typer`` or ``app.command`` on it.
    """


@hookspec
def lms_question_types() -> list[QuestionType]:
    """Contribute question types (single choice, numeric, ...).

    Returns:
        QuestionType objects, each with a unique ``name``, a pydantic ``spec_model`` for course YAML and a
        ``grade`` function. A later plugin may replace a built-in type by using the same name.
    """


@hookspec
def lms_workday_calendars(
    config: CalendarConfig, notices: dict[str, dict[int, YearSchedule]], provisional_through: int
) -> dict[str, WorkdayCalendar]:
    """Contribute working-day calendars by country or company code (the core's ``CN`` is the fallback).

    Args:
        config: the ``calendar`` section of the configuration (country, closures, typed-in official years).
        notices: imported holiday notices by calendar code and year (``lms calendar import-notice``).
        provisional_through: the last year planning needs; a calendar may estimate the years after its official
            data up to it, and says so through an optional ``provisional_years()`` method.

    Returns:
        A mapping from calendar code to a calendar object with ``code``, ``covered_years()`` and
        ``is_working_day(day)``; a plugin's calendar replaces the core's of the same code.
    """


@hookspec
def lms_document_templates() -> dict[str, Path]:
    """Contribute document templates (certificates, sign-in sheets, papers, evidence packs). A template named like a
    packaged one (``certificate``) replaces it: ``lms certs issue`` renders with it.

    Returns:
        A mapping from template name to the folder holding ``template.html.j2``, ``theme.css`` and
        ``fields.yaml``.
    """


@hookspec(firstresult=True)
def lms_render_document(kind: str, context: Any) -> bytes | None:
    """Render a document to PDF for the core, which never imports a renderer itself (first plugin that answers wins).

    Args:
        kind: which document: ``quiz_paper`` (trainees' papers from ``lms.assessment.papers.QuizPapers``) or
            ``quiz_paper_key`` (the trainer's key from ``lms.assessment.papers.AnswerKey``), ``training_plan``
            (``lms.documents.plan_models.PlanDocument``), ``course_syllabus``
            (``lms.documents.plan_models.SyllabusDocument``),
            ``session_report`` (``lms.documents.session_reports.ReportDocument``); plugins add more kinds.
        context: the plain data the document prints (dataclasses or dicts, never database rows).

    Returns:
        The PDF bytes, or None when this plugin does not render ``kind``.

    Raises:
        LmsError: the document cannot be made (no usable font, a broken template).
    """


@hookspec
def lms_course_library() -> list[Path]:
    """Name folders or files of course YAML shipped by a plugin (used by ``lms demo``).

    Returns:
        Paths to course YAML files or folders holding them.
    """


@hookspec(firstresult=True)
def lms_import_courses(session: Session, paths: list[Path], pm: pluggy.PluginManager) -> list[CourseVersion]:
    """Validate and import course YAML files into the database (first plugin that answers wins).

    Args:
        session: the open database session; the caller commits.
        paths: course YAML files or folders.
        pm: the calling plugin manager (question types and import events come from it).

    Returns:
        The course versions now current for each course, new or unchanged.

    Raises:
        LmsError: naming file, line and field when any file is invalid; nothing is written then.
    """


@hookspec
def lms_doctor_checks() -> list[Check]:
    """Contribute health checks to ``lms doctor`` (fonts, external tools, ...).

    Returns:
        Check objects; each runs on its own and says how to fix what it finds.
    """


# --- event hooks ----------------------------------------------------------------------------------


@hookspec
def lms_course_imported(session: Session, course_version: CourseVersion, created: bool) -> None:
    """Called after a course file was imported, before the caller commits.

    Args:
        session: the open database session.
        course_version: the course version now current.
        created: True when the import made a new version, False when the content was unchanged.
    """


@hookspec
def lms_attempt_graded(session: Session, attempt: Attempt, pm: pluggy.PluginManager) -> None:
    """Called after an attempt was graded (first grading or regrade), before the caller commits. The core's own
    handler (``lms.plugins.builtin``) issues the certificate a pass earns (row, serial, signed code).

    Args:
        session: the open database session.
        attempt: the graded attempt; ``attempt.passed`` says whether a certificate is due.
        pm: the plugin manager, for the hooks a handler fires in turn (a certificate issue fires
            ``lms_certificate_issued``).
    """


@hookspec
def lms_certificate_issued(session: Session, certificate: Certificate) -> None:
    """Called after a certificate row was created (new issue or re-issue), before the caller commits. The core's
    own handler (``lms.plugins.builtin``) renews the holder's skill records from it.

    Args:
        session: the open database session.
        certificate: the new certificate; skill records hang off it.
    """


@hookspec
def lms_session_changed(session: Session, training_session: TrainingSession, change: str) -> None:
    """Called after a training session was created, moved, confirmed, held or cancelled.

    Args:
        session: the open database session.
        training_session: the session as it is now.
        change: one of ``created``, ``moved``, ``confirmed``, ``held``, ``cancelled``, ``edited``.
    """


@hookspec
def lms_milestone_changed(session: Session, milestone: Milestone, before: Any) -> None:
    """Called after a project milestone date changed (acceptance moving moves obligation windows).

    Args:
        session: the open database session.
        milestone: the milestone as it is now.
        before: the previous actual date, or None.
    """
