"""``lms dispatch add|list|cancel``: engineers sent to a project's site, only when qualified (持证上岗)."""

from __future__ import annotations

import typer

from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_rows, parse_date, runtime
from lms.i18n import _


def register_dispatch_commands(app: typer.Typer) -> None:
    dispatch = typer.Typer(
        help=_("Engineers sent to a project's site: only with a valid skill for all of the period."),
        no_args_is_help=True,
    )

    @dispatch.command("add", help=_("Send an engineer to a project's site for a period."))
    def add(
        ctx: typer.Context,
        engineer: str = typer.Argument(..., help=_("the engineer's code")),
        project: str = typer.Option(..., "--project", help=_("project code")),
        first: str = typer.Option(..., "--from", help=_("first day on site (YYYY-MM-DD)")),
        last: str = typer.Option(..., "--to", help=_("last day on site (YYYY-MM-DD)")),
        note: str | None = typer.Option(None, "--note", help=_("what the engineer is sent for")),
    ) -> None:
        from lms.credentials.dispatch import add_dispatch

        with runtime(ctx).session() as session:
            line = add_dispatch(
                session=session,
                person_code=engineer,
                project_code=project,
                first=parse_date(first, "--from"),
                last=parse_date(last, "--to"),
                note=note,
            )
            session.commit()
        emit(
            _("dispatch {id}: {name} ({code}) to {project} from {first} to {last}").format(
                id=line.id,
                name=line.name,
                code=line.person,
                project=line.project,
                first=line.first_day,
                last=line.last_day,
            )
        )

    @dispatch.command("list", help=_("Engineers sent to sites, by first day."))
    def list_(
        ctx: typer.Context,
        project: str | None = typer.Option(None, "--project", help=_("only this project")),
        person: str | None = typer.Option(None, "--person", help=_("only this engineer")),
        cancelled: bool = typer.Option(False, "--cancelled", help=_("include cancelled dispatches")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.credentials.dispatch import list_dispatches

        with runtime(ctx).session() as session:
            found = list_dispatches(session=session, project_code=project, person_code=person, cancelled=cancelled)
        if fmt == OutputFormat.text and not found:
            emit(_("no dispatches"))
            return
        rows = [line.as_dict() | {"state": _("cancelled") if line.cancelled else ""} for line in found]
        headers = [_("No."), _("Code"), _("Person's name"), _("Project"), _("From"), _("To"), _("Note"), _("State")]
        emit_rows(fmt, headers, ["id", "person", "name", "project", "first_day", "last_day", "note", "state"], rows)

    @dispatch.command("cancel", help=_("Cancel a dispatch (it stays on record)."))
    def cancel(ctx: typer.Context, dispatch_id: int = typer.Argument(..., metavar="ID")) -> None:
        from lms.credentials.dispatch import cancel_dispatch

        with runtime(ctx).session() as session:
            line = cancel_dispatch(session=session, dispatch_id=dispatch_id)
            session.commit()
        emit(_("dispatch {id} cancelled").format(id=line.id))

    app.add_typer(dispatch, name="dispatch")
