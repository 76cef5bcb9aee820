"""The TUI plugin: ``lms tui`` and ``lms serve``. Textual is imported only when those commands run."""

from __future__ import annotations

import typer

from lms.hookspecs import hookimpl


@hookimpl
def lms_register_commands(app: typer.Typer) -> None:
    from scheduler_tui.commands import register

    register(app)
