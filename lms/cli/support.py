"""What every command shares: the runtime (database URL, plugin manager) and plain or JSON output."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy
import typer

from lms.calendars.dates import parse_date as parse_date  # typed dates are bounded in the domain, for screens too
from lms.errors import LmsError
from lms.files.text_tables import format_table
from lms.i18n import _

if TYPE_CHECKING:  # the ORM loads when a command opens the database, not when the command line starts
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


@dataclass
class Runtime:
    """Per-invocation state handed to commands through ``ctx.obj``."""

    db_url: str | None
    pm: pluggy.PluginManager
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        if self._engine is None:
            from lms.db import open_database

            self._engine = open_database(self.db_url)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        from lms.db import session_scope

        with session_scope(self.engine()) as session:
            yield session


def runtime(ctx: typer.Context) -> Runtime:
    root = ctx.find_root()
    if not isinstance(root.obj, Runtime):
        raise LmsError("internal: the command ran without its runtime")
    return root.obj


def command_group(app: typer.Typer, name: str) -> typer.Typer:
    """The sub-command group ``name`` of the root command line, so that a plugin can add a command to it."""
    for group in app.registered_groups:
        if group.name == name and group.typer_instance is not None:
            return group.typer_instance
    raise LmsError(f"internal: no command group {name!r}")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def emit(text: str) -> None:
    sys.stdout.write(text + "\n")


def warn(text: str) -> None:
    """A warning the person should read; the command still succeeds."""
    sys.stderr.write(text + "\n")


def emit_rows(fmt: OutputFormat, headers: Sequence[str], keys: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """Print rows as an aligned table (headers in the user's language) or as JSON (stable keys)."""
    if fmt == OutputFormat.json:
        emit_json(list(rows))
    else:
        emit(format_table(headers, [[row.get(key) for key in keys] for row in rows]))


FORMAT_OPTION = typer.Option(OutputFormat.text, "--format", help="text or json")


def render_document(pm: pluggy.PluginManager, kind: str, context: Any) -> bytes:
    """A PDF from whichever plugin renders ``kind`` (the core never imports a renderer)."""
    pdf: bytes | None = pm.hook.lms_render_document(kind=kind, context=context)
    if pdf is None:
        raise LmsError(_("PDF output needs the documents plugin"))
    return pdf


def write_document(pm: pluggy.PluginManager, kind: str, context: Any, output: Path) -> None:
    """Render and write a PDF; the file appears whole or not at all."""
    from lms.files.storage import write_atomically

    write_atomically(output, render_document(pm, kind, context))
