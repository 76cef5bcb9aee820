"""A small dialog asking for one line of text (a person's code, a reason); returns it stripped, or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from lms.i18n import _
from scheduler_tui.screens.form_dialog import FormDialog


class TextDialog(FormDialog[str]):
    def __init__(self, title: str, *, placeholder: str = "", help_text: str = "", limit: int = 500) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.placeholder, self.help_text, self.limit = title, placeholder, help_text, limit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            if self.help_text:
                yield Static(self.help_text, classes="dialog-help")
            yield Input(placeholder=self.placeholder, id="text")
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def submit(self) -> None:
        text = " ".join(self.query_one("#text", Input).value.split())
        if not text:
            self.query_one("#problem", Static).update(_("this cannot be empty"))
        elif len(text) > self.limit:
            self.query_one("#problem", Static).update(_("longer than {limit} characters").format(limit=self.limit))
        else:
            self.dismiss(text)
