"""``lms master-data export | import``: organisations, people and rooms as one YAML or CSV file that round-trips."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from lms.cli.support import emit, runtime
from lms.i18n import _


class FileFormat(StrEnum):
    yaml = "yaml"
    csv = "csv"


def register_master_data_commands(app: typer.Typer) -> None:
    group = typer.Typer(
        help=_("Organisations, people and rooms as one file (YAML or CSV) to keep, edit and import."),
        no_args_is_help=True,
    )

    @group.command("export", help=_("Write every organisation, person and room (retired ones too) as YAML or CSV."))
    def export(
        ctx: typer.Context,
        output: Path | None = typer.Option(None, "--output", "-o", help=_("the file to write (default: print)")),
        fmt: FileFormat | None = typer.Option(
            None, "--format", help=_("yaml or csv (default: from the file's suffix, else yaml)")
        ),
    ) -> None:
        """Write every organisation, person and room (retired ones too) as YAML or CSV."""
        from lms.files.storage import write_atomically
        from lms.master_data.bulk_export import csv_export_text, master_data_records, yaml_text

        chosen = fmt or (FileFormat.csv if output is not None and output.suffix.lower() == ".csv" else FileFormat.yaml)
        with runtime(ctx).session() as session:
            sections = master_data_records(session=session)
        text = csv_export_text(sections) if chosen == FileFormat.csv else yaml_text(sections)
        if output is None:
            sys.stdout.write(text)
            return
        write_atomically(output, text.encode("utf-8"))
        counts = {name: len(records) for name, records in sections.items()}
        emit(
            _("wrote {organisations} organisations, {people} people and {rooms} rooms to {file}").format(
                file=output, **counts
            )
        )

    @group.command(
        "import",
        help=_(
            "Add or update organisations, people and rooms from a file written by export (YAML or CSV); "
            "one bad row writes nothing."
        ),
    )
    def import_(
        ctx: typer.Context,
        path: Path = typer.Argument(..., help=_("a .yaml/.yml or .csv file")),
        reason: str | None = typer.Option(
            None, "--reason", help=_("why, when the file corrects a name or ID number a certificate shows")
        ),
    ) -> None:
        """Add or update organisations, people and rooms from a file written by export; one bad row writes nothing."""
        from lms.master_data.bulk_import import import_master_data

        with runtime(ctx).session() as session:
            result = import_master_data(session=session, path=path, reason=reason)
        for kind, label in (("organisation", _("organisations")), ("person", _("people")), ("room", _("rooms"))):
            emit(
                _("{what}: {added} added, {changed} changed, {unchanged} unchanged").format(
                    what=label,
                    added=result.added[kind],
                    changed=result.changed[kind],
                    unchanged=result.unchanged[kind],
                )
            )

    app.add_typer(group, name="master-data")
