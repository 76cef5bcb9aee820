"""The State Council's holiday notice, pasted or opened from a file (admin): check it, then import it. The dialog
shows what the notice changes — sessions now on a day off, obligation windows that moved — and returns the year
imported (None when closed without importing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from lms.db import session_scope
from lms.errors import LmsError
from lms.files.limits import HOLIDAY_NOTICES
from lms.files.textfiles import read_text_file
from lms.i18n import _
from lms.projects.periods import period_name
from lms.scheduling.holiday_notices import NoticeImport, import_notice
from scheduler_tui.screens.form_dialog import FormDialog


def describe(result: NoticeImport) -> str:
    """What the notice gives and what it moves, for the dialog."""
    schedule = result.schedule
    template = (
        _("{year} is now official: {off} days off, {working} make-up working days")
        if result.stored
        else _("dry run, nothing stored: {year}, {off} days off, {working} make-up working days")
    )
    lines = [template.format(year=schedule.year, off=len(schedule.days_off), working=len(schedule.working_days))]
    lines += [
        _("{code} ({status}) is on a day off: {days}").format(
            code=found.code, status=found.status, days=", ".join(day.isoformat() for day in found.days)
        )
        for found in result.sessions_on_days_off
    ]
    lines += [
        _("{project}/{obligation} {period}: window {before} → {after}").format(
            project=moved.project,
            obligation=moved.obligation,
            period=period_name(moved.period),
            before="–".join(map(str, moved.before)) if moved.before else "-",
            after="–".join(map(str, moved.after)) if moved.after else "-",
        )
        for moved in result.moved_windows
    ]
    if not result.sessions_on_days_off and not result.moved_windows:
        lines.append(_("no session is on a day off and no obligation window moved"))
    return "\n".join(lines)


class NoticeDialog(FormDialog[int]):
    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self.imported: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box notice-box"):
            yield Label(_("Holiday notice of the State Council (paste it as published)"), classes="dialog-title")
            yield TextArea(id="notice", soft_wrap=True)
            yield Input(placeholder=_("or open a file: path of the notice"), id="path")
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Check"), id="check")
                yield Button(_("Import"), variant="primary", id="ok")
                yield Button(_("Close"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#notice", TextArea).focus()

    def notice_text(self) -> tuple[str, str | None]:
        path = self.query_one("#path", Input).value.strip()
        if path:
            file = Path(path).expanduser()
            return read_text_file(file, HOLIDAY_NOTICES), str(file)
        return self.query_one("#notice", TextArea).text, None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.prevent_default()  # FormDialog's handler would close the dialog on any button but OK
        if event.button.id == "check":
            self.run_import(dry_run=True)
        elif event.button.id == "ok":
            self.submit()
        else:
            self.dismiss(self.imported)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.prevent_default()  # Enter in the path field checks; it does not import
        self.run_import(dry_run=True)

    def submit(self) -> None:
        self.run_import(dry_run=False)

    def action_cancel(self) -> None:
        self.dismiss(self.imported)

    @work(thread=True, exclusive=True)
    def run_import(self, dry_run: bool) -> None:
        app: Any = self.app
        try:
            text, source = self.notice_text()
            with session_scope(app.engine) as session:
                result = import_notice(text, session=session, pm=app.pm, source=source, dry_run=dry_run)
        except LmsError as error:
            self.app.call_from_thread(self.show, str(error))
            return
        if result.stored:
            self.imported = result.schedule.year
        self.app.call_from_thread(self.show, describe(result))

    def show(self, text: str) -> None:
        self.query_one("#problem", Static).update(text)
