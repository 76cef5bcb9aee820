"""``lms schedule export-ics`` and ``lms schedule import-busy``."""

from __future__ import annotations

from pathlib import Path

import typer

from lms.calendars.ical_events import IcsMethod
from lms.cli.support import emit, parse_date, runtime
from lms.errors import LmsError
from lms.files.output import checked_output_file
from lms.i18n import _


def register_ical_commands(schedule: typer.Typer) -> None:
    """Add the calendar-file commands to the ``schedule`` group."""

    @schedule.command("export-ics", help=_("Write sessions to an iCalendar (.ics) file for calendar programs."))
    def export_ics(
        ctx: typer.Context,
        output: Path = typer.Option(..., "-o", "--output", help=_("the .ics file to write")),
        trainer: str | None = typer.Option(None, "--trainer", help=_("sessions this trainer teaches (person code)")),
        project: str | None = typer.Option(None, "--project", help=_("sessions of this project (project code)")),
        all_: bool = typer.Option(False, "--all", help=_("every session")),
        method: IcsMethod = typer.Option(
            IcsMethod.publish,
            "--method",
            help=_("publish: a calendar to subscribe to; request: invitations to the trainers"),
        ),
    ) -> None:
        from lms.calendars.ical import export_ics as export
        from lms.calendars.ical_events import Selection
        from lms.calendars.workdays import get_calendar

        checked_output_file(output)
        chosen = [flag for flag, given in (("--trainer", trainer), ("--project", project), ("--all", all_)) if given]
        if len(chosen) != 1:
            raise LmsError(_("give exactly one of --trainer CODE, --project CODE or --all"))
        selection = Selection(trainer_code=trainer, project_code=project)
        with runtime(ctx).session() as session:
            workdays = get_calendar(pm=runtime(ctx).pm, session=session)
            result = export(session, selection=selection, output=output, method=method, workdays=workdays)
        for planned in result.files:
            if planned.method == "CANCEL":
                emit(
                    _("wrote {count} cancelled sessions to {file} (METHOD:CANCEL): send it too").format(
                        count=len(planned.sessions), file=planned.path
                    )
                )
            else:
                emit(
                    _("wrote {count} sessions to {file} (METHOD:{method})").format(
                        count=len(planned.sessions), file=planned.path, method=planned.method
                    )
                )
        if result.without_attendees:
            emit(
                _("no trainer with an e-mail address, so no attendee, for: {codes}").format(
                    codes=", ".join(result.without_attendees)
                )
            )

    @schedule.command(
        "import-busy",
        help=_(
            "Read a trainer's own calendar (.ics) and store the busy times auto-scheduling must avoid; "
            "importing the same file again replaces what it gave before."
        ),
    )
    def import_busy(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help=_("the trainer's calendar (.ics, UTF-8)")),
        trainer: str = typer.Option(..., "--trainer", help=_("the trainer's person code")),
        from_: str | None = typer.Option(None, "--from", help=_("first day to read (default: 30 days ago)")),
        to: str | None = typer.Option(None, "--to", help=_("last day to read (default: 400 days ahead)")),
    ) -> None:
        from lms.calendars.ical_busy import import_busy as import_

        first = parse_date(from_, "--from") if from_ else None
        last = parse_date(to, "--to") if to else None
        with runtime(ctx).session() as session:
            result = import_(session, path=file, trainer_code=trainer, first=first, last=last)
        emit(
            _(
                "{trainer}: {added} busy times from {first} to {last} stored ({replaced} from this file replaced)"
            ).format(
                trainer=result.trainer_code,
                added=result.added,
                first=result.first.isoformat(),
                last=result.last.isoformat(),
                replaced=result.replaced,
            )
        )
        if result.skipped_own_sessions:
            emit(
                _("{count} of our own training sessions in the file were not counted as busy time").format(
                    count=result.skipped_own_sessions
                )
            )
