"""Leaving a form with changes: save them, discard them, or keep editing (the default, and what Escape does)."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from lms.i18n import _
from scheduler_tui import keys

Answer = Literal["save", "discard", "stay"]


class UnsavedDialog(ModalScreen[Answer]):
    BINDINGS = keys.DIALOG

    def __init__(self, what: str) -> None:
        super().__init__(classes="dialog")
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(_("{what} has unsaved changes.").format(what=self.what), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Discard"), variant="error", id="discard")
                yield Button(_("Keep editing"), id="stay")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        answer: Answer = "save" if event.button.id == "save" else "discard" if event.button.id == "discard" else "stay"
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss("stay")
