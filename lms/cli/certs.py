"""``lms certs verify | revoke | reissue | list | keys ...``: the certificate register, in the core. ``certs issue``
(rendering the PDFs) comes from the certificates plugin, which adds it to this group."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from lms.calendars.dates import working_today
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, parse_date, runtime
from lms.errors import LmsError
from lms.i18n import _


def _day(value: str | None, field_name: str) -> dt.date:
    return parse_date(value, field_name) if value else working_today()


def register_certificate_commands(app: typer.Typer) -> None:
    """Add the ``certs`` group (verify, revoke, reissue, list, keys) to the root command line."""
    certs = typer.Typer(help=_("Certificates: issue, verify, revoke, re-issue."), no_args_is_help=True)

    @certs.command(
        "verify",
        help=_("Check a certificate PDF, serial or verification code; exit 0 only when it is valid."),
    )
    def verify_(
        ctx: typer.Context,
        target: str = typer.Argument(..., help=_("a PDF file, a serial (PX2026-00001) or the QR code's text")),
        on: str | None = typer.Option(None, "--on", help=_("check expiry as of this date (default: today)")),
        public_key: Path | None = typer.Option(
            None,
            "--public-key",
            help=_("check offline against this keyring or public key (PEM): the code's signature, and a PDF's text"),
        ),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Check a certificate PDF, serial or verification code; exit 0 only when it is valid."""
        from lms.credentials.offline_check import verify_offline
        from lms.credentials.verification import result_record, status_label, verify
        from lms.files.storage import files_root

        day = _day(on, "--on")
        if public_key is not None:
            try:
                pem = public_key.read_text(encoding="ascii")
            except (OSError, UnicodeDecodeError):
                raise LmsError(_("cannot read the public key file"), file=public_key) from None
            try:
                result = verify_offline(target, pem, on=day)
            except LmsError as error:
                raise LmsError(error.message, file=public_key) from None
            record = result_record(None, result)
        else:
            rt = runtime(ctx)
            with rt.session() as session:
                result = verify(session, target, files_root(rt.engine()), on=day)
                record = result_record(session, result)
        if fmt == OutputFormat.json:
            emit_json(record)
        else:
            emit(f"{status_label(result.status)}: {result.reason}")
            if result.pdf_signature:
                emit(result.pdf_signature)
        if not result.ok:
            raise typer.Exit(1)

    @certs.command("revoke", help=_("Revoke a valid certificate, saying why; its skill records end."))
    def revoke_(
        ctx: typer.Context,
        serial: str = typer.Argument(..., help=_("the certificate's serial")),
        reason: str = typer.Option(..., "--reason", help=_("why, as it will be shown to whoever verifies it")),
        on: str | None = typer.Option(None, "--on", help=_("revocation date (default: today)")),
    ) -> None:
        """Revoke a valid certificate, saying why; its skill records end."""
        from lms.credentials.certificates import revoke

        with runtime(ctx).session() as session:
            certificate = revoke(session, serial, reason, _day(on, "--on"))
            line = _("{serial} revoked on {date}: {reason}").format(
                serial=certificate.serial,
                date=certificate.revoked_on.isoformat() if certificate.revoked_on else "",
                reason=certificate.revoked_reason,
            )
        emit(line)

    @certs.command(
        "reissue", help=_("Re-issue a certificate after a correction: a new serial, the old one superseded.")
    )
    def reissue_(
        ctx: typer.Context,
        serial: str = typer.Argument(..., help=_("the certificate's serial")),
        on: str | None = typer.Option(None, "--on", help=_("re-issue date (default: today)")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Re-issue a certificate after a correction: a new serial, the old one superseded."""
        from lms.credentials.certificates import reissue, reissue_record

        rt = runtime(ctx)
        with rt.session() as session:
            certificate = reissue(session, serial, _day(on, "--on"), rt.pm)
            record = reissue_record(session, certificate)
        if fmt == OutputFormat.json:
            emit_json(record)
            return
        emit(
            _("{old} re-issued as {new}, marked 补发/更正 (reissue/correction)").format(
                old=record["supersedes"], new=record["serial"]
            )
        )
        emit(_("holder: {holder}").format(holder=record["holder_name"]))
        if record["previous_holder_name"] != record["holder_name"]:
            emit(_("corrected from: {previous}").format(previous=record["previous_holder_name"]))
        emit(_("ID number as printed: {value}").format(value=record["id_number"] or "—"))
        emit(_("render its PDF with: lms certs issue"))

    @certs.command("list", help=_("Certificates with their holder, course, dates and status."))
    def list_(
        ctx: typer.Context,
        person: str | None = typer.Option(None, "--person", help=_("only this person's (person code)")),
        session_code: str | None = typer.Option(None, "--session", help=_("only this training session's (code)")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Certificates with their holder, course, dates and status."""
        from lms.credentials.verification import certificate_rows, status_label
        from lms.models.lookup import session_by_code

        with runtime(ctx).session() as session:
            training = session_by_code(session, session_code) if session_code else None
            rows = certificate_rows(session, person_code=person, training_session=training)
        if fmt == OutputFormat.text:
            rows = [{**row, "status": status_label(row["status"])} for row in rows]
        emit_rows(
            fmt,
            [_("Serial"), _("Status"), _("Holder"), _("Person"), _("Course"), _("Session"), _("Issued"), _("Expires")],
            ["serial", "status", "holder_name", "person", "course", "session", "issued_on", "expires_on"],
            rows,
        )

    keys = typer.Typer(help=_("The issuer's signing keys."), no_args_is_help=True)

    @keys.command("list", help=_("Every issuer key this database knows; retired keys still verify old codes."))
    def keys_list(ctx: typer.Context, fmt: OutputFormat = FORMAT_OPTION) -> None:
        """Every issuer key this database knows; retired keys still verify old codes."""
        from lms.credentials.signing import issuer_keys

        with runtime(ctx).session() as session:
            rows = [
                {"key_id": key.key_id, "created_at": key.created_at, "retired_at": key.retired_at}
                for key in issuer_keys(session)
            ]
        emit_rows(fmt, [_("Key"), _("Created"), _("Retired")], ["key_id", "created_at", "retired_at"], rows)

    @keys.command("rotate", help=_("Make a new signing key and retire the current one; old codes still verify."))
    def keys_rotate(ctx: typer.Context) -> None:
        """Make a new signing key and retire the current one; old codes still verify."""
        from lms.credentials.signing import rotate_key

        with runtime(ctx).session() as session:
            retired, key = rotate_key(session)
        emit(
            _("new issuer key {key_id} in {path}; retired: {retired}").format(
                key_id=key.key_id, path=key.path, retired=", ".join(retired) or "—"
            )
        )

    @keys.command("export", help=_("Print the public keyring: every key ever used, with its validity period (PEM)."))
    def keys_export(
        ctx: typer.Context,
        output: Path | None = typer.Option(None, "-o", "--output", help=_("write the keyring to this file")),
    ) -> None:
        """Print the public keyring: every key ever used, with its validity period (PEM)."""
        from lms.credentials.keyring import keyring_text
        from lms.credentials.signing import issuer_key
        from lms.files.storage import write_atomically

        with runtime(ctx).session() as session:
            issuer_key(session)  # a database that never issued still gets its first key
            text = keyring_text(session)
        if output is None:
            emit(text.rstrip("\n"))
        else:
            write_atomically(output, text.encode("ascii"))
            emit(_("wrote {file}").format(file=output))

    certs.add_typer(keys, name="keys")
    app.add_typer(certs, name="certs", help=_("Certificates: issue, verify, revoke, re-issue."))
