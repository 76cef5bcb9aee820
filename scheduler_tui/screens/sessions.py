"""Sessions: every session, filtered and paged in SQL; create, edit (move, trainers), confirm, cancel, close or
duplicate. The status line says why a session whose days are over is not held yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.widgets import Input

from lms.db import session_scope
from lms.errors import LmsError
from lms.i18n import _
from lms.models.lookup import session_by_code
from lms.scheduling import lifecycle
from lms.scheduling.session_new import duplicate_session
from scheduler_tui import keys
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.screens.confirm_dialog import ConfirmDialog
from scheduler_tui.screens.date_dialog import DateDialog
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
        self.settle()

    @work(thread=True, exclusive=True, group="status")
    def settle(self) -> None:
        """Sessions whose attendance shows them held read "held" (written once, then the list reloads)."""
        with session_scope(self.lms.engine) as session:
            changed = lifecycle.settle_all(session, self.lms.today, self.lms.pm)
        if changed:
            self.app.call_from_thread(self.picker.reload)

    def on_session_picker_highlighted(self, _message: SessionPicker.Highlighted) -> None:
        status = self.picker.summary() + " · " + _("PageDown at the last row loads the next page")
        row = self.picker.current
        if row and row["override_reason"]:  # as `lms sessions show` says it
            status = _("{code} confirmed despite open problems by {who}: {reason}").format(
                code=row["code"], who=row["override_by"] or "—", reason=row["override_reason"]
            )
        if row and row["status"] in lifecycle.OPEN and row["last_day"] < self.lms.today:
            with session_scope(self.lms.engine) as session:
                training = session_by_code(session, row["code"])
                reasons = lifecycle.held_check(session, training, self.lms.today).reasons
            status = _("{code} is not held yet: {reasons}").format(code=row["code"], reasons="; ".join(reasons))
        self.set_status(status)

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
        if row:
            self.change_status(row["code"], "confirmed")

    def action_close_session(self) -> None:
        row = self.picker.current
        if row:
            self.change_status(row["code"], "closed")

    def action_duplicate(self) -> None:
        row = self.picker.current
        if not row:
            return

        def chosen(start: dt.date | None) -> None:
            if start is not None:
                self.duplicate(row["code"], start)

        title = _("Copy {code} to a new first day (no roster, no attendance)").format(code=row["code"])
        self.app.push_screen(DateDialog(title, row["first_day"]), chosen)

    @work(thread=True, exclusive=True, group="status")
    def duplicate(self, code: str, start: dt.date) -> None:
        try:
            with session_scope(self.lms.engine) as session:
                source = session_by_code(session, code)
                copy = duplicate_session(session, self.lms.workday_calendar(), source, start, pm=self.lms.pm)
                copied = copy.code
        except LmsError as error:
            self.fail(error)
            return
        self.app.call_from_thread(self.set_status, _("planned session {code}").format(code=copied))
        self.app.call_from_thread(self.picker.reload)

    def action_cancel_session(self) -> None:
        row = self.picker.current
        if not row:
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
                if status == "confirmed":
                    calendar = self.lms.workday_calendar()
                    lifecycle.confirm_session(
                        session, training, calendar=calendar, today=self.lms.today, pm=self.lms.pm
                    )
                elif status == "cancelled":
                    lifecycle.cancel_session(session, training, pm=self.lms.pm)
                else:
                    lifecycle.close_session(session, training, self.lms.today, pm=self.lms.pm)
        except LmsError as error:
            self.fail(error)
            return
        self.app.call_from_thread(self.picker.reload)

    def export_selection(self) -> ExportChoice | None:
        row = self.picker.current
        return project_export(row["project"]) if row and row["project"] else None

    def restart_args(self) -> dict[str, Any]:
        return {}
