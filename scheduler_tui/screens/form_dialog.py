"""What every small form dialog shares: Enter or OK submits, Cancel or Escape closes with None."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import Button, Input

from scheduler_tui import keys

ResultType = TypeVar("ResultType")


class FormDialog(ModalScreen[ResultType | None]):
    """A modal form; subclasses compose the fields and implement ``submit`` (validate, then ``dismiss``)."""

    BINDINGS = keys.DIALOG

    def submit(self) -> None:
        raise NotImplementedError

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
