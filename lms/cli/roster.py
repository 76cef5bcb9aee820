"""``lms roster import|add|remove|replace``: a buyer's staff list onto a session's roster (all of it or none), and
one person at a time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, runtime
from lms.i18n import _
from lms.scheduling.roster_columns import columns_help

if TYPE_CHECKING:
    from lms.scheduling.roster_changes import RosterChange


def import_help() -> str:
    """The command's help with the column table (Typer keeps lines apart that end in a blank line)."""
    intro = _(
        "Put everyone in a staff list on a session's roster; one bad row adds nobody. Excel (.xlsx, .xls), CSV "
        "(UTF-8, UTF-8 with BOM or GBK) or Excel's Unicode text (UTF-16, tab-separated); at most 20 MB. The first "
        "row names the columns, in Chinese or English:"
    )
    return intro + "\n\n" + "\n\n".join(columns_help().splitlines())


def register_roster_commands(app: typer.Typer) -> None:
    roster = typer.Typer(help=_("Session rosters from buyers' staff lists."), no_args_is_help=True)

    @roster.command("import", help=import_help())
    def import_(
        ctx: typer.Context,
        session_code: str = typer.Argument(..., help=_("the session's code")),
        path: Path = typer.Argument(..., help=_("the staff list (.xlsx, .csv or Unicode text)")),
        organisation: str | None = typer.Option(
            None, "--organisation", help=_("organisation of new people (default: the buyer of the session's project)")
        ),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
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
                    "unstored_columns": result.unstored_columns,
                    "name_differences": [
                        {"line": line, "person": code, "on_record": recorded, "in_file": written}
                        for line, code, recorded, written in result.name_differences
                    ],
                }
            )
            return
        for line in result.summary():
            emit(line)

    @roster.command("add", help=_("Put one person (code or ID number) on a session's roster."))
    def add(
        ctx: typer.Context,
        session_code: str = typer.Argument(..., help=_("the session's code")),
        person: str = typer.Argument(..., help=_("the person's code or ID number")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.scheduling.roster_changes import add_person

        with runtime(ctx).session() as session:
            emit_change(add_person(session, session_code=session_code, person=person), fmt)

    @roster.command(
        "remove",
        help=_("Take one person off a roster; someone with attendance or attempts needs --force --reason."),
    )
    def remove(
        ctx: typer.Context,
        session_code: str = typer.Argument(..., help=_("the session's code")),
        person: str = typer.Argument(..., help=_("the person's code or ID number")),
        force: bool = typer.Option(False, "--force", help=_("remove even with attendance or attempts (audited)")),
        reason: str | None = typer.Option(None, "--reason", help=_("why, when forced")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.scheduling.roster_changes import remove_person

        with runtime(ctx).session() as session:
            change = remove_person(
                session, session_code=session_code, person=person, force_reason=forced(force, reason)
            )
            emit_change(change, fmt)

    @roster.command("replace", help=_("Give one person's place on a roster to another."))
    def replace(
        ctx: typer.Context,
        session_code: str = typer.Argument(..., help=_("the session's code")),
        person: str = typer.Argument(..., help=_("who leaves: code or ID number")),
        replacement: str = typer.Argument(..., help=_("who takes the place: code or ID number")),
        force: bool = typer.Option(False, "--force", help=_("replace even with attendance or attempts (audited)")),
        reason: str | None = typer.Option(None, "--reason", help=_("why, when forced")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.scheduling.roster_changes import replace_person

        with runtime(ctx).session() as session:
            change = replace_person(
                session,
                session_code=session_code,
                person=person,
                replacement=replacement,
                force_reason=forced(force, reason),
            )
            emit_change(change, fmt)

    @roster.command("codes", help=_("New personal quiz codes for a session's trainees (all, or those named)."))
    def codes(
        ctx: typer.Context,
        session_code: str = typer.Argument(..., help=_("the session's code")),
        people: list[str] = typer.Argument(None, help=_("person codes (default: the whole roster)")),
        public_url: str | None = typer.Option(
            None, "--public-url", help=_("the address of lms web (else web.public_url)")
        ),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """New personal quiz codes for a session's trainees (all, or those named); their earlier codes stop working."""
        from lms.config import public_url as configured_url
        from lms.documents.signin_sheets import access_slips
        from lms.models.lookup import person_by_code, session_by_code

        url = configured_url(public_url)
        with runtime(ctx).session() as session:
            training = session_by_code(session, session_code, field="session")
            person_ids = [person_by_code(session, code, field="person").id or 0 for code in people] if people else None
            slips = access_slips(session, session_id=training.id or 0, public_url=url, person_ids=person_ids)
        rows = [{"person": s.person_code, "name": s.name, "code": s.code, "url": s.url} for s in slips]
        headers = [_("Person"), _("Person's name"), _("Code"), _("Address")]
        emit_rows(fmt, headers, ["person", "name", "code", "url"], rows)

    app.add_typer(roster, name="roster")


def forced(force: bool, reason: str | None) -> str | None:
    """The reason of a forced change; --force without --reason is refused, --reason alone forces nothing."""
    from lms.errors import LmsError

    if force and not (reason or "").strip():
        raise LmsError(_("--force needs --reason TEXT: the audit log keeps why"), field="--reason")
    return reason if force else None


def emit_change(change: RosterChange, fmt: OutputFormat) -> None:
    if fmt == OutputFormat.json:
        emit_json(
            {
                "session": change.session_code,
                "added": change.added,
                "removed": change.removed,
                "roster_size": change.roster_size,
                "capacity": change.capacity,
                "forced_reason": change.forced_reason,
            }
        )
        return
    for line in change.summary():
        emit(line)
