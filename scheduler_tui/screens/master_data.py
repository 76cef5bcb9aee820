"""Master data, where a trainer or HR looks for it: organisations, people and rooms, each a tab with its list;
``n`` adds, Enter edits, ``x`` retires (kept for history, offered for nothing new), ``a`` shows retired ones too.
Forms remember the version they loaded; a stale save names who changed the record and when and offers a reload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, TabbedContent, TabPane

from lms.db import session_scope
from lms.errors import LmsError
from lms.i18n import _
from lms.master_data.organisations import organisation_kind_label, organisation_rows, retire_organisation
from lms.master_data.people import person_kind_label, person_rows, retire_person
from lms.master_data.rooms import retire_room, room_rows
from scheduler_tui import keys
from scheduler_tui.labels import clip, day_text
from scheduler_tui.screens.base import LmsScreen
from scheduler_tui.widgets.tables import fill_table

TABS = ("organisations", "people", "rooms")
RETIRED_STYLE = "dim strike"


def tab_label(tab: str) -> str:
    return {"organisations": _("Organisations"), "people": _("People"), "rooms": _("Rooms")}[tab]


def headers(tab: str) -> list[str]:
    if tab == "organisations":
        return [_("Code"), _("Kind"), _("Name"), _("English name"), _("City"), _("Version"), _("Retired")]
    if tab == "people":
        return [
            _("Code"),
            _("Kind"),
            _("Person's name"),
            _("Organisation"),
            _("Job title"),
            _("ID number"),
            _("Phone"),
        ] + [
            _("Version"),
            _("Retired"),
        ]
    return [_("Code"), _("Name"), _("City"), _("Capacity"), _("Organisation"), _("Version"), _("Retired")]


def cells(tab: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """One table row; a retired record struck through, a technical lead starred."""
    if tab == "organisations":
        values: tuple[Any, ...] = (
            row["code"],
            organisation_kind_label(row["kind"]),
            clip(row["name_zh"], 24),
            clip(row["name_en"] or "", 24),
            row["city"] or "",
        )
    elif tab == "people":
        name = row["name"] + (" ★" if row["is_technical_lead"] else "") + (" ⚙" if row["manufacturer_engineer"] else "")
        values = (
            row["code"],
            person_kind_label(row["kind"]),
            name,
            row["organisation"],
            clip(row["title"] or "", 16),
            row["id_number"] or "",
            row["phone"] or "",
        )
    else:
        values = (row["code"], clip(row["name"], 20), row["city"], str(row["capacity"]), row["organisation"] or "")
    values = (*values, str(row["version"]), day_text(row["retired_on"]))
    if row["retired_on"]:
        return tuple(Text(str(value), style=RETIRED_STYLE) for value in values)
    return values


class MasterDataScreen(LmsScreen):
    PLACE = "masterdata"
    BINDINGS = keys.MASTER_DATA

    @dataclass
    class Loaded(Message):
        rows: dict[str, list[dict[str, Any]]]

    @dataclass
    class Retired(Message):
        code: str

    def __init__(self, tab: str = "people", show_retired: bool = False) -> None:
        super().__init__()
        self.initial_tab = tab if tab in TABS else "people"
        self.show_retired = show_retired
        self.rows: dict[str, list[dict[str, Any]]] = {tab: [] for tab in TABS}

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        with TabbedContent(initial=self.initial_tab, id="master-tabs"):
            for tab in TABS:
                with TabPane(tab_label(tab), id=tab):
                    yield DataTable(id=f"table-{tab}", cursor_type="row", zebra_stripes=True)
        yield from self.frame_bottom()

    @property
    def tab(self) -> str:
        return str(self.query_one(TabbedContent).active) or self.initial_tab

    def table(self, tab: str | None = None) -> DataTable[Any]:
        return self.query_one(f"#table-{tab or self.tab}", DataTable)

    def on_mount(self) -> None:
        for tab in TABS:
            fill_table(self.table(tab), headers(tab), [])
        self.action_refresh()

    def restart_args(self) -> dict[str, Any]:
        return {"tab": self.tab, "show_retired": self.show_retired}

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="master-data")
    def load(self) -> None:
        try:
            with Session(self.lms.engine) as session:
                rows = {
                    "organisations": organisation_rows(session=session, include_retired=self.show_retired),
                    "people": person_rows(session=session, include_retired=self.show_retired),
                    "rooms": room_rows(session=session, include_retired=self.show_retired),
                }
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.Loaded(rows))

    def on_master_data_screen_loaded(self, message: Loaded) -> None:
        self.rows = message.rows
        for tab in TABS:
            fill_table(self.table(tab), headers(tab), [cells(tab, row) for row in message.rows[tab]])
        self.table().focus()
        counts = {tab: len(rows) for tab, rows in message.rows.items()}
        status = _("{organisations} organisations · {people} people · {rooms} rooms").format(**counts)
        shown = _("retired shown struck through") if self.show_retired else _("retired hidden (a shows them)")
        self.set_status(f"{status} · ★ {_('technical lead')} · ⚙ {_('manufacturer engineer')} · {shown}")

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self.table().focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_toggle_retired(self) -> None:
        self.show_retired = not self.show_retired
        self.load()

    def current(self) -> dict[str, Any] | None:
        rows = self.rows[self.tab]
        table = self.table()
        return rows[table.cursor_row] if rows and 0 <= table.cursor_row < len(rows) else None

    def form(self, code: str | None) -> Any:
        from scheduler_tui.screens.master_data_forms import OrganisationForm, RoomForm
        from scheduler_tui.screens.person_form import PersonForm

        if self.tab == "people":
            return PersonForm(code)
        return OrganisationForm(code) if self.tab == "organisations" else RoomForm(code)

    def action_new(self) -> None:
        self.open_form(None)

    def action_edit(self) -> None:
        row = self.current()
        if row is not None:
            self.open_form(row["code"])

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    def open_form(self, code: str | None) -> None:
        form = self.form(code)

        def saved(result: str | None) -> None:
            if not result:
                return
            self.notify(_("{code} saved").format(code=result))
            for serial in getattr(form, "reissue", []):
                self.notify(_("still shows the old value; re-issue: lms certs reissue {serial}").format(serial=serial))
            self.load()

        self.app.push_screen(form, saved)

    def action_retire(self) -> None:
        from scheduler_tui.screens.confirm_dialog import ConfirmDialog

        row = self.current()
        if row is None or row["retired_on"]:
            return
        tab, code, version = self.tab, row["code"], row["version"]

        def answered(yes: bool | None) -> None:
            if yes:
                self.retire(tab, code, version)

        question = _("Retire {code}? It stays in history but is offered for nothing new.").format(code=code)
        self.app.push_screen(ConfirmDialog(question, _("Retire")), answered)

    @work(thread=True, exclusive=True, group="master-data-retire")
    def retire(self, tab: str, code: str, version: int) -> None:
        retire = {"organisations": retire_organisation, "people": retire_person, "rooms": retire_room}[tab]
        try:
            with session_scope(self.lms.engine) as session:
                retire(session=session, code=code, expect_version=version)
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.Retired(code))

    def on_master_data_screen_retired(self, message: Retired) -> None:
        self.notify(_("{code} retired").format(code=message.code))
        self.load()
