"""One question per screen, with progress and the time left; every change of an answer is saved at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, ProgressBar, Static

from lms.assessment.attempts import AlreadySubmitted
from lms.assessment.sittings import Sitting
from lms.db import DatabaseBusy
from lms.errors import LmsError
from lms.i18n import _, pick
from lms.questions.views import QuestionView
from scheduler_tui.screens.quiz_answers import AnswerInput, answer_input, is_answered
from scheduler_tui.screens.quiz_review import QuizReviewScreen

WARN_BEFORE = dt.timedelta(minutes=5)


def clock_text(left: dt.timedelta) -> str:
    seconds = max(0, int(left.total_seconds()))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class QuizQuestionScreen(Screen[None]):
    BINDINGS = [
        Binding("pageup", "go(-1)", _("Previous"), priority=True),
        Binding("pagedown", "go(1)", _("Next"), priority=True),
        Binding("f8", "review", _("Review and submit")),
    ]

    def __init__(self, sitting: Sitting, index: int | None = None) -> None:
        super().__init__()
        self.sitting = sitting
        self.views: list[QuestionView] = list(sitting.questions)
        unanswered = [i for i, view in enumerate(self.views) if not is_answered(view)]
        self.index = index if index is not None else (unanswered[0] if unanswered else 0)
        self.finished = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="who")
            yield Static("", id="timer")
        with Horizontal(id="progress-line"):
            yield Static("", id="position")
            yield ProgressBar(total=len(self.views), show_eta=False, show_percentage=False, id="progress")
        yield VerticalScroll(id="question")
        with Horizontal(id="nav"):
            yield Button(_("Previous"), id="previous")
            yield Button(_("Next"), id="next", variant="primary")
            yield Button(_("Review and submit"), id="to-review", variant="warning")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.index)
        if self.sitting.deadline is not None:
            self.tick()
            self.set_interval(1, self.tick)

    def relabel(self) -> None:
        self.query_one("#previous", Button).label = _("Previous")
        self.query_one("#next", Button).label = _("Next")
        self.query_one("#to-review", Button).label = _("Review and submit")
        self.show(self.index)

    @property
    def backend(self) -> Any:
        app: Any = self.app
        return app.backend

    def show(self, index: int) -> None:
        self.index = max(0, min(index, len(self.views) - 1))
        view = self.views[self.index]
        answered = sum(1 for v in self.views if is_answered(v))
        self.query_one("#who", Static).update(
            Text(
                f"{self.sitting.name} · {pick(self.sitting.course)} · " + _("attempt {n}").format(n=self.sitting.number)
            )
        )
        self.query_one("#position", Static).update(
            _("Question {n} of {total} · {answered} answered").format(
                n=view.number, total=len(self.views), answered=answered
            )
        )
        self.query_one("#progress", ProgressBar).update(progress=answered)
        body = self.query_one("#question", VerticalScroll)
        body.remove_children()
        points = _("Points: {points:g}").format(points=view.points) if view.points else ""
        body.mount(Static(Text(f"{view.number}. {pick(view.prompt)}"), classes="prompt"))
        if points:
            body.mount(Static(points, classes="hint"))
        body.mount(answer_input(view))  # the input takes the focus when it mounts
        self.query_one("#previous", Button).disabled = self.index == 0
        self.query_one("#next", Button).disabled = self.index == len(self.views) - 1

    def action_go(self, step: int) -> None:
        self.show(self.index + step)

    @on(Button.Pressed, "#previous")
    def previous(self) -> None:
        self.action_go(-1)

    @on(Button.Pressed, "#next")
    def next(self) -> None:
        self.action_go(1)

    @on(AnswerInput.Answered)
    def answered(self, event: AnswerInput.Answered) -> None:
        position = next(i for i, view in enumerate(self.views) if view.question_id == event.question_id)
        try:
            self.backend.save(self.sitting.attempt_id, event.question_id, event.response)
        except DatabaseBusy:
            # Still busy after the backend's own retries: keep the answer and try again shortly, never drop it.
            self.notify(_("The answer is not saved yet (the database is busy); trying again…"), severity="warning")
            self.set_timer(2.0, lambda: self.answered(event))
            return
        except LmsError as error:
            self.notify(error.message, severity="error")
            self.finish()
            return
        self.views[position] = self.views[position].model_copy(update={"response": event.response})
        answered = sum(1 for v in self.views if is_answered(v))
        self.query_one("#progress", ProgressBar).update(progress=answered)
        self.query_one("#position", Static).update(
            _("Question {n} of {total} · {answered} answered").format(
                n=self.views[self.index].number, total=len(self.views), answered=answered
            )
        )

    def tick(self) -> None:
        if self.sitting.deadline is None or self.finished:
            return
        left = self.sitting.deadline - self.backend.clock()
        timer = self.query_one("#timer", Static)
        timer.update(_("Time left {clock}").format(clock=clock_text(left)))
        timer.set_class(left <= WARN_BEFORE, "urgent")
        if left.total_seconds() <= 0:
            self.notify(_("Time is up: your answers are submitted."), severity="warning")
            self.finish()

    @on(Button.Pressed, "#to-review")
    def action_review(self) -> None:
        self.app.push_screen(QuizReviewScreen(self.views), self.reviewed)

    def reviewed(self, choice: int | str | None) -> None:
        if choice == "submit":
            self.finish()
        elif isinstance(choice, int):
            self.show(choice)

    def finish(self) -> None:
        """Submit (once) and show the result; a submit that another window beat us to just shows the result."""
        if self.finished:
            return
        self.finished = True
        try:
            self.backend.submit(self.sitting.attempt_id)
        except AlreadySubmitted:
            pass  # already submitted elsewhere (another window, or time ran out): the result stands
        except LmsError as error:  # nothing was kept (grading or the certificate failed): the answers stay, try again
            self.finished = False
            self.notify(error.message, severity="error")
            return
        app: Any = self.app
        app.show_result(self.sitting.attempt_id)
