"""``lms roster import``: a buyer's staff list (CSV) onto a session's roster, all of it or none."""

from __future__ import annotations

from pathlib import Path

import typer

from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, runtime
from lms.i18n import _


def register_roster_commands(app: typer.Typer) -> None:
    roster = typer.Typer(help=_("Session rosters from buyers' staff lists."), no_args_is_help=True)

    @roster.command(
        "import",
        help=_("Put everyone in a staff list (CSV, UTF-8 or GBK) on a session's roster; one bad row adds nobody."),
    )
    def import_(
        ctx: typer.Context,
        session_code: str = typer.Argument(..., help=_("the session's code")),
        path: Path = typer.Argument(..., help=_("the staff list (CSV)")),
        organisation: str | None = typer.Option(
            None, "--organisation", help=_("organisation of new people (default: the buyer of the session's project)")
        ),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Put everyone in a staff list (CSV, UTF-8 or GBK) on a session's roster; one bad row adds nobody."""
        from lms.scheduling.rosters import import_roster

        with runtime(ctx).session() as session:
            result = import_roster(session, session_code=session_code, path=path, organisation_code=organisation)
        if fmt == OutputFormat.json:
            emit_json(
                {
                    "session": result.session_code,
                    "encoding": result.encoding,
                    "created": result.created,
                    "matched": result.matched,
                    "added": result.added_to_roster,
                    "already_on_roster": result.already_on_roster,
                    "roster_size": result.roster_size,
                    "capacity": result.capacity,
                    "ignored_columns": result.ignored_columns,
                    "name_differences": [
                        {"line": line, "person": code, "on_record": recorded, "in_file": written}
                        for line, code, recorded, written in result.name_differences
                    ],
                }
            )
            return
        for line in result.summary():
            emit(line)

    app.add_typer(roster, name="roster")
