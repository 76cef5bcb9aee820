"""The TUI plugin: ``lms tui``, ``lms serve``, ``lms quiz take`` and ``lms feedback take``. Textual is imported
only when those commands run."""

from __future__ import annotations

import typer

from lms.hookspecs import hookimpl


@hookimpl
def lms_register_commands(app: typer.Typer) -> None:
    from scheduler_tui import commands, take_commands

    commands.register(app)
    take_commands.register(app)
