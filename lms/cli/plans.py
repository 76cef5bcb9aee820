"""``lms report plan | materials | materials-sent | session``: the training plan (versioned), the materials bundle
sent before a session and the record of sending it, and the session report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from lms.calendars.dates import working_today
from lms.calendars.workdays import get_calendar
from lms.cli.support import (
    FORMAT_OPTION,
    OutputFormat,
    emit,
    emit_json,
    emit_rows,
    parse_date,
    render_document,
    runtime,
)
from lms.documents.versions import IssuedVersion, VersionLine
from lms.errors import LmsError
from lms.files.output import checked_output_file, checked_output_folder
from lms.files.storage import files_root, write_atomically
from lms.i18n import _


class Channel(StrEnum):
    email = "email"
    post = "post"
    hand = "hand"


VERSION_KEYS = ("version", "created_at", "sha256", "inputs_sha256")


def version_rows(lines: list[VersionLine]) -> list[dict[str, object]]:
    return [
        {
            "version": line.version,
            "created_at": line.created_at.replace(microsecond=0),
            "sha256": line.sha256,
            "inputs_sha256": line.inputs_sha256,
        }
        for line in lines
    ]


def emit_versions(fmt: OutputFormat, lines: list[VersionLine]) -> None:
    rows = version_rows(lines)
    if fmt == OutputFormat.text:
        if not rows:
            emit(_("no version issued yet"))
            return
        for row in rows:
            row["sha256"] = str(row["sha256"])[:16]
            row["inputs_sha256"] = str(row["inputs_sha256"])[:16]
    emit_rows(fmt, [_("Version"), _("Made"), _("SHA-256"), _("Data SHA-256")], VERSION_KEYS, rows)


def written(output: Path, issued: IssuedVersion, what: str) -> str:
    if issued.new:
        state = _("new")
    else:
        state = _("unchanged")
    return _("wrote {file}: {what} version {version} ({state})").format(
        file=output, what=what, version=issued.version, state=state
    )


def pdf_output(output: Path | None) -> Path:
    """The ``-o`` file of a versioned document, checked before anything is rendered (``--versions`` needs none)."""
    if output is None:
        raise LmsError(_("give -o FILE.pdf (or --versions)"), field="-o")
    return checked_output_file(output)


def register_plan_commands(report: typer.Typer) -> None:
    """Add the plan, materials and session-report commands to the ``report`` group."""

    @report.command("plan", help=_("The training plan of a project (versioned): when, where, who, what, how."))
    def plan(
        ctx: typer.Context,
        project: str = typer.Option(..., "--project", help=_("project code")),
        output: Path | None = typer.Option(None, "-o", "--output", help=_("the PDF to write")),
        versions: bool = typer.Option(False, "--versions", help=_("list the versions issued so far")),
        version: int | None = typer.Option(None, "--version", help=_("write this earlier version")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """The training plan of a project (versioned): when, where, who, what, how."""
        from lms.documents.training_plans import issue_training_plan, plan_version, plan_versions

        rt = runtime(ctx)
        root = files_root(rt.engine())
        if versions:
            with rt.session() as session:
                emit_versions(fmt, plan_versions(session, project))
            return
        output = pdf_output(output)
        with rt.session() as session:
            if version is not None:
                issued = plan_version(session, project, version, files_root=root)
            else:
                issued = issue_training_plan(
                    session,
                    project,
                    today=working_today(),
                    calendar=get_calendar(pm=rt.pm, session=session),
                    files_root=root,
                    render=lambda document: render_document(rt.pm, "training_plan", document),
                )
            write_atomically(output, issued.content)  # in the transaction: a failed write records no version
        emit(written(output, issued, _("training plan")))

    @report.command("materials", help=_("Bundle a session's training materials into a folder with a manifest."))
    def materials(
        ctx: typer.Context,
        session_ref: str = typer.Option(..., "--session", help=_("the session code (or id)")),
        output: Path = typer.Option(..., "-o", "--output", help=_("the folder to write")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Bundle a session's training materials into a folder with a manifest."""
        from lms.documents.materials import MANIFEST, materials_bundle, write_bundle

        rt = runtime(ctx)
        checked_output_folder(output)
        with rt.session() as session:
            bundle = materials_bundle(
                session,
                session_ref,
                today=working_today(),
                calendar=get_calendar(pm=rt.pm, session=session),
                files_root=files_root(rt.engine()),
                render_plan=lambda document: render_document(rt.pm, "training_plan", document),
                render_syllabus=lambda document: render_document(rt.pm, "course_syllabus", document),
            )
            write_bundle(bundle, output)  # in the transaction: a failed write records no bundle version
        if fmt == OutputFormat.json:
            emit_json(
                {
                    "session": bundle.session,
                    "folder": str(output),
                    "version": bundle.version,
                    "manifest_sha256": bundle.manifest_sha256,
                    "files": [{"name": f.name, "kind": f.kind, "sha256": f.sha256} for f in bundle.files],
                }
            )
            return
        for item in bundle.files:
            emit(f"{item.sha256[:16]}  {item.name}")
        emit(
            _("wrote {count} files and {manifest} to {folder} (manifest SHA-256 {digest})").format(
                count=len(bundle.files), manifest=MANIFEST, folder=output, digest=bundle.manifest_sha256
            )
        )

    @report.command("materials-sent", help=_("Record that a session's training materials were sent to the buyer."))
    def materials_sent(
        ctx: typer.Context,
        session_ref: str = typer.Option(..., "--session", help=_("the session code (or id)")),
        to: str = typer.Option(..., "--to", help=_("who received them")),
        on: str | None = typer.Option(None, "--on", help=_("the day they were sent (YYYY-MM-DD; default today)")),
        channel: Channel = typer.Option(Channel.email, "--channel", help=_("email, post or hand")),
        bundle: Path | None = typer.Option(None, "--bundle", help=_("the bundle folder that was sent")),
        note: str | None = typer.Option(None, "--note", help=_("a note to keep with the record")),
    ) -> None:
        """Record that a session's training materials were sent to the buyer."""
        from lms.documents.materials import checked_manifest, record_dispatch
        from lms.models.lookup import session_by_id_or_code

        rt = runtime(ctx)
        sent_on = parse_date(on, "--on") if on else working_today()
        with rt.session() as session:
            training = session_by_id_or_code(session, session_ref)
            digest = checked_manifest(bundle, training.code) if bundle is not None else None
            record_dispatch(
                session,
                training.code,
                sent_to=to,
                sent_on=sent_on,
                channel=channel.value,
                bundle_sha256=digest,
                note=note,
            )
        shown = _("recorded: materials of {session} sent to {to} on {day} ({channel})").format(
            session=training.code, to=to.strip(), day=sent_on, channel=channel.value
        )
        emit(shown + (f" SHA-256 {digest}" if digest else ""))

    @report.command("session", help=_("The report of a session: attendance, results, feedback, observations."))
    def session_report(
        ctx: typer.Context,
        session_ref: str = typer.Option(..., "--session", help=_("the session code (or id)")),
        output: Path | None = typer.Option(None, "-o", "--output", help=_("the PDF to write")),
        notes: Path | None = typer.Option(None, "--notes", help=_("the trainer's observations (a UTF-8 text file)")),
        versions: bool = typer.Option(False, "--versions", help=_("list the versions issued so far")),
        version: int | None = typer.Option(None, "--version", help=_("write this earlier version")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """The report of a session: attendance, results, feedback, observations."""
        from lms.documents.session_reports import issue_session_report, report_version, report_versions
        from lms.files.limits import NOTES
        from lms.files.textfiles import decode_utf8, read_bytes

        rt = runtime(ctx)
        root = files_root(rt.engine())
        if versions:
            with rt.session() as session:
                emit_versions(fmt, report_versions(session, session_ref))
            return
        output = pdf_output(output)
        text = decode_utf8(read_bytes(notes, limit=NOTES), notes) if notes is not None else None
        with rt.session() as session:
            if version is not None:
                issued = report_version(session, session_ref, version, files_root=root)
            else:
                issued = issue_session_report(
                    session,
                    session_ref,
                    notes=text,
                    today=working_today(),
                    files_root=root,
                    render=lambda document: render_document(rt.pm, "session_report", document),
                )
            write_atomically(output, issued.content)  # in the transaction: a failed write records no version
        emit(written(output, issued, _("session report")))
