"""Sessions: every session, filtered and paged in SQL; create, edit (move, trainers), confirm or cancel."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.widgets import Input

from lms.db import session_scope
from lms.errors import LmsError
from lms.i18n import _
from lms.models.lookup import session_by_code
from lms.scheduling.sessions import set_status
from scheduler_tui import keys
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.screens.confirm_dialog import ConfirmDialog
from scheduler_tui.widgets.session_picker import SessionPicker


class SessionsScreen(LmsScreen):
    PLACE = "sessions"
    BINDINGS = keys.SESSIONS

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield SessionPicker(id="picker")
        yield from self.frame_bottom()

    @property
    def picker(self) -> SessionPicker:
        return self.query_one(SessionPicker)

    def on_mount(self) -> None:
        self.picker.table.focus()

    def on_session_picker_highlighted(self, _message: SessionPicker.Highlighted) -> None:
        self.set_status(self.picker.summary() + " · " + _("PageDown at the last row loads the next page"))

    def on_session_picker_chosen(self, message: SessionPicker.Chosen) -> None:
        self.lms.open_session(message.row["code"])

    def action_refresh(self) -> None:
        self.picker.reload()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_new(self) -> None:
        self.lms.open_session(None)

    def action_edit(self) -> None:
        if self.picker.current:
            self.lms.open_session(self.picker.current["code"])

    def action_confirm_session(self) -> None:
        row = self.picker.current
        if row and row["status"] == "planned":
            self.change_status(row["code"], "confirmed")

    def action_cancel_session(self) -> None:
        row = self.picker.current
        if not row or row["status"] == "cancelled":
            return
        question = _("Cancel session {code} ({first})? Trainers get a cancellation in their next calendar file.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.change_status(row["code"], "cancelled")

        dialog = ConfirmDialog(question.format(code=row["code"], first=row["first_day"]), _("Cancel the session"))
        self.app.push_screen(dialog, answered)

    @work(thread=True, exclusive=True, group="status")
    def change_status(self, code: str, status: str) -> None:
        try:
            with session_scope(self.lms.engine) as session:
                training = session_by_code(session, code)
                set_status(session, training, status, pm=self.lms.pm)
        except LmsError as error:
            self.fail(error)
            return
        self.app.call_from_thread(self.picker.reload)

    def export_selection(self) -> ExportChoice | None:
        row = self.picker.current
        return project_export(row["project"]) if row and row["project"] else None

    def restart_args(self) -> dict[str, Any]:
        return {}
