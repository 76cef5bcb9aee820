"""Ask for a date (the calendar's "go to"); returns it or None."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from lms.calendars.dates import parse_date
from lms.errors import LmsError
from lms.i18n import _
from scheduler_tui.screens.form_dialog import FormDialog


class DateDialog(FormDialog[dt.date]):
    def __init__(self, title: str, initial: dt.date) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.initial.isoformat(), placeholder="YYYY-MM-DD", id="day")
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Go"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#day", Input).focus()

    def submit(self) -> None:
        try:
            day = parse_date(self.query_one("#day", Input).value, _("date"))
        except LmsError as error:
            self.query_one("#problem", Static).update(str(error))
            return
        self.dismiss(day)
