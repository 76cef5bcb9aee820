"""``lms certs issue``: render every certificate PDF not yet made, added to the core's ``certs`` group (verify,
revoke, re-issue, list and keys are the core's)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from lms.calendars.dates import working_today
from lms.cli.support import FORMAT_OPTION, OutputFormat, command_group, emit, emit_json, parse_date, runtime, warn
from lms.files.output import checked_output_folder
from lms.i18n import _
from lms.master_data.issuer import placeholder_fix


def register(app: typer.Typer) -> None:
    """Add ``issue`` to the core's ``certs`` group."""
    command_group(app, "certs").command(
        "issue", help=_("Issue certificates for passed attempts and render every PDF not yet made.")
    )(issue)


def issue(
    ctx: typer.Context,
    session_ref: str | None = typer.Option(None, "--session", help=_("only this session's certificates (id or code)")),
    jobs: int = typer.Option(0, "--jobs", "-j", help=_("worker processes (default: one per core)")),
    output: Path | None = typer.Option(None, "--output", "-o", help=_("also copy the PDFs into this folder")),
    issued_on: str | None = typer.Option(None, "--date", help=_("issue date for new certificates (default today)")),
    sign_pdf: bool = typer.Option(
        False, "--sign-pdf", help=_("also sign each PDF (PAdES, RSA key beside the issuer key; PDF readers show it)")
    ),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from certificates.batch import issue_certificates

    if output is not None:
        checked_output_folder(output)
    rt = runtime(ctx)
    day = parse_date(issued_on, "--date") if issued_on else working_today()
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=fmt == OutputFormat.json) as progress:
        task = progress.add_task(_("rendering certificates"), total=None)
        report = issue_certificates(
            rt.engine(),
            rt.pm,
            session_ref=session_ref,
            workers=workers,
            output_dir=output,
            issued_on=day,
            on_total=lambda total: progress.update(task, total=total),
            on_rendered=lambda _serial: progress.advance(task),
            sign_pdf=sign_pdf,
        )
    if fmt == OutputFormat.json:
        emit_json(
            {
                "created": report.created,
                "rendered": report.rendered,
                "refused": [{"serial": serial, "reason": reason} for serial, reason in report.refused],
                "not_certified": [refusal.__dict__ for refusal in report.not_certified],
            }
        )
    else:
        emit(
            _("{created} new certificates, {rendered} PDFs rendered").format(
                created=len(report.created), rendered=len(report.rendered)
            )
            + (f" → {output}" if output else "")
        )
        for serial, reason in report.refused:
            emit(f"{serial}: {reason}")
        for refusal in report.not_certified:
            emit(
                _("no certificate for {person} {name} ({session}): {reason}").format(
                    person=refusal.person_code, name=refusal.name, session=refusal.session, reason=refusal.reason
                )
            )
    if report.placeholder_issuer:
        warn(_("warning: the certificates carry the example vendor name; {fix}").format(fix=placeholder_fix()))
    if report.refused:
        raise typer.Exit(1)
