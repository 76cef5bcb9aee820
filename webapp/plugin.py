"""The web plugin: ``lms web``, trainees' quizzes on their own phones and the certificate check page.

Starlette and uvicorn are imported only when the command runs, so registering the plugin costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lms.hookspecs import hookimpl

if TYPE_CHECKING:  # the early start (``lms tui``) imports this module without Typer
    import typer


@hookimpl
def lms_register_commands(app: typer.Typer) -> None:
    from webapp.commands import register

    register(app)
