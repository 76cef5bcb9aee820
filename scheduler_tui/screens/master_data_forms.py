"""Forms for an organisation and a room: new when no code is given, otherwise loaded with the version the save is
checked against (a stale save names who changed the record and when, and offers a reload)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from lms.i18n import _
from lms.master_data.organisations import (
    OrganisationFields,
    add_organisation,
    edit_organisation,
    organisation_choices,
    organisation_form_values,
    organisation_kind_label,
)
from lms.master_data.rooms import RoomFields, add_room, edit_room, room_form_values
from lms.models import OrganisationKind
from scheduler_tui.screens.edit_form import EditForm


class RecordForm(EditForm):
    """What the three master-data forms share: a title, rows of labelled fields, Save / Reload / Cancel."""

    def __init__(self, code: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.code = code

    def heading(self) -> str:
        raise NotImplementedError

    def rows(self) -> ComposeResult:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box form-box"):
            yield Label(self.heading(), classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                yield from self.rows()
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="ok", compact=True)
                yield Button(_("Reload"), id="reload", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reload", Button).display = False
        self.load()

    def row(self, label: str, widget: Any) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield widget

    def text_input(self, key: str) -> Input:
        return Input(id=key, compact=True, disabled=key == "code" and self.code is not None)

    def text(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def set_text(self, key: str, value: Any) -> None:
        self.query_one(f"#{key}", Input).value = "" if value is None else str(value)

    def chosen(self, key: str) -> str:
        value = self.query_one(f"#{key}", Select).value
        return "" if value is Select.NULL else str(value)

    def first_field(self) -> str:
        return "name" if self.code else "code"

    def fill_form(self, values: dict[str, Any]) -> None:
        self.fill(values)
        self.query_one(f"#{self.first_field()}", Input).focus()

    def fill(self, values: dict[str, Any]) -> None:
        raise NotImplementedError


class OrganisationForm(RecordForm):
    def heading(self) -> str:
        return _("Edit organisation {code}").format(code=self.code) if self.code else _("New organisation")

    def rows(self) -> ComposeResult:
        kinds = [(organisation_kind_label(kind), kind.value) for kind in OrganisationKind]
        yield from self.row(_("Code"), self.text_input("code"))
        yield from self.row(_("Kind"), Select(kinds, id="kind", compact=True, value="buyer", allow_blank=False))
        yield from self.row(_("Name (Chinese)"), self.text_input("name"))
        yield from self.row(_("Name (English)"), self.text_input("name_en"))
        yield from self.row(_("City"), self.text_input("city"))

    def load_values(self, session: Session) -> dict[str, Any]:
        return organisation_form_values(session=session, code=self.code) if self.code else {}

    def fill(self, values: dict[str, Any]) -> None:
        if values:
            self.set_text("code", values["code"])
            self.query_one("#kind", Select).value = values["kind"]
            self.set_text("name", values["name_zh"])
            self.set_text("name_en", values["name_en"])
            self.set_text("city", values["city"])

    def read_form(self) -> dict[str, Any]:
        return {
            "code": self.text("code"),
            "fields": OrganisationFields(
                kind=self.chosen("kind"),
                name_zh=self.text("name"),
                name_en=self.text("name_en"),
                city=self.text("city"),
            ),
        }

    def store(self, session: Session, values: dict[str, Any]) -> str:
        if self.code is None:
            return add_organisation(session=session, code=values["code"], fields=values["fields"]).code
        edit_organisation(session=session, code=self.code, fields=values["fields"], expect_version=self.loaded_version)
        return self.code


class RoomForm(RecordForm):
    def heading(self) -> str:
        return _("Edit room {code}").format(code=self.code) if self.code else _("New room or site")

    def rows(self) -> ComposeResult:
        yield from self.row(_("Code"), self.text_input("code"))
        yield from self.row(_("Name"), self.text_input("name"))
        yield from self.row(_("City"), self.text_input("city"))
        yield from self.row(_("Capacity"), self.text_input("capacity"))
        yield from self.row(
            _("Organisation"), Select([], id="organisation", compact=True, prompt=_("none (a site of its own)"))
        )
        yield from self.row(_("Address"), self.text_input("address"))

    def load_values(self, session: Session) -> dict[str, Any]:
        values: dict[str, Any] = {"choices": organisation_choices(session=session)}
        if self.code:
            values.update(room_form_values(session=session, code=self.code))
        return values

    def fill(self, values: dict[str, Any]) -> None:
        select = self.query_one("#organisation", Select)
        select.set_options([(f"{code} {name}", code) for code, name in values["choices"]])
        if values.get("organisation"):
            select.value = values["organisation"]
        self.set_text("capacity", values.get("capacity", 20))
        for key in ("code", "name", "city", "address"):
            if key in values:
                self.set_text(key, values[key])

    def read_form(self) -> dict[str, Any]:
        fields = RoomFields(
            name=self.text("name"),
            city=self.text("city"),
            capacity=self.text("capacity") or "20",
            organisation=self.chosen("organisation"),
            address=self.text("address"),
        )
        return {"code": self.text("code"), "fields": fields}

    def store(self, session: Session, values: dict[str, Any]) -> str:
        if self.code is None:
            return add_room(session=session, code=values["code"], fields=values["fields"]).code
        edit_room(session=session, code=self.code, fields=values["fields"], expect_version=self.loaded_version)
        return self.code
