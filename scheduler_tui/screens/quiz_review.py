"""Review before submitting: every question with whether it is answered; jump back to one, or submit (once)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Static

from lms.i18n import _, pick
from lms.questions.views import QuestionView
from scheduler_tui.screens.quiz_answers import is_answered


def _short(text: str, width: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


class QuizConfirmSubmitScreen(ModalScreen[bool]):
    """Are you sure? Answers cannot change after submitting."""

    BINDINGS = [Binding("escape", "dismiss(False)", _("Back"))]

    def __init__(self, unanswered: int) -> None:
        super().__init__()
        self.unanswered = unanswered

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(_("Submit your answers now? They cannot be changed afterwards."), classes="title")
            if self.unanswered:
                yield Static(_("{count} questions are not answered.").format(count=self.unanswered), classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Submit"), id="yes", variant="error")
                yield Button(_("Back"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class QuizReviewScreen(Screen[int | str | None]):
    """Dismisses with a question index to go back to, ``"submit"``, or None to return where one was."""

    BINDINGS = [Binding("escape", "back", _("Back to the questions"))]

    def __init__(self, views: list[QuestionView]) -> None:
        super().__init__()
        self.views = views

    def compose(self) -> ComposeResult:
        answered = sum(1 for view in self.views if is_answered(view))
        summary = _("Review: {answered} of {total} answered").format(answered=answered, total=len(self.views))
        yield Static(summary, id="summary", classes="title")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="nav"):
            yield Button(_("Back to the questions"), id="back")
            yield Button(_("Submit"), id="submit", variant="error")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review-table", DataTable)
        table.add_columns(_("No."), _("Question"), _("Answer"))
        for view in self.views:
            done = is_answered(view)
            state = Text(_("answered"), style="green") if done else Text(_("not answered"), style="bold red")
            table.add_row(str(view.number), Text(_short(pick(view.prompt))), state)
        table.focus()

    @on(DataTable.RowSelected)
    def jump(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.cursor_row)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        unanswered = sum(1 for view in self.views if not is_answered(view))
        self.app.push_screen(QuizConfirmSubmitScreen(unanswered), self.confirmed)

    def confirmed(self, sure: bool | None) -> None:
        if sure:
            self.dismiss("submit")
