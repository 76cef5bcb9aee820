"""``lms quiz take`` and ``lms feedback take``: the trainees' Textual apps, added to the core's command groups."""

from __future__ import annotations

from pathlib import Path

import typer

from lms.access.roles import Role, set_role
from lms.cli.support import command_group, runtime
from lms.feedback.survey import survey_or_default
from lms.i18n import _


def register_quiz_take(quiz: typer.Typer) -> None:
    @quiz.command("take", help=_("Sit a session's quiz in the terminal (trainees identify from the roster)."))
    def take(
        ctx: typer.Context,
        session_code: str = typer.Option(..., "--session", help=_("the session code on the sign-in sheet")),
    ) -> None:
        """Sit a session's quiz in the terminal (trainees identify from the roster)."""
        from scheduler_tui.quiz_app import make_quiz_app

        rt = runtime(ctx)
        set_role(Role.trainee)  # whoever started it, the screen belongs to the trainee now
        make_quiz_app(engine=rt.engine(), pm=rt.pm, session_code=session_code).run()


def register_feedback_take(feedback: typer.Typer) -> None:
    @feedback.command("take", help=_("Trainees give feedback on a session in the terminal (identify from the roster)."))
    def take(
        ctx: typer.Context,
        session_code: str = typer.Option(..., "--session", help=_("the session code on the sign-in sheet")),
        survey_path: Path | None = typer.Option(
            None, "--survey", help=_("survey YAML file (default: the training feedback survey)")
        ),
    ) -> None:
        """Trainees give feedback on a session in the terminal (identify from the roster)."""
        from scheduler_tui.screens.feedback_take import make_feedback_app

        rt = runtime(ctx)
        survey = survey_or_default(survey_path)
        set_role(Role.trainee)  # whoever started it, the screen belongs to the trainees now
        make_feedback_app(engine=rt.engine(), survey=survey, session_code=session_code).run()


def listed_first(group: typer.Typer) -> None:
    """Move the command just added to the top of the group's help, where trainees' ``take`` has always been."""
    group.registered_commands.insert(0, group.registered_commands.pop())


def register(app: typer.Typer) -> None:
    """Add ``take`` to the core's ``quiz`` and ``feedback`` groups."""
    for name, add_take in (("quiz", register_quiz_take), ("feedback", register_feedback_take)):
        group = command_group(app, name)
        add_take(group)
        listed_first(group)
