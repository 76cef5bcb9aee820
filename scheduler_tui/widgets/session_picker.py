"""Sessions to choose from: a filter box and a paged table (SQL does the filtering, 200 rows a page). Those not
over yet come first, soonest first, then past ones, latest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input

from lms.calendars.workdays import depends_on_provisional
from lms.i18n import _, current_language
from lms.scheduling.session_pages import session_page
from scheduler_tui.labels import clip, dates_text, day_text, session_status
from scheduler_tui.widgets.paged_table import PagedTable

FILTER_DELAY = 0.25  # seconds of quiet typing before the query runs


def overridden(status: Text, row: dict[str, Any]) -> Text:
    """The status, marked when an admin confirmed the session despite open problems (the reason is on the status
    line when the row is highlighted)."""
    if row.get("override_reason"):
        status.append(" · " + _("override"), style="bold magenta")
    return status


class SessionPicker(Vertical):
    @dataclass
    class PageLoaded(Message):
        rows: list[dict[str, Any]]
        offset: int
        total: int
        at_end: bool

    @dataclass
    class Highlighted(Message):
        row: dict[str, Any] | None

    @dataclass
    class Chosen(Message):
        row: dict[str, Any]

    def __init__(
        self, *, compact: bool = False, text: str = "", select: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id, classes="session-picker")
        self.compact = compact
        self.initial_text = text
        self.wanted = select  # the session to put the cursor on once it is in a page shown
        self.rows: list[dict[str, Any]] = []
        self.filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            self.initial_text,
            placeholder=_("filter: code, course, project, place, city, trainer or status"),
            id="filter",
        )
        yield PagedTable(id="session-table")

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    @property
    def current(self) -> dict[str, Any] | None:
        table = self.table
        return self.rows[table.cursor_row] if self.rows and table.cursor_row < len(self.rows) else None

    def headers(self) -> list[str]:
        if self.compact:
            return [_("Session"), _("From"), _("Status"), _("Course")]  # the day first: narrow on the roster screen
        # Who teaches and how full it is before the place, so that they stay in view at 120 columns.
        return [_("Session"), _("Course"), _("Project"), _("Dates"), _("Status"), _("Trainers"), _("Roster")] + [
            _("Place")
        ]

    def on_mount(self) -> None:
        self.table.show_page(self.headers(), [], 0, 0)
        self.reload()

    def reload(self, offset: int | None = None, at_end: bool = False) -> None:
        text = self.query_one("#filter", Input).value
        self.load(text, self.table.page_offset if offset is None else offset, at_end)

    @work(thread=True, exclusive=True, group="session-page")
    def load(self, text: str, offset: int, at_end: bool) -> None:
        app: Any = self.app
        with Session(app.engine) as session:
            rows, total = session_page(session, today=app.today, text=text, offset=offset, limit=self.table.page_size)
        calendar = app.workday_calendar()
        for row in rows:
            row["calendar_provisional"] = depends_on_provisional(calendar, row["first_day"], row["last_day"])
        self.post_message(self.PageLoaded(rows, offset, total, at_end))

    def on_session_picker_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        self.rows = message.rows
        english = current_language() == "en"
        cells: list[tuple[Any, ...]] = []
        for row in message.rows:
            course = clip(row["course_en"] if english else row["course_zh"], 24)
            if self.compact:
                status = session_status(row["status"], row.get("calendar_provisional", False))
                cells.append((row["code"], day_text(row["first_day"]), status, clip(course, 14)))
            else:
                cells.append(
                    (
                        row["code"],
                        clip(course, 20),
                        row["project"],
                        dates_text(row["first_day"], row["last_day"]),
                        overridden(session_status(row["status"], row.get("calendar_provisional", False)), row),
                        clip(row["trainers"], 14),
                        f"{row['rostered']}/{row['capacity']}",
                        clip(row["place"], 16),
                    )
                )
        self.table.show_page(self.headers(), cells, message.offset, message.total, at_end=message.at_end)
        codes = [row["code"] for row in message.rows]
        if self.wanted in codes:
            self.table.move_cursor(row=codes.index(self.wanted), animate=False)
            self.wanted = None
        self.post_message(self.Highlighted(self.current))

    def on_paged_table_page_wanted(self, message: PagedTable.PageWanted) -> None:
        message.stop()
        self.reload(message.offset, message.at_end)

    def on_input_changed(self, message: Input.Changed) -> None:
        message.stop()
        if self.filter_timer is not None:
            self.filter_timer.stop()
        self.filter_timer = self.set_timer(FILTER_DELAY, lambda: self.reload(0))

    def key_escape(self) -> None:
        """Out of the filter box, so that number keys switch screens again."""
        if isinstance(self.app.focused, Input):
            self.table.focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.table.focus()

    def on_data_table_row_highlighted(self, message: DataTable.RowHighlighted) -> None:
        message.stop()
        self.post_message(self.Highlighted(self.current))

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        message.stop()
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def summary(self) -> str:
        first, last = self.table.span_shown
        return _("sessions {first}–{last} of {total}").format(first=first, last=last, total=self.table.total)
