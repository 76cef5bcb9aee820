"""``lms schedule ...``: conflicts, auto-scheduling and calendar files."""

from __future__ import annotations

import typer

from lms.calendars.dates import working_today
from lms.calendars.workdays import get_calendar
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_rows, parse_date, runtime
from lms.i18n import _
from lms.scheduling.conflicts import find_conflicts, kind_label


def register_schedule_commands(app: typer.Typer) -> None:
    schedule = typer.Typer(help=_("Sessions: conflicts, auto-scheduling, calendar files."), no_args_is_help=True)

    @schedule.command("conflicts", help=_("Double bookings, capacity, skills, non-working days, windows, trainer mix."))
    def conflicts(
        ctx: typer.Context,
        as_of: str | None = typer.Option(None, "--as-of", help=_("only sessions from this date on (YYYY-MM-DD)")),
        include_past: bool = typer.Option(False, "--all", help=_("include sessions that have ended")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        rt = runtime(ctx)
        today = parse_date(as_of, "--as-of") if as_of else working_today()
        with rt.session() as session:
            found = find_conflicts(session, get_calendar(pm=rt.pm, session=session), None if include_past else today)
        rows = [
            conflict.as_dict() | {"label": kind_label(conflict.kind), "codes": ", ".join(conflict.sessions)}
            for conflict in found
        ]
        if fmt == OutputFormat.text and not rows:
            emit(_("no conflicts"))
            return
        emit_rows(
            fmt, [_("Day"), _("Conflict"), _("Sessions"), _("Details")], ["day", "label", "codes", "message"], rows
        )

    from lms.cli.autoschedule import register_autoschedule_commands
    from lms.cli.ical import register_ical_commands

    register_autoschedule_commands(schedule)
    register_ical_commands(schedule)
    app.add_typer(schedule, name="schedule")
