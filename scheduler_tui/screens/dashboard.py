"""Dashboard: projects with their acceptance dates and the next sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from lms.i18n import _, current_language
from lms.overview import project_rows, upcoming_sessions


def status_label(status: str) -> str:
    labels = {
        "planned": _("planned"),
        "confirmed": _("confirmed"),
        "held": _("held"),
        "cancelled": _("cancelled"),
    }
    return labels.get(status, status)


class DashboardScreen(Screen[None]):
    BINDINGS = [Binding("r", "refresh", _("Refresh"))]

    @dataclass
    class DataLoaded(Message):
        projects: list[dict[str, Any]]
        sessions: list[dict[str, Any]]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Projects"), classes="section-title")
        yield DataTable(id="projects", cursor_type="row", zebra_stripes=True)
        yield Static(_("Upcoming sessions"), classes="section-title")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static(_("Loading…"), id="status")
        yield Footer()

    @property
    def projects_table(self) -> DataTable[Any]:
        return self.query_one("#projects", DataTable)

    @property
    def sessions_table(self) -> DataTable[Any]:
        return self.query_one("#sessions", DataTable)

    def on_mount(self) -> None:
        self.projects_table.add_columns(
            _("Project"),
            _("Name"),
            _("Buyer"),
            _("City"),
            _("Acceptance (planned)"),
            _("Acceptance (actual)"),
        )
        self.sessions_table.add_columns(
            _("Session"), _("Course"), _("Project"), _("From"), _("To"), _("Status"), _("Trainers")
        )
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        engine = self.app.engine  # type: ignore[attr-defined]
        today = self.app.today  # type: ignore[attr-defined]
        with Session(engine) as session:
            projects = project_rows(session)
            sessions = upcoming_sessions(session, today)
        self.post_message(self.DataLoaded(projects, sessions))

    def on_dashboard_screen_data_loaded(self, message: DataLoaded) -> None:
        english = current_language() == "en"
        self.projects_table.clear()
        for row in message.projects:
            self.projects_table.add_row(
                row["code"],
                row["name_en"] if english else row["name_zh"],
                row["buyer_en"] if english else row["buyer_zh"],
                row["city"],
                _date(row["acceptance_planned"]),
                _date(row["acceptance_actual"]) or "—",
            )
        self.sessions_table.clear()
        for row in message.sessions:
            self.sessions_table.add_row(
                row["code"],
                row["course_en"] if english else row["course_zh"],
                row["project"],
                _date(row["first_day"]),
                _date(row["last_day"]),
                status_label(row["status"]),
                row["trainers"],
            )
        self.query_one("#status", Static).update(
            _("{projects} projects, {sessions} upcoming sessions").format(
                projects=len(message.projects), sessions=len(message.sessions)
            )
        )


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
