"""A form that loads and saves a hand-kept record itself, in workers: a save from a stale version is refused with
who changed the record and when, and the form offers to reload what is stored now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlmodel import Session
from textual import work
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from lms.access.edits import StaleEdit
from lms.db import session_scope
from lms.errors import LmsError
from lms.i18n import _
from scheduler_tui import keys
from scheduler_tui.screens.form_dialog import FormDialog
from scheduler_tui.screens.unsaved_dialog import Answer, UnsavedDialog


class EditForm(FormDialog[str]):
    """Subclasses compose the fields (with ``#problem`` and a hidden ``#reload`` button) and implement
    ``load_values``, ``fill_form``, ``read_form`` and ``store``. Dismisses with the saved record's code."""

    BINDINGS = keys.EDIT_FORM

    @dataclass
    class Loaded(Message):
        values: dict[str, Any]

    @dataclass
    class Saved(Message):
        code: str

    @dataclass
    class Failed(Message):
        reason: str
        stale: bool

    loaded_version: int | None = None
    pristine: dict[str, Any] | None = None  # the fields as loaded: Escape with anything else asks first

    @property
    def engine(self) -> Any:
        return cast(Any, self.app).engine

    def load_values(self, session: Session) -> dict[str, Any]:
        raise NotImplementedError

    def fill_form(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def read_form(self) -> dict[str, Any]:
        """The fields as the service takes them; raises ``LmsError`` for what cannot be read."""
        raise NotImplementedError

    def store(self, session: Session, values: dict[str, Any]) -> str:
        raise NotImplementedError

    def problem(self, text: str, *, stale: bool = False) -> None:
        self.query_one("#problem", Static).update(text)
        self.query_one("#reload", Button).display = stale

    @work(thread=True, exclusive=True, group="form-load")
    def load(self) -> None:
        try:
            with Session(self.engine) as session:
                values = self.load_values(session)
        except LmsError as error:
            self.post_message(self.Failed(str(error), False))
            return
        self.post_message(self.Loaded(values))

    def on_edit_form_loaded(self, message: Loaded) -> None:
        self.loaded_version = message.values.get("version")
        self.fill_form(message.values)
        self.problem("")
        self.pristine = self.field_values()

    def field_values(self) -> dict[str, Any]:
        """What every field holds now, by id (to tell whether anything was changed since the load)."""
        values: dict[str, Any] = {}
        for widget in self.query("Input, Select, Checkbox, TextArea"):
            if isinstance(widget, TextArea):
                values[widget.id or ""] = widget.text
            elif isinstance(widget, Input | Select | Checkbox):
                values[widget.id or ""] = widget.value
        return values

    def action_cancel(self) -> None:
        """Close, asking first when a field was changed: save, discard, or go back to the form."""
        if self.pristine is None or self.field_values() == self.pristine:
            self.dismiss(None)
            return

        def answered(answer: Answer | None) -> None:
            if answer == "save":
                self.submit()
            elif answer == "discard":
                self.dismiss(None)

        title = self.query(".dialog-title").first(Static).render()
        self.app.push_screen(UnsavedDialog(str(title)), answered)

    def action_save(self) -> None:
        self.submit()

    def submit(self) -> None:
        try:
            values = self.read_form()
        except LmsError as error:
            self.problem(str(error))
            return
        self.save(values)

    @work(thread=True, exclusive=True, group="form-save")
    def save(self, values: dict[str, Any]) -> None:
        try:
            with session_scope(self.engine) as session:
                code = self.store(session, values)
        except StaleEdit as error:
            self.post_message(self.Failed(str(error), True))
            return
        except LmsError as error:
            self.post_message(self.Failed(str(error), False))
            return
        self.post_message(self.Saved(code))

    def on_edit_form_failed(self, message: Failed) -> None:
        self.problem(message.reason, stale=message.stale)

    def on_edit_form_saved(self, message: Saved) -> None:
        self.dismiss(message.code)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.prevent_default()  # Textual would call FormDialog's handler too, saving or closing a second time
        if event.button.id == "reload":
            self.problem(_("reloading what is stored now…"))
            self.load()
        elif event.button.id in ("ok", "save"):
            self.submit()
        elif event.button.id == "cancel":
            self.action_cancel()
