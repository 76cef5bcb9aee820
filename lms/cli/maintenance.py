"""``lms backup``, ``lms restore`` and ``lms audit ...``: keeping the database safe and its history honest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, runtime
from lms.config import database_url
from lms.errors import LmsError
from lms.i18n import _


def shown(url: str | None) -> str:
    from sqlalchemy.engine import make_url

    return make_url(database_url(url)).render_as_string(hide_password=True)


def register_maintenance_commands(app: typer.Typer) -> None:
    @app.command("backup", help=_("Copy the whole database to FILE (SQLite: a database file; PostgreSQL: pg_dump)."))
    def backup_(ctx: typer.Context, file: Path = typer.Argument(..., help=_("the backup file to write"))) -> None:
        """Copy the whole database to FILE (SQLite: a database file; PostgreSQL: pg_dump)."""
        from lms.maintenance.backup import backup

        rt = runtime(ctx)
        url = database_url(rt.db_url)
        info = backup(url, file)
        emit(
            _("backup of {url} written to {file} ({size} bytes, schema {revision})").format(
                url=shown(url), file=info.path, size=info.size, revision=info.revision
            )
        )

    @app.command("restore", help=_("Replace the database with a backup made by lms backup."))
    def restore_(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help=_("a file written by lms backup")),
        yes: bool = typer.Option(False, "--yes", help=_("replace a database that already has data")),
    ) -> None:
        """Replace the database with a backup made by lms backup."""
        from lms.db import open_database
        from lms.maintenance.backup import restore

        rt = runtime(ctx)
        url = database_url(rt.db_url)
        info = restore(url, file, overwrite=yes)
        open_database(url).dispose()  # an older backup's schema is brought up to date
        emit(
            _("{url} restored from {file} (schema {revision})").format(
                url=shown(url), file=file, revision=info.revision
            )
        )

    audit_app = typer.Typer(help=_("The audit log: check its hash chain, list its entries."), no_args_is_help=True)

    @audit_app.command("verify", help=_("Recompute the audit log's hash chain; exit 1 naming the first broken entry."))
    def verify_(
        ctx: typer.Context,
        head: str | None = typer.Option(
            None, "--head", help=_("a head hash noted earlier; the log must still contain it (nothing cut off)")
        ),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Recompute the audit log's hash chain; exit 1 naming the first broken entry."""
        from lms.access.audit import verify

        with runtime(ctx).session() as session:
            report = verify(session, known_head=head.strip().lower() if head else None)
        if fmt == OutputFormat.json:
            emit_json(
                {
                    "intact": report.intact,
                    "checked": report.checked,
                    "head": report.head,
                    "broken_id": report.broken_id,
                    "problem": report.problem,
                    "reason": report.reason,
                }
            )
            if not report.intact:
                raise typer.Exit(1)
            return
        if not report.intact:
            raise LmsError(report.reason or "")
        emit(_("audit log intact: {count} entries, head {head}").format(count=report.checked, head=report.head))

    @audit_app.command("log", help=_("Audit entries, newest first: who changed what, before and after."))
    def log_(
        ctx: typer.Context,
        entity: str | None = typer.Option(
            None,
            "--entity",
            help=_("only this kind of entity (certificate), or one of them (certificate:PX2026-00001)"),
        ),
        limit: int = typer.Option(50, "--limit", min=1, help=_("at most this many entries")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Audit entries, newest first: who changed what, before and after."""
        from lms.access.audit import entries

        with runtime(ctx).session() as session:
            rows = [entry_row(entry) for entry in entries(session, entity=entity, limit=limit)]
        if fmt == OutputFormat.text and not rows:
            emit(_("no audit entries"))
            return
        if fmt == OutputFormat.text:
            for row in rows:
                row["at"] = row["at"][:19].replace("T", " ")
                row["change"] = change_text(row["before"], row["after"])
        emit_rows(
            fmt,
            [_("Entry"), _("Time (UTC)"), _("Who"), _("Action"), _("Entity"), _("Entity key"), _("Change")],
            ["id", "at", "actor", "action", "entity", "key", "change"],
            rows,
        )

    app.add_typer(audit_app, name="audit")


def entry_row(entry: Any) -> dict[str, Any]:
    from lms.assessment.reexams import utc

    return {
        "id": entry.id,
        "at": utc(entry.at).isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "key": entry.entity_key,
        "before": entry.before,
        "after": entry.after,
        "hash": entry.entry_hash,
    }


def change_text(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """``field: old → new`` for each field that changed, short enough for one table cell."""
    before, after = before or {}, after or {}
    parts = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None and new is not None:
            parts.append(f"{name}={new}")
        elif old != new:
            parts.append(f"{name}: {old} → {'' if new is None else new}")
    text = "; ".join(parts)
    return text if len(text) <= 80 else text[:79] + "…"
