"""Dashboard: obligations by urgency with working days left, the next sessions, open conflicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from lms.conflicts import kind_label
from lms.i18n import _, current_language
from lms.obligations import status_label as obligation_status_label
from lms.overview import dashboard_data
from lms.workdays import get_calendar

STATUS_STYLES = {
    "overdue": "bold white on red",
    "at_risk": "bold black on yellow",
    "partly_met": "black on dark_orange",
    "planned": "cyan",
    "waiting": "dim",
    "met": "green",
}


def session_status_label(status: str) -> str:
    labels = {"planned": _("planned"), "confirmed": _("confirmed"), "held": _("held"), "cancelled": _("cancelled")}
    return labels.get(status, status)


class DashboardScreen(Screen[None]):
    BINDINGS = [Binding("r", "refresh", _("Refresh"))]

    @dataclass
    class DataLoaded(Message):
        data: dict[str, list[dict[str, Any]]]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Obligations needing attention"), classes="section-title")
        yield DataTable(id="obligations", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="lower"):
            with Vertical():
                yield Static(_("Upcoming sessions"), classes="section-title")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Static(_("Open conflicts"), classes="section-title")
                yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
        yield Static(_("Loading…"), id="status")
        yield Footer()

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def on_mount(self) -> None:
        self.table("obligations").add_columns(
            _("Status"), _("Project"), _("Obligation"), _("Period"), _("Window"), _("Working days left"), _("Reason")
        )
        self.table("sessions").add_columns(_("Session"), _("Course"), _("From"), _("To"), _("Status"), _("Trainers"))
        self.table("conflicts").add_columns(_("Day"), _("Conflict"), _("Sessions"))
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app: Any = self.app
        with Session(app.engine) as session:
            data = dashboard_data(session, get_calendar(pm=app.pm), app.today)
        self.post_message(self.DataLoaded(data))

    def on_dashboard_screen_data_loaded(self, message: DataLoaded) -> None:
        english = current_language() == "en"
        obligations = self.table("obligations")
        obligations.clear()
        for row in message.data["obligations"]:
            label = Text(f" {obligation_status_label(row['status'])} ", style=STATUS_STYLES.get(row["status"], ""))
            window = f"{_date(row['window_start'])} – {_date(row['window_end'])}" if row["window_end"] else "—"
            left = "" if row["working_days_left"] is None else str(row["working_days_left"])
            obligations.add_row(label, row["project"], row["obligation"], row["period"], window, left, row["reason"])
        sessions = self.table("sessions")
        sessions.clear()
        for row in message.data["sessions"]:
            sessions.add_row(
                row["code"],
                row["course_en"] if english else row["course_zh"],
                _date(row["first_day"]),
                _date(row["last_day"]),
                session_status_label(row["status"]),
                row["trainers"],
            )
        conflicts = self.table("conflicts")
        conflicts.clear()
        for row in message.data["conflicts"]:
            conflicts.add_row(_date(row["day"]), Text(kind_label(row["kind"]), style="red"), ", ".join(row["sessions"]))
        self.query_one("#status", Static).update(
            _("{obligations} obligations need attention, {sessions} upcoming sessions, {conflicts} conflicts").format(
                obligations=len(message.data["obligations"]),
                sessions=len(message.data["sessions"]),
                conflicts=len(message.data["conflicts"]),
            )
        )


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
