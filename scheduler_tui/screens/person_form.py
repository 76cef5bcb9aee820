"""A person's form: trainers, engineers and buyer trainees, with title, technical lead and ID number. A correction
of a name or ID number a certificate shows needs a reason; after it, the certificates to re-issue are listed."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select

from lms.i18n import _
from lms.master_data.identity_documents import IdType, id_type_label
from lms.master_data.organisations import organisation_choices
from lms.master_data.people import PersonFields, add_person, edit_person, person_form_values, person_kind_label
from lms.models import PersonKind
from scheduler_tui.screens.master_data_forms import RecordForm

TEXT_FIELDS = ("name", "name_en", "title", "id_number", "employee_number", "phone", "email", "home_city")


class PersonForm(RecordForm):
    def __init__(self, code: str | None = None, kind: str = "buyer_staff") -> None:
        super().__init__(code)
        self.kind = kind
        self.shown_id_number = ""  # as loaded (masked for all but HR): unchanged means "leave it"
        self.reissue: list[str] = []

    def heading(self) -> str:
        return _("Edit person {code}").format(code=self.code) if self.code else _("New person")

    def rows(self) -> ComposeResult:
        kinds = [(person_kind_label(kind), kind.value) for kind in PersonKind]
        id_types = [(id_type_label(kind), kind.value) for kind in IdType]
        labels = {
            "name": _("Person's name"),
            "name_en": _("Name (Latin)"),
            "title": _("Job title"),
            "id_number": _("ID number"),
            "employee_number": _("Employee number"),
            "phone": _("Phone"),
            "email": _("E-mail"),
            "home_city": _("Home city"),
        }
        yield from self.row(_("Code"), self.text_input("code"))
        yield from self.row(_("Kind"), Select(kinds, id="kind", compact=True, value=self.kind, allow_blank=False))
        yield from self.row(_("Organisation"), Select([], id="organisation", compact=True, prompt=_("choose")))
        for key in TEXT_FIELDS:
            if key == "id_number":
                yield from self.row(
                    _("Document"), Select(id_types, id="id_type", compact=True, value="resident", allow_blank=False)
                )
            yield from self.row(labels[key], self.text_input(key))
        yield from self.row("", Checkbox(_("Technical lead"), id="lead", compact=True))
        yield from self.row(_("Reason"), Input(id="reason", compact=True, placeholder=_("for a correction")))

    def load_values(self, session: Session) -> dict[str, Any]:
        values: dict[str, Any] = {"choices": organisation_choices(session=session)}
        if self.code:
            values.update(person_form_values(session=session, code=self.code))
        return values

    def fill(self, values: dict[str, Any]) -> None:
        select = self.query_one("#organisation", Select)
        select.set_options([(f"{code} {name}", code) for code, name in values["choices"]])
        if values.get("organisation"):
            select.value = values["organisation"]
        if values.get("kind"):
            self.query_one("#kind", Select).value = values["kind"]
        if values.get("id_type") in ("passport", "permit", "other"):
            self.query_one("#id_type", Select).value = values["id_type"]
        for key in ("code", *TEXT_FIELDS):
            if key in values:
                self.set_text(key, values[key])
        self.shown_id_number = values.get("id_number") or ""
        self.query_one("#lead", Checkbox).value = bool(values.get("is_technical_lead"))

    def read_form(self) -> dict[str, Any]:
        texts = {key: self.text(key) for key in TEXT_FIELDS}
        if self.code and texts["id_number"] == self.shown_id_number:
            texts["id_number"] = None  # type: ignore[assignment]  # not touched: a masked number stays as stored
        fields = PersonFields(
            kind=self.chosen("kind"),
            organisation=self.chosen("organisation"),
            id_type=self.chosen("id_type"),
            is_technical_lead=self.query_one("#lead", Checkbox).value,
            **texts,
        )
        return {"code": self.text("code"), "fields": fields, "reason": self.text("reason")}

    def store(self, session: Session, values: dict[str, Any]) -> str:
        if self.code is None:
            return add_person(session=session, code=values["code"], fields=values["fields"]).code
        result = edit_person(
            session=session,
            code=self.code,
            fields=values["fields"],
            expect_version=self.loaded_version,
            reason=values["reason"],
        )
        self.reissue = [row["serial"] for row in result.to_reissue]
        return self.code
