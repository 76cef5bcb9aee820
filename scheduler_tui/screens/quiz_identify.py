"""The trainee says who they are: session code and ID number or name from the roster; a shared name asks for the
last four characters of the ID number. The system shows the name it found (ID number masked) before starting."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from lms.assessment.attempts import AmbiguousTrainee
from lms.assessment.sittings import TraineeCard
from lms.errors import LmsError
from lms.i18n import _, pick


class QuizIdentifyScreen(Screen[None]):
    def __init__(self, session_code: str = "") -> None:
        super().__init__()
        self.session_code = session_code
        self.card: TraineeCard | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="identify"):
            yield Static(_("Before you start"), classes="title", id="heading")
            yield Label(_("Session code"), id="code-label")
            yield Input(self.session_code, id="code", placeholder="S-XXXXX")
            yield Label(_("ID number or name"), id="identity-label")
            yield Input(id="identity", placeholder=_("as on the sign-in sheet"))
            yield Label(_("Last 4 characters of your ID number"), id="last4-label", classes="hidden")
            yield Input(id="last4", max_length=4, classes="hidden")
            yield Button(_("Continue"), id="continue", variant="primary")
            yield Static("", id="card")
            yield Button(_("Start"), id="start", variant="success", classes="hidden")
            yield Static("", id="message", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#identity" if self.session_code else "#code", Input).focus()

    def relabel(self) -> None:
        self.app.switch_screen(QuizIdentifyScreen(self.query_one("#code", Input).value))

    def _show(self, selector: str, shown: bool) -> None:
        self.query_one(selector).set_class(not shown, "hidden")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "code":
            self.query_one("#identity", Input).focus()
        else:
            self.identify()

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if self.card is not None:  # a changed entry must be confirmed again
            self.card = None
            self._show("#start", False)
            self.query_one("#card", Static).update("")

    @on(Button.Pressed, "#continue")
    def identify(self) -> None:
        app: Any = self.app
        code, identity = self.query_one("#code", Input).value, self.query_one("#identity", Input).value
        last4 = self.query_one("#last4", Input).value or None
        message = self.query_one("#message", Static)
        try:
            self.card = app.backend.who(code, identity, last4)
        except AmbiguousTrainee as error:
            message.update(Text(error.message))
            self._show("#last4-label", True)
            self._show("#last4", True)
            self.query_one("#last4", Input).focus()
            return
        except LmsError as error:
            message.update(Text(error.message))
            return
        message.update("")
        self.query_one("#card", Static).update(
            Text(
                _("{name} ({masked}) — {course}").format(
                    name=self.card.name, masked=self.card.masked_id or "—", course=pick(self.card.course)
                )
            )
        )
        self._show("#start", True)
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    def start(self) -> None:
        app: Any = self.app
        if self.card is None:
            return
        try:
            app.start(self.card)
        except LmsError as error:
            self.query_one("#message", Static).update(Text(error.message))
