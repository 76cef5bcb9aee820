"""A project created or corrected by hand: code, buyer, names, site, city, warranty and the planned acceptance."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from lms.calendars.dates import parse_date
from lms.errors import LmsError
from lms.i18n import _
from lms.models.lookup import project_by_code
from lms.projects.project_edits import buyer_choices, create_project, edit_project, project_fields
from scheduler_tui.screens.edit_form import EditForm

TEXT_FIELDS = ("code", "name_zh", "name_en", "site", "city", "warranty_months", "tender_ref", "acceptance")


def field_labels() -> dict[str, str]:
    return {
        "code": _("Code"),
        "buyer": _("Buyer"),
        "name_zh": _("Name (Chinese)"),
        "name_en": _("Name (English)"),
        "site": _("Site"),
        "city": _("City"),
        "warranty_months": _("Warranty months"),
        "tender_ref": _("Tender ref."),
        "acceptance": _("Acceptance (planned)"),
    }


class ProjectForm(EditForm):
    """New when ``code`` is None; otherwise the project as stored, saved against the version it was loaded at."""

    def __init__(self, code: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.code = code
        self.buyers: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        labels = field_labels()
        title = _("Edit project {code}").format(code=self.code) if self.code else _("New project")
        with Vertical(classes="dialog-box form-box"):
            yield Label(title, classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                for key in ("code", "buyer", *TEXT_FIELDS[1:]):
                    if key == "acceptance" and self.code:
                        continue
                    with Horizontal(classes="form-row"):
                        yield Label(labels[key], classes="form-label")
                        if key == "buyer":
                            yield Select([], id="buyer", compact=True, prompt=_("choose a buyer"))
                        else:
                            yield Input(id=key, compact=True, disabled=key == "code" and self.code is not None)
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="ok", compact=True)
                yield Button(_("Reload"), id="reload", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reload", Button).display = False
        self.query_one("#warranty_months", Input).value = "12"
        self.load()

    def load_values(self, session: Session) -> dict[str, Any]:
        values: dict[str, Any] = {"buyers": buyer_choices(session)}
        if self.code:
            values.update(project_fields(project_by_code(session, self.code), session))
        return values

    def fill_form(self, values: dict[str, Any]) -> None:
        self.buyers = values["buyers"]
        select = self.query_one("#buyer", Select)
        select.set_options([(f"{code} {name}", code) for code, name in self.buyers])
        if values.get("buyer"):
            select.value = values["buyer"]
        for key in TEXT_FIELDS:
            if key in values and self.query(f"#{key}"):
                self.query_one(f"#{key}", Input).value = "" if values[key] is None else str(values[key])
        if not self.buyers:
            self.problem(_("no buyer yet: add one with lms orgs add"))
        self.query_one("#name_zh" if self.code else "#code", Input).focus()

    def text(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def read_form(self) -> dict[str, Any]:
        buyer = self.query_one("#buyer", Select).value
        if buyer is Select.NULL:
            raise LmsError(_("choose a buyer"), field="buyer")
        months = self.text("warranty_months") or "12"
        if not months.isdigit():
            raise LmsError(_("{value!r} is not a number of months").format(value=months), field="warranty_months")
        values: dict[str, Any] = {key: self.text(key) for key in ("name_zh", "name_en", "site", "city")}
        values.update(buyer=str(buyer), warranty_months=int(months), tender_ref=self.text("tender_ref") or None)
        if not self.code:
            values["code"] = self.text("code")
            day = self.text("acceptance")
            values["planned"] = {"acceptance": parse_date(day, field_labels()["acceptance"])} if day else {}
        return values

    def store(self, session: Session, values: dict[str, Any]) -> str:
        if self.code is None:
            values = {**values}
            name_zh = values.pop("name_zh")
            create_project(session=session, name_zh=name_zh, **values)
            return str(values["code"])
        edit_project(session=session, code=self.code, expect_version=self.loaded_version, changes=values)
        return self.code
