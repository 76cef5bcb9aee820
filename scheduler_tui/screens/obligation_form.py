"""An obligation from the tender's own words: the PM pastes the clause, reads the proposal beside it, confirms or
corrects each field and saves. Fields the clause did not give are marked until the PM has looked at them."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from lms.errors import LmsError
from lms.i18n import _
from lms.models.lookup import project_by_code
from lms.projects.obligation_edits import (
    add_obligations,
    edit_obligation,
    find_obligation,
    next_code,
    spec_fields,
    spec_from,
)
from lms.projects.tender_parse import parse_tender
from scheduler_tui import keys
from scheduler_tui.screens.edit_form import EditForm

CHOICES: dict[str, tuple[str, ...]] = {
    "anchor": ("delivery", "installation", "acceptance"),
    "mode": ("on_site", "centralised", "online"),
    "place": ("buyer_site", "training_centre", "any"),
    "cadence": ("once", "monthly", "quarterly", "semiannual", "spring_autumn", "yearly"),
}
TEXTS = ("id", "clause", "offset", "deadline", "min_trainees", "min_days", "min_hours", "audience", "curricula")
FLAGS = ("assessment", "certificate", "reexam")
ORDER = ("id", "clause", "anchor", "offset", "deadline", "mode", "place", "min_trainees", "min_days", "min_hours")
ORDER_REST = ("audience", "curricula", "cadence")
LISTS = ("audience", "curricula")
SEPARATORS = re.compile(r"[,，、\s]+")


class ObligationForm(EditForm):
    """A new obligation of ``project`` when ``code`` is None; otherwise the stored one."""

    BINDINGS = keys.OBLIGATION_FORM

    def __init__(self, project: str, code: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.project = project
        self.code = code
        self.proposals: list[dict[str, Any]] = []
        self.unconfirmed: set[str] = set()
        self.warned = False

    def compose(self) -> ComposeResult:
        title = _("Obligation {code} of {project}") if self.code else _("New obligation of {project}")
        with Vertical(classes="dialog-box obligation-box"):
            yield Label(title.format(code=self.code, project=self.project), classes="dialog-title")
            with Horizontal(id="obligation-panes"):
                with Vertical(id="source-pane"):
                    yield Label(_("Tender text"), id="source-label")
                    yield TextArea(id="source", soft_wrap=True)
                    yield Select([], id="duty", compact=True, prompt=_("duty"))
                    yield Static("", id="notes")
                with VerticalScroll(id="fields-pane"):
                    for key in (*ORDER, *ORDER_REST):
                        with Horizontal(classes="form-row"):
                            yield Label(key, id=f"label-{key}", classes="form-label")
                            if key in CHOICES:
                                yield Select([(v, v) for v in CHOICES[key]], id=key, compact=True, prompt="—")
                            else:
                                yield Input(id=key, compact=True, disabled=key == "id" and self.code is not None)
                    with Horizontal(classes="form-row"):
                        for flag in FLAGS:
                            yield Checkbox(flag, id=flag, compact=True)
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Read the clause (Ctrl+R)"), id="parse", compact=True)
                yield Button(_("Save"), variant="primary", id="ok", compact=True)
                yield Button(_("Reload"), id="reload", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reload", Button).display = False
        self.query_one("#duty", Select).display = False
        if self.code is None:
            self.query_one("#cadence", Select).value = "once"
            self.query_one("#place", Select).value = "buyer_site"
        self.query_one("#source", TextArea).focus()
        self.load()

    def load_values(self, session: Session) -> dict[str, Any]:
        if self.code is None:
            return {"id": next_code(session, project_by_code(session, self.project)), "version": None}
        obligation = find_obligation(session, self.project, self.code)
        return {**spec_fields(obligation), "version": obligation.version}

    def fill_form(self, values: dict[str, Any]) -> None:
        for key in (*ORDER, *ORDER_REST):
            if key not in values:
                continue
            value = values[key]
            if key in CHOICES:
                self.query_one(f"#{key}", Select).value = value if value in CHOICES[key] else Select.NULL
            elif key in LISTS:
                self.query_one(f"#{key}", Input).value = ", ".join(value or [])
            else:
                shown = f"{value:g}" if isinstance(value, float) else value
                self.query_one(f"#{key}", Input).value = "" if shown is None else str(shown)
        for flag in FLAGS:
            if flag in values:
                self.query_one(f"#{flag}", Checkbox).value = bool(values[flag])
        if self.code and "clause" in values and not self.query_one("#source", TextArea).text:
            self.query_one("#source", TextArea).text = values["clause"]
        self.mark(set(values.get("unknown") or []))

    def mark(self, unknown: set[str]) -> None:
        """Put a ? on the fields the clause did not give; they stay marked until the PM changes them or saves."""
        self.unconfirmed, self.warned = unknown, False
        for key in (*ORDER, *ORDER_REST):
            label = self.query_one(f"#label-{key}", Label)
            label.update(Text(f"? {key}", style="bold yellow") if key in unknown else Text(key))

    def action_read_clause(self) -> None:
        text = self.query_one("#source", TextArea).text
        try:
            self.proposals = [proposal.as_dict() for proposal in parse_tender(text)]
        except LmsError as error:
            self.problem(str(error))
            return
        duty = self.query_one("#duty", Select)
        if not self.proposals:
            self.problem(_("no training duty found in this text"))
            return
        duty.set_options([(clip_clause(i, p["clause"]), i) for i, p in enumerate(self.proposals)])
        duty.display = len(self.proposals) > 1
        duty.value = 0
        self.take(0)

    def take(self, index: int) -> None:
        proposal = self.proposals[index]
        self.fill_form({key: value for key, value in proposal.items() if key != "id"})
        notes = proposal["notes"] + [_("not given: {fields}").format(fields=", ".join(proposal["unknown"]))] * bool(
            proposal["unknown"]
        )
        self.query_one("#notes", Static).update("\n".join(notes))
        self.problem(_("check the proposal against the text, then save"))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "duty" and isinstance(event.value, int) and self.proposals:
            self.take(event.value)
        elif event.select.id in self.unconfirmed:
            self.confirm(str(event.select.id))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in self.unconfirmed and event.input.has_focus:
            self.confirm(str(event.input.id))

    def confirm(self, key: str) -> None:
        self.unconfirmed.discard(key)
        self.query_one(f"#label-{key}", Label).update(Text(key))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "parse":  # the other buttons are EditForm's, whose handler Textual calls next
            event.prevent_default()
            self.action_read_clause()

    def read_form(self) -> dict[str, Any]:
        if self.unconfirmed and not self.warned:
            self.warned = True
            raise LmsError(
                _("not confirmed: {fields}; fill them in, or save again to take the defaults").format(
                    fields=", ".join(sorted(self.unconfirmed))
                )
            )
        values: dict[str, Any] = {}
        for key in CHOICES:
            chosen = self.query_one(f"#{key}", Select).value
            values[key] = None if chosen is Select.NULL else chosen
        for key in TEXTS:
            values[key] = self.query_one(f"#{key}", Input).value.strip() or None
        for key in LISTS:
            values[key] = [item for item in SEPARATORS.split(values[key] or "") if item]
        for flag in FLAGS:
            values[flag] = self.query_one(f"#{flag}", Checkbox).value
        for key in ("min_trainees", "min_days", "min_hours", "place", "cadence"):
            if values[key] is None:
                values.pop(key)  # the schema's default
        return values

    def store(self, session: Session, values: dict[str, Any]) -> str:
        if self.code is None:
            spec = spec_from(values, "clause")
            add_obligations(session=session, project_code=self.project, specs=[spec])
            return spec.id
        changes = {key: value for key, value in values.items() if key != "id"}
        version = self.loaded_version
        edit_obligation(
            session=session, project_code=self.project, code=self.code, expect_version=version, changes=changes
        )
        return self.code


def clip_clause(index: int, clause: str) -> str:
    return f"{index + 1}. {clause[:10]}…" if len(clause) > 10 else f"{index + 1}. {clause}"
