"""Roster and attendance: pick a session, import the buyer's staff list (Excel, CSV in UTF-8/BOM/GBK or UTF-16 text —
the format found is reported; a file with a bad row imports nobody and every problem is listed with its row and
column), add, remove or replace one person, and mark who was present on each day."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from lms.db import session_scope
from lms.errors import LmsError
from lms.i18n import _
from lms.scheduling.attendance import AttendanceSheet, attendance_sheet, record_attendance
from lms.scheduling.roster_changes import RemovalNeedsReason, RosterChange
from lms.scheduling.roster_columns import columns_help
from lms.scheduling.rosters import RosterFileError, RosterImport, import_roster
from scheduler_tui import keys
from scheduler_tui.labels import session_status_label
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.screens.path_dialog import PathDialog
from scheduler_tui.screens.text_dialog import TextDialog
from scheduler_tui.widgets.session_picker import SessionPicker
from scheduler_tui.widgets.tables import fill_table

INFO_COLUMNS = 3  # name, code, title; the days follow
MARKS = {True: Text("✓", style="bold green"), False: Text("✗", style="bold red"), None: Text("·", style="dim")}


class RosterScreen(LmsScreen):
    PLACE = "roster"
    BINDINGS = keys.ROSTER

    @dataclass
    class SheetLoaded(Message):
        sheet: AttendanceSheet

    @dataclass
    class RosterImported(Message):
        result: RosterImport

    @dataclass
    class RosterRejected(Message):
        path: Path
        problems: list[str]

    @dataclass
    class RosterChanged(Message):
        change: RosterChange

    @dataclass
    class ReasonNeeded(Message):
        """Removing (or replacing) this person needs a reason: they have attendance or attempts here."""

        question: str
        person: str
        replacement: str | None

    def __init__(self, session_code: str | None = None, filter_text: str = "") -> None:
        super().__init__()
        self.session_code = session_code
        self.filter_text = filter_text
        self.project: str = ""
        self.sheet: AttendanceSheet | None = None

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        with Horizontal(id="roster-body"):
            yield SessionPicker(compact=True, text=self.filter_text, select=self.session_code, id="roster-picker")
            with Vertical(id="roster-right"):
                yield Static(_("Choose a session on the left"), id="sheet-title", classes="section-title")
                yield DataTable(id="sheet", cursor_type="cell", zebra_stripes=True)
                yield Static("", id="import-report")
        yield from self.frame_bottom("")

    @property
    def picker(self) -> SessionPicker:
        return self.query_one(SessionPicker)

    def on_mount(self) -> None:
        self.picker.table.focus()

    def restart_args(self) -> dict[str, Any]:
        """The session shown stays chosen and the filter keeps what the trainer typed (not the session's code)."""
        return {"session_code": self.session_code, "filter_text": self.query_one("#filter", Input).value}

    def on_session_picker_highlighted(self, message: SessionPicker.Highlighted) -> None:
        if message.row is None:
            return
        self.project = message.row["project"]
        if message.row["code"] != self.session_code or self.sheet is None:
            self.session_code = message.row["code"]
            self.sheet = None  # space and a do nothing until the new session's days are on screen
            self.query_one("#import-report", Static).update("")
            self.load_sheet(self.session_code)

    def on_session_picker_chosen(self, _message: SessionPicker.Chosen) -> None:
        self.query_one("#sheet", DataTable).focus()

    @work(thread=True, exclusive=True, group="sheet")
    def load_sheet(self, code: str) -> None:
        try:
            with Session(self.lms.engine) as session:
                self.post_message(self.SheetLoaded(attendance_sheet(session, session_code=code, today=self.lms.today)))
        except LmsError as error:
            self.fail(error)

    def on_roster_screen_sheet_loaded(self, message: SheetLoaded) -> None:
        if message.sheet.code != self.session_code:
            return  # the trainer has moved on to another session since
        another_session = self.sheet is None or self.sheet.code != message.sheet.code
        sheet = self.sheet = message.sheet
        headers = [_("Person's name"), _("Code"), _("Job title"), *(f"{day:%m-%d}" for _id, day in sheet.days)]
        rows = [
            (line.name, line.code, line.title, *(MARKS[line.marks[day_id]] for day_id, _day in sheet.days))
            for line in sheet.lines
        ]
        table = self.query_one("#sheet", DataTable)
        column = table.cursor_coordinate.column
        fill_table(table, headers, rows)
        if another_session or column >= len(table.columns):
            column = self.first_day_column(sheet)
        if table.row_count:
            table.move_cursor(row=min(table.cursor_row, table.row_count - 1), column=column, animate=False)
        self.query_one("#sheet-title", Static).update(
            _("{code} · {status} · {count} on the roster, {capacity} places").format(
                code=sheet.code,
                status=session_status_label(sheet.status),
                count=len(sheet.lines),
                capacity=sheet.capacity,
            )
        )
        hint = _("space: present/absent on the day under the cursor · a: everyone present that day")
        if sheet.not_held_because:
            hint = _("not held yet: {reason}").format(reason="; ".join(sheet.not_held_because)) + " · " + hint
        self.set_status(hint)

    def first_day_column(self, sheet: AttendanceSheet) -> int:
        """Where the cursor goes on a session just chosen: today's column while it runs, else its first day."""
        days = [day for _id, day in sheet.days]
        return INFO_COLUMNS + (days.index(self.lms.today) if self.lms.today in days else 0)

    def cursor_day(self) -> tuple[int, list[int]] | None:
        """The session day under the cursor and the person on that row, if the cursor is on a day."""
        table = self.query_one("#sheet", DataTable)
        if self.sheet is None or not self.sheet.lines:
            return None
        row, column = table.cursor_coordinate
        if column < INFO_COLUMNS:
            self.notify(_("Move the cursor onto a day column first."))
            return None
        return self.sheet.days[column - INFO_COLUMNS][0], [self.sheet.lines[row].person_id]

    def action_toggle_present(self) -> None:
        found = self.cursor_day()
        if found and self.sheet:
            day_id, people = found
            line = next(line for line in self.sheet.lines if line.person_id == people[0])
            self.mark(day_id, people, line.marks[day_id] is not True)

    def action_all_present(self) -> None:
        found = self.cursor_day()
        if found and self.sheet:
            self.mark(found[0], [line.person_id for line in self.sheet.lines], True)

    @work(thread=True, exclusive=True, group="mark")
    def mark(self, day_id: int, people: list[int], present: bool) -> None:
        app = self.lms
        try:
            with session_scope(app.engine) as session:
                record_attendance(session, session_day_id=day_id, person_ids=people, present=present, today=app.today)
        except LmsError as error:
            self.fail(error)
            return
        if self.session_code:
            self.app.call_from_thread(self.load_sheet, self.session_code)

    def action_import_roster(self) -> None:
        if not self.session_code:
            return
        code = self.session_code
        dialog = PathDialog(
            _("Import the staff list onto {code}: Excel, CSV (UTF-8 or GBK) or Unicode text").format(code=code),
            str(Path.cwd()) + "/",
            must_exist=True,
            help_text=_("The first row names the columns:") + "\n" + columns_help(),
        )

        def chosen(path: Path | None) -> None:
            if path:
                self.import_file(code, path)

        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=True, group="mark")
    def import_file(self, code: str, path: Path) -> None:
        try:
            with session_scope(self.lms.engine) as session:
                result = import_roster(session, session_code=code, path=path)
        except RosterFileError as error:
            self.post_message(self.RosterRejected(path, [str(problem) for problem in error.problems]))
            return
        except LmsError as error:
            self.post_message(self.RosterRejected(path, [str(error)]))
            return
        self.post_message(self.RosterImported(result))

    def on_roster_screen_roster_imported(self, message: RosterImported) -> None:
        result = message.result
        text = "\n".join(result.summary())
        self.query_one("#import-report", Static).update(Text(text, style="green"))
        self.notify(_("imported, read as {encoding}").format(encoding=result.encoding))
        self.load_sheet(result.session_code)
        self.picker.reload()

    def on_roster_screen_roster_rejected(self, message: RosterRejected) -> None:
        report = Text(_("Nothing was imported. Fix these lines and import again:") + "\n", style="bold red")
        for problem in message.problems[:12]:  # the folder is in the dialog already; the name is enough here
            report.append(f"  {problem.replace(str(message.path), message.path.name)}\n", style="red")
        if len(message.problems) > 12:
            report.append("  " + _("… and {count} more").format(count=len(message.problems) - 12), style="red")
        self.query_one("#import-report", Static).update(report)
        self.notify(message.problems[0], severity="error", timeout=10)

    def cursor_person(self) -> tuple[str, str] | None:
        """(code, name) of the person on the row under the cursor."""
        if self.sheet is None or not self.sheet.lines:
            self.notify(_("The roster is empty."))
            return None
        line = self.sheet.lines[self.query_one("#sheet", DataTable).cursor_coordinate.row]
        return line.code, line.name

    def action_add_person(self) -> None:
        if not self.session_code:
            return
        dialog = TextDialog(
            _("Add to the roster of {code}").format(code=self.session_code),
            placeholder=_("person code or ID number"),
        )

        def chosen(person: str | None) -> None:
            if person:
                self.change_roster("add", person)

        self.app.push_screen(dialog, chosen)

    def action_remove_person(self) -> None:
        if not (self.session_code and (found := self.cursor_person())):
            return
        from scheduler_tui.screens.confirm_dialog import ConfirmDialog

        code = found[0]
        question = _("Take {name} ({code}) off the roster of {session}?").format(
            name=found[1], code=code, session=self.session_code
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.change_roster("remove", code)

        self.app.push_screen(ConfirmDialog(question, _("Remove")), answered)

    def action_replace_person(self) -> None:
        if not (self.session_code and (found := self.cursor_person())):
            return
        code = found[0]
        dialog = TextDialog(
            _("Who takes the place of {name} ({code})?").format(name=found[1], code=code),
            placeholder=_("person code or ID number"),
        )

        def chosen(other: str | None) -> None:
            if other:
                self.change_roster("replace", code, other)

        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=True, group="mark")
    def change_roster(self, how: str, person: str, replacement: str | None = None, reason: str | None = None) -> None:
        from lms.scheduling.roster_changes import add_person, remove_person, replace_person

        code = self.session_code or ""
        try:
            with session_scope(self.lms.engine) as session:
                if how == "add":
                    change = add_person(session, session_code=code, person=person)
                elif how == "remove":
                    change = remove_person(session, session_code=code, person=person, force_reason=reason)
                else:
                    change = replace_person(
                        session, session_code=code, person=person, replacement=replacement or "", force_reason=reason
                    )
        except RemovalNeedsReason as needed:
            self.post_message(self.ReasonNeeded(str(needed.message), person, replacement))
            return
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.RosterChanged(change))

    def on_roster_screen_reason_needed(self, message: ReasonNeeded) -> None:
        dialog = TextDialog(
            _("Give the reason to change the roster anyway (kept in the audit log)"),
            help_text=message.question.split(";")[0],
            placeholder=_("reason"),
        )
        how = "replace" if message.replacement else "remove"

        def given(reason: str | None) -> None:
            if reason:
                self.change_roster(how, message.person, message.replacement, reason)

        self.app.push_screen(dialog, given)

    def on_roster_screen_roster_changed(self, message: RosterChanged) -> None:
        style = "yellow" if message.change.over_capacity else "green"
        self.query_one("#import-report", Static).update(Text("\n".join(message.change.summary()), style=style))
        self.load_sheet(message.change.session_code)
        self.picker.reload()

    def action_print_signin(self) -> None:
        """Write the session's sign-in sheet (one page per day) as a PDF where the trainer says."""
        if not self.session_code:
            return
        code = self.session_code
        dialog = PathDialog(
            _("Write the sign-in sheet of {code} as a PDF").format(code=code), Path.cwd() / f"signin-{code}.pdf"
        )

        def chosen(path: Path | None) -> None:
            if path:
                self.print_signin(code, path)

        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=True, group="print")
    def print_signin(self, code: str, path: Path) -> None:
        from lms.cli.support import write_document
        from lms.documents.signin_sheets import signin_sheet

        try:
            with Session(self.lms.engine) as session:
                sheet = signin_sheet(session, code)
            write_document(self.lms.pm, "signin_sheet", sheet, path)
        except LmsError as error:
            self.fail(error)
            return
        self.app.call_from_thread(self.notify, _("wrote {file}").format(file=path))

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def export_selection(self) -> ExportChoice | None:
        return project_export(self.project) if self.project else None
