"""The TUI plugin: ``lms tui``, ``lms serve``, ``lms quiz take`` and ``lms feedback take``. Textual is imported
only when those commands run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lms.hookspecs import QuickCommand, hookimpl

if TYPE_CHECKING:  # the early start (``lms tui``) imports this module without Typer
    import typer


@hookimpl
def lms_register_commands(app: typer.Typer) -> None:
    from scheduler_tui import commands, take_commands

    commands.register(app)
    take_commands.register(app)


@hookimpl
def lms_quick_command(args: list[str], db_url: str | None) -> QuickCommand | None:
    """``lms tui`` starts before the command line is built: its dashboard paints while the database opens."""
    if args != ["tui"]:
        return None
    from functools import partial

    from scheduler_tui.start import run_planning_app

    return QuickCommand("tui", partial(run_planning_app, db_url))
