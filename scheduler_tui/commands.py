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
        from scheduler_tui.start import run_planning_app

        run_planning_app(runtime(ctx).db_url)

    @app.command(help=_("Serve the same app to a browser (textual-serve), behind a login token."))
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", help=_("address to listen on")),
        port: int = typer.Option(8000, help=_("port to listen on")),
        quiz: str | None = typer.Option(
            None, "--quiz", metavar="SESSION_CODE", help=_("serve the trainee quiz of this session instead")
        ),
        public_url: str | None = typer.Option(
            None, "--public-url", help=_("the address browsers use (default: the one they opened)")
        ),
    ) -> None:
        """Serve the same app to a browser (textual-serve), behind a login token."""
        import secrets

        from lms.cli.support import emit
        from lms.config import settings
        from scheduler_tui.serve import GuardedServer

        rt = runtime(ctx)
        web = settings().web
        token = web.serve_token or secrets.token_urlsafe(18)
        shown = (public_url or f"http://{host}:{port}").rstrip("/")
        emit(
            _("open {url}/?token={token} (at most {count} app windows at once)").format(
                url=shown, token=token, count=web.serve_max_processes
            )
        )
        GuardedServer(
            served_command(rt.db_url, quiz),
            token=token,
            max_processes=web.serve_max_processes,
            public_url=public_url.rstrip("/") if public_url else None,
            host=host,
            port=port,
            title="lms",
        ).serve()
