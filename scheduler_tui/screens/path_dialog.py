"""A small dialog asking for a file path (to write a calendar, or to read a staff list); returns it or None."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from lms.i18n import _
from scheduler_tui.screens.form_dialog import FormDialog


class PathDialog(FormDialog[Path]):
    def __init__(self, title: str, path: Path | str = "", *, must_exist: bool = False, help_text: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.help_text = help_text
        self.initial = str(path)
        self.must_exist = must_exist

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            if self.help_text:
                yield Static(self.help_text, id="path-help", classes="dialog-help")
            yield Input(self.initial, placeholder=_("path of the file"), id="path")
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def problem(self, path: Path) -> str | None:
        """Why the path will not do, checked here so the dialog stays open for a fix."""
        if not str(path).strip():
            return _("give a file path")
        if self.must_exist and not path.is_file():
            return _("no such file: {path}").format(path=path)
        if not self.must_exist and not path.parent.is_dir():
            return _("the folder does not exist: {folder}").format(folder=path.parent)
        if not self.must_exist and path.is_dir():
            return _("is a folder, not a file")
        return None

    def submit(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        problem = self.problem(path)
        if problem:
            self.query_one("#problem", Static).update(problem)
            return
        self.dismiss(path)
