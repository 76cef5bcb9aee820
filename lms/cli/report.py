"""``lms report ...``: the compliance report of a project (text, JSON; the PDF evidence pack through the documents
plugin) and scanned sign-in sheets kept as evidence."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from lms.calendars.dates import working_today
from lms.calendars.workdays import get_calendar
from lms.cli.plans import register_plan_commands
from lms.cli.support import (
    FORMAT_OPTION,
    OutputFormat,
    emit,
    emit_json,
    format_table,
    parse_date,
    runtime,
    write_document,
)
from lms.documents.evidence_pack import evidence_pack
from lms.documents.signin_sheets import signin_sheet
from lms.evidence.compliance import project_compliance, to_json
from lms.evidence.compliance_text import compliance_text
from lms.evidence.portfolio import PortfolioGrid, grid_table
from lms.evidence.signin_scans import attach_signin_scan
from lms.files.output import checked_output_file
from lms.files.storage import files_root
from lms.i18n import _
from lms.scheduling.lifecycle import settle_all


def register_report_commands(app: typer.Typer) -> None:
    """Add the ``report`` group to the root command line."""
    report = typer.Typer(help=_("Reports for project managers: compliance evidence."), no_args_is_help=True)

    @report.command(
        "compliance", help=_("Every obligation of a project: status, the evidence behind it, what is missing.")
    )
    def compliance(
        ctx: typer.Context,
        project: str = typer.Option(..., "--project", help=_("project code")),
        as_of: str | None = typer.Option(None, "--as-of", help=_("judge as of this date (YYYY-MM-DD)")),
        output: Path | None = typer.Option(None, "-o", "--output", help=_("write the evidence pack as a PDF")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Every obligation of a project: status, the evidence behind it, what is missing."""
        rt = runtime(ctx)
        if output is not None:
            checked_output_file(output)
        today = parse_date(as_of, "--as-of") if as_of else working_today()
        with rt.session() as session:
            settle_all(session, working_today(), rt.pm)  # sessions whose attendance shows them held read "held"
            calendar = get_calendar(pm=rt.pm, session=session)  # with the imported holiday notices
        if output is not None:
            with rt.session() as session:
                pack = evidence_pack(
                    session, project, today=today, calendar=calendar, files_root=files_root(rt.engine())
                )
            write_document(rt.pm, "evidence_pack", pack, output)
            emit(_("wrote {file}").format(file=output))
            return
        with rt.session() as session:
            found = project_compliance(session, project, today, calendar)
        if fmt == OutputFormat.json:
            emit_json(to_json(found))
            return
        for line in compliance_text(found):
            emit(line)

    @report.command(
        "signin", help=_("Print a session's sign-in sheet: one page per day, the roster, signature and time.")
    )
    def signin(
        ctx: typer.Context,
        session_ref: str = typer.Option(..., "--session", help=_("the session code (or id)")),
        output: Path = typer.Option(..., "-o", "--output", help=_("the PDF to write")),
        access_codes: bool = typer.Option(
            False, "--access-codes", help=_("add a page of slips: each trainee's own quiz code and QR (new codes)")
        ),
        public_url: str | None = typer.Option(
            None, "--public-url", help=_("the address of lms web (else web.public_url)")
        ),
    ) -> None:
        """Print a session's sign-in sheet: one page per day, the roster, signature and time."""
        from lms.config import public_url as configured_url

        checked_output_file(output)
        rt = runtime(ctx)
        url = configured_url(public_url) if access_codes else None
        # New codes are committed only once the PDF is written: a failed render leaves the slips printed before valid.
        with rt.session() as session:
            sheet = signin_sheet(session, session_ref, public_url=url)
            write_document(rt.pm, "signin_sheet", sheet, output)
        emit(_("wrote {file}").format(file=output))

    @report.command("attach-signin", help=_("Keep a scanned, signed sign-in sheet of one session day as evidence."))
    def attach_signin(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help=_("the scan: PDF, PNG, JPEG or TIFF")),
        session_code: str = typer.Option(..., "--session", help=_("the session code (or id)")),
        day: str = typer.Option(..., "--day", help=_("the session day the sheet was signed on (YYYY-MM-DD)")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Keep a scanned, signed sign-in sheet of one session day as evidence."""
        from lms.access.audit import current_actor
        from lms.files.storage import files_root

        rt = runtime(ctx)
        signed_on = parse_date(day, "--day")
        with rt.session() as session:
            attachment = attach_signin_scan(
                session, session_code, file, signed_on, files_root(rt.engine()), current_actor()
            )
            shown = {
                "id": attachment.id,
                "session": session_code,
                "day": attachment.session_day,
                "file": attachment.original_name,
                "media_type": attachment.media_type,
                "sha256": attachment.sha256,
                "size": attachment.size,
            }
        if fmt == OutputFormat.json:
            emit_json(shown)
            return
        emit(
            _("kept {file} as the sign-in sheet of {session} on {day} (sha256 {digest})").format(
                file=shown["file"], session=session_code, day=signed_on, digest=str(shown["sha256"])[:12]
            )
        )

    register_plan_commands(report)
    app.add_typer(report, name="report")


def emit_portfolio_grid(fmt: OutputFormat, grid: PortfolioGrid) -> None:
    """``lms obligations status --grid``: one row per project and obligation, the periods as columns."""
    if fmt == OutputFormat.json:
        emit_json(asdict(grid))
        return
    headers, rows = grid_table(grid)
    emit(format_table(headers, rows))
