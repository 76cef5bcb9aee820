"""``lms tui`` and ``lms serve``."""

from __future__ import annotations

import shlex
import sys

import typer

from lms.cli.support import runtime
from lms.i18n import _


def served_command(db_url: str | None, quiz_session: str | None = None) -> str:
    """The shell command textual-serve starts for each browser tab. ``exec`` replaces the shell with the app, one
    process less per tab; ``--db`` goes through so that the tab sees the same database."""
    command = f"exec {shlex.quote(sys.executable)} -m lms"
    if db_url:
        command += f" --db {shlex.quote(db_url)}"
    if quiz_session:
        return command + f" quiz take --session {shlex.quote(quiz_session)}"
    return command + " tui"


def register(app: typer.Typer) -> None:
    @app.command(help=_("Open the planning app in the terminal."))
    def tui(ctx: typer.Context) -> None:
        """Open the planning app in the terminal."""
        from scheduler_tui.app import make_app

        rt = runtime(ctx)
        make_app(engine=rt.engine(), pm=rt.pm).run()

    @app.command(help=_("Serve the same app to a browser (textual-serve)."))
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", help=_("address to listen on")),
        port: int = typer.Option(8000, help=_("port to listen on")),
        quiz: str | None = typer.Option(
            None, "--quiz", metavar="SESSION_CODE", help=_("serve the trainee quiz of this session instead")
        ),
    ) -> None:
        """Serve the same app to a browser (textual-serve)."""
        from textual_serve.server import Server

        rt = runtime(ctx)
        Server(served_command(rt.db_url, quiz), host=host, port=port, title="lms").serve()
