"""Dashboard: obligations by urgency with working days left, the next sessions, open conflicts.

The frame paints at once and the data follows from a worker in parts, cheapest first: upcoming sessions, the
obligation periods open now, conflicts, and last the periods that closed long ago (checking those means checking
every held session of past years). Only the 200 most urgent obligation rows go into the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from lms.calendars.workdays import depends_on_provisional
from lms.errors import LmsError
from lms.i18n import _, current_language
from lms.projects.periods import period_name
from lms.scheduling.conflicts import find_conflicts, kind_label
from lms.scheduling.overview import STATUS_ORDER, attention_periods, upcoming_sessions
from scheduler_tui import keys
from scheduler_tui.labels import OBLIGATION_STYLES, clip, session_status, short_day, short_span, span_text
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.widgets.tables import fill_table

SHOWN_OBLIGATIONS = 200


class DashboardScreen(LmsScreen):
    PLACE = "dashboard"
    BINDINGS = keys.DASHBOARD

    @dataclass
    class SessionsLoaded(Message):
        rows: list[dict[str, Any]]

    @dataclass
    class ObligationsLoaded(Message):
        rows: list[dict[str, Any]]
        settled: bool  # the periods that closed long ago, after the current ones

    @dataclass
    class ConflictsLoaded(Message):
        rows: list[dict[str, Any]]

    def __init__(self) -> None:
        super().__init__()
        self.obligations: list[dict[str, Any]] = []
        self.sessions: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.loaded: set[str] = set()

    @property
    def data_ready(self) -> bool:
        """Sessions, conflicts and the obligations open now are on screen (the history may still be coming)."""
        return {"sessions", "obligations", "conflicts"} <= self.loaded

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static(_("Obligations needing attention"), classes="section-title")
        yield DataTable(id="obligations", cursor_type="row", zebra_stripes=True)
        yield Static("", id="obligation-detail")
        with Horizontal(id="lower"):
            with Vertical(id="upcoming-pane"):
                yield Static(_("Upcoming sessions"), classes="section-title")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Static(_("Open conflicts"), classes="section-title")
                yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
        yield from self.frame_bottom()

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def headers(self, name: str) -> list[str]:
        if name == "obligations":
            return [_("Status"), _("Project"), _("Obligation"), _("Period"), _("Window"), _("Working days left")] + [
                _("Reason")
            ]
        if name == "sessions":
            return [_("Session"), _("Days"), _("Course"), _("Status"), _("Trainers")]
        return [_("Day"), _("Conflict"), _("Sessions")]

    def on_mount(self) -> None:
        for name in ("obligations", "sessions", "conflicts"):
            fill_table(self.table(name), self.headers(name), [])
        # The frame first: a worker started now would compete with the first paint for the interpreter.
        self.call_after_refresh(self.action_refresh)

    def action_refresh(self) -> None:
        self.loaded.clear()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app = self.lms
        try:
            calendar = self.calendar()
            with Session(app.engine) as session:
                upcoming = upcoming_sessions(session, app.today)
                for row in upcoming:
                    row["calendar_provisional"] = depends_on_provisional(calendar, row["first_day"], row["last_day"])
                self.post_message(self.SessionsLoaded(upcoming))
                self.post_message(self.ObligationsLoaded(attention_periods(session, calendar, app.today), False))
                conflicts = [c.as_dict() for c in find_conflicts(session, calendar, app.today)]
                self.post_message(self.ConflictsLoaded(conflicts))
                # Seconds of work on a big history: stop when the screen goes (the app cannot quit mid-thread).
                worker = get_current_worker()
                settled = attention_periods(
                    session, calendar, app.today, settled=True, stop=lambda: worker.is_cancelled
                )
                if not worker.is_cancelled:
                    self.post_message(self.ObligationsLoaded(settled, True))
        except LmsError as error:
            self.fail(error)

    def on_dashboard_screen_sessions_loaded(self, message: SessionsLoaded) -> None:
        self.sessions = message.rows
        english = current_language() == "en"
        rows = [
            (
                row["code"],
                short_span(row["first_day"], row["last_day"]),
                clip(row["course_en"] if english else row["course_zh"], 14),
                session_status(row["status"], row.get("calendar_provisional", False)),
                clip(row["trainers"], 12),
            )
            for row in message.rows
        ]
        fill_table(self.table("sessions"), self.headers("sessions"), rows)
        self.arrived("sessions")

    def on_dashboard_screen_obligations_loaded(self, message: ObligationsLoaded) -> None:
        rows = message.rows if not message.settled else self.obligations + message.rows
        rows.sort(key=lambda p: (STATUS_ORDER.get(p["status"], 9), p["window_end"] or dt.date.max))
        self.obligations = rows
        cells = []
        for row in rows[:SHOWN_OBLIGATIONS]:
            label = Text(f" {row['status_label']} ", style=OBLIGATION_STYLES.get(row["status"], ""))
            left = "" if row["working_days_left"] is None else str(row["working_days_left"])
            window = span_text(row["window_start"], row["window_end"])
            period = period_name(row["period"])
            cells.append((label, row["project"], row["obligation"], period, window, left, row["reason"]))
        fill_table(self.table("obligations"), self.headers("obligations"), cells, max_width=90)
        self.arrived("obligations" if not message.settled else "history")

    def on_dashboard_screen_conflicts_loaded(self, message: ConflictsLoaded) -> None:
        self.conflicts = message.rows
        rows = [
            (short_day(row["day"]), Text(kind_label(row["kind"]), style="red"), ", ".join(row["sessions"]))
            for row in message.rows
        ]
        fill_table(self.table("conflicts"), self.headers("conflicts"), rows)
        self.arrived("conflicts")

    def arrived(self, part: str) -> None:
        self.loaded.add(part)
        counts = _(
            # counts first would need plural forms ("1 conflicts"); a label and its count reads right for any count
            "obligations needing attention: {obligations} · upcoming sessions: {sessions} · conflicts: {conflicts}"
        ).format(obligations=len(self.obligations), sessions=len(self.sessions), conflicts=len(self.conflicts))
        if len(self.obligations) > SHOWN_OBLIGATIONS:
            counts += " " + _("(the {count} most urgent shown)").format(count=SHOWN_OBLIGATIONS)
        if "history" not in self.loaded:
            counts += " · " + _("checking earlier periods…")
        self.set_status(counts)

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return
        row = focused.cursor_row
        if focused.id == "obligations":
            self.lms.action_show("projects", project=self.obligations[row]["project"])
        elif focused.id == "sessions":
            self.lms.open_session(self.sessions[row]["code"])
        elif focused.id == "conflicts":
            self.lms.open_session(self.conflicts[row]["sessions"][0])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "obligations" and event.cursor_row < len(self.obligations):
            row = self.obligations[event.cursor_row]
            text = Text(f"{row['project']} {row['obligation']} {period_name(row['period'])}: ", style="bold")
            text.append(row["reason"])
            self.query_one("#obligation-detail", Static).update(text)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def export_selection(self) -> ExportChoice | None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            if focused.id == "obligations":
                return project_export(self.obligations[focused.cursor_row]["project"])
            if focused.id == "sessions" and self.sessions[focused.cursor_row]["project"]:
                return project_export(self.sessions[focused.cursor_row]["project"])
        return None
