"""``lms calendar import-notice``: load the State Council's holiday notice as published."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, format_table, runtime
from lms.files.limits import HOLIDAY_NOTICES, over_limit
from lms.files.textfiles import decode_utf8, read_text_file
from lms.i18n import _
from lms.projects.periods import period_name
from lms.scheduling.holiday_notices import NoticeImport, import_notice


def read_notice(source: str) -> tuple[str, str]:
    """The notice text from a file or ``-`` (standard input), refused before reading when it is too large."""
    if source != "-":
        path = Path(source)
        return read_text_file(path, HOLIDAY_NOTICES), str(path)
    raw = sys.stdin.buffer.read(HOLIDAY_NOTICES.max_bytes + 1)
    stdin = Path("<stdin>")
    if len(raw) > HOLIDAY_NOTICES.max_bytes:
        raise over_limit(stdin, len(raw), HOLIDAY_NOTICES)
    return decode_utf8(raw, stdin), str(stdin)


def emit_changes(result: NoticeImport) -> None:
    schedule = result.schedule
    if result.stored:
        emit(
            _("{year} is now official: {off} days off, {working} make-up working days").format(
                year=schedule.year, off=len(schedule.days_off), working=len(schedule.working_days)
            )
        )
    else:
        emit(
            _("dry run, nothing stored: {year}, {off} days off, {working} make-up working days").format(
                year=schedule.year, off=len(schedule.days_off), working=len(schedule.working_days)
            )
        )
    if result.sessions_on_days_off:
        emit(_("Sessions on a day off:"))
        rows = [
            [found.code, found.status, ", ".join(day.isoformat() for day in found.days)]
            for found in result.sessions_on_days_off
        ]
        emit(format_table([_("Session"), _("Status"), _("Days off")], rows))
    if result.moved_windows:
        emit(_("Obligation windows that moved:"))
        rows = [
            [moved.project, moved.obligation, period_name(moved.period), _window(moved.before), _window(moved.after)]
            for moved in result.moved_windows
        ]
        emit(format_table([_("Project"), _("Obligation"), _("Period"), _("Before"), _("After")], rows))
    if not result.sessions_on_days_off and not result.moved_windows:
        emit(_("no session is on a day off and no obligation window moved"))


def _window(window: tuple[object, object] | None) -> str:
    return f"{window[0]}–{window[1]}" if window else "-"


def register_calendar_commands(calendar_app: typer.Typer) -> None:
    @calendar_app.command(
        "import-notice",
        help=_(
            "Load the State Council's holiday notice for a year as published (FILE, or - for standard input); "
            "the year becomes official. Lists sessions now on a day off and obligation windows that moved."
        ),
    )
    def import_notice_command(
        ctx: typer.Context,
        source: str = typer.Argument(..., metavar="FILE|-"),
        year: int | None = typer.Option(None, "--year", help=_("the notice's year, when the text does not say it")),
        dry_run: bool = typer.Option(False, "--dry-run", help=_("read and check only; store nothing")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        rt = runtime(ctx)
        text, name = read_notice(source)
        with rt.session() as session:
            result = import_notice(text, session=session, pm=rt.pm, year=year, source=name, dry_run=dry_run)
        if fmt == OutputFormat.json:
            emit_json(result.schedule.as_dict() if dry_run else result.as_dict())
        else:
            emit_changes(result)
