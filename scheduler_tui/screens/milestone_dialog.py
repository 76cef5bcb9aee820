"""Change one milestone date of a project: which milestone, planned or actual, and the new date (empty clears it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from lms.calendars.dates import parse_date
from lms.errors import LmsError
from lms.i18n import _
from lms.projects.obligations import milestone_label
from scheduler_tui.labels import day_text
from scheduler_tui.screens.form_dialog import FormDialog


@dataclass(frozen=True)
class MilestoneChange:
    kind: str
    planned: bool
    day: dt.date | None


class MilestoneDialog(FormDialog[MilestoneChange]):
    def __init__(self, project_code: str, milestones: list[dict[str, Any]]) -> None:
        super().__init__(classes="dialog")
        self.project_code = project_code
        self.milestones = {m["kind"]: m for m in milestones}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(_("Change a milestone date of {code}").format(code=self.project_code), classes="dialog-title")
            yield Select(
                [(milestone_label(kind), kind) for kind in self.milestones],
                value="acceptance",
                allow_blank=False,
                id="kind",
            )
            yield Select(
                [(_("actual date"), "actual"), (_("planned date"), "planned")],
                value="actual",
                allow_blank=False,
                id="which",
            )
            yield Input(placeholder=_("YYYY-MM-DD (empty clears the date)"), id="day")
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Change"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.show_current()
        self.query_one("#day", Input).focus()

    def show_current(self) -> None:
        kind = str(self.query_one("#kind", Select).value)
        which = str(self.query_one("#which", Select).value)
        self.query_one("#day", Input).value = day_text(self.milestones.get(kind, {}).get(which))

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.show_current()

    def submit(self) -> None:
        text = self.query_one("#day", Input).value.strip()
        kind = str(self.query_one("#kind", Select).value)
        try:
            day = parse_date(text, milestone_label(kind)) if text else None
        except LmsError as error:
            self.query_one("#problem", Static).update(str(error))
            return
        self.dismiss(MilestoneChange(kind, self.query_one("#which", Select).value == "planned", day))
