"""Session editor: a form for a new session or an existing one (move it, change trainers or place). Each change is
tried against the schedule in a worker (a transaction rolled back) and the conflicts it would cause are listed as
you type; field problems show under their fields. Dismisses with the session code when saved, else None."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, cast

from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Header, Input, Label, Select, Static

from lms.access.edits import StaleEdit
from lms.calendars.workdays import CalendarCoverageError, working_days_after
from lms.db import session_scope
from lms.errors import LmsError
from lms.evidence.labels import mode_label
from lms.i18n import _
from lms.scheduling.session_forms import (
    MODES,
    DraftCheck,
    SessionDraft,
    apply_draft,
    check_draft,
    draft_of,
    form_choices,
    validate,
)
from lms.scheduling.sessions import AttendanceOnDroppedDays
from scheduler_tui import keys
from scheduler_tui.screens.confirm_dialog import ConfirmDialog
from scheduler_tui.screens.unsaved_dialog import Answer, UnsavedDialog
from scheduler_tui.widgets.footer import LmsFooter
from scheduler_tui.widgets.session_form_text import conflicts_text, days_text, list_options, trainer_options
from scheduler_tui.widgets.trainer_checklist import TrainerChecklist

if TYPE_CHECKING:
    from scheduler_tui.host import PlanningHost

CHECK_DELAY = 0.3  # seconds of quiet before trying the form against the schedule
TEXT_FIELDS = ("place", "city", "first_day", "day_count", "capacity")
SELECT_FIELDS = ("course", "project", "obligation", "mode", "room")


class SessionEditorScreen(Screen[str | None]):
    BINDINGS = keys.EDITOR
    # below 110 columns the trainers, days and conflicts go under the fields instead of beside them (app.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    @dataclass
    class FormLoaded(Message):
        choices: dict[str, list[dict[str, Any]]]
        draft: SessionDraft

    @dataclass
    class DraftChecked(Message):
        check: DraftCheck

    @dataclass
    class SessionSaved(Message):
        code: str
        conflicts: int

    def __init__(self, code: str | None = None, **initial: Any) -> None:
        super().__init__()
        self.code = code
        self.initial = SessionDraft(**{f.name: initial[f.name] for f in fields(SessionDraft) if f.name in initial})
        self.choices: dict[str, list[dict[str, Any]]] = {}
        self.ready = False
        self.timer: Timer | None = None
        self.last_check: DraftCheck | None = None
        self.period_label: str | None = None
        self.loaded_version: int | None = None  # the session's version the form shows; saves are checked against it
        self.offered_project: Any = Select.NULL
        self.pristine: SessionDraft | None = None  # the form as loaded: leaving with anything else asks first
        self.shown: dict[str, Any] = {}  # each list's value as last handled, to tell a user's change from a stale echo

    @property
    def lms(self) -> PlanningHost:
        return cast("PlanningHost", self.app)

    @property
    def title_text(self) -> str:
        return _("New session") if self.code is None else _("Session {code}").format(code=self.code)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.title_text, id="editor-title", classes="section-title")
        with VerticalScroll(id="editor"):
            with Vertical(id="form"):
                yield from self.field(_("Course"), Select([], id="course", compact=True, prompt=_("choose")))
                yield from self.field(_("Project"), Select([], id="project", compact=True, prompt=_("none")))
                yield from self.field(_("Obligation"), Select([], id="obligation", compact=True, prompt=_("none")))
                modes = [(mode_label(m), m) for m in MODES]
                yield from self.field(_("Mode"), Select(modes, id="mode", compact=True, allow_blank=False))
                room: Select[str] = Select([], id="room", compact=True, prompt=_("no room (at the buyer's site)"))
                yield from self.field(_("Room"), room)
                yield from self.field(_("Place"), Input(id="place", compact=True))
                yield from self.field(_("City"), Input(id="city", compact=True))
                yield from self.field(_("First day"), Input(id="first_day", compact=True, placeholder="YYYY-MM-DD"))
                yield from self.field(_("Working days"), Input(id="day_count", compact=True))
                yield from self.field(_("Capacity"), Input(id="capacity", compact=True))
            with Vertical(id="side"):
                yield Static(_("Trainers (the first chosen leads)"), classes="section-title")
                yield TrainerChecklist(id="trainers")
                yield Static("", id="problem-trainers", classes="problem")
                yield Static(_("Days"), classes="section-title")
                yield Static("", id="days")
                yield Static(_("Conflicts"), classes="section-title")
                yield Static(_("Loading…"), id="conflicts")
        with Horizontal(id="editor-buttons"):  # outside the scrolling part: Save stays in sight at any size
            yield Button(_("Save"), variant="primary", id="save", compact=True)
            yield Button(_("Close"), id="close", compact=True)
        yield LmsFooter()

    def field(self, label: str, widget: Widget) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield widget
        yield Static("", id=f"problem-{widget.id}", classes="problem")

    def on_mount(self) -> None:
        for problem in self.query(".problem"):
            problem.display = False
        self.load()

    @work(thread=True, exclusive=True, group="form")
    def load(self) -> None:
        try:
            with Session(self.lms.engine) as session:
                choices = form_choices(session)
                draft = draft_of(session, self.code) if self.code else self.new_draft()
        except LmsError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.post_message(self.FormLoaded(choices, draft))

    def new_draft(self) -> SessionDraft:
        draft = self.initial
        if not draft.first_day:
            try:
                draft.first_day = working_days_after(self.lms.workday_calendar(), self.lms.today, 1).isoformat()
            except CalendarCoverageError:
                draft.first_day = ""
        return draft

    def on_session_editor_screen_form_loaded(self, message: FormLoaded) -> None:
        self.choices = choices = message.choices
        draft = message.draft
        for name, options in list_options(choices).items():
            self.select(name).set_options(options)
        self.offer_obligations(draft.project)
        for name in SELECT_FIELDS:
            value = getattr(draft, name)
            if value:
                self.select(name).value = value
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(draft, name) or ""
        self.trainer_list.show_trainers(
            trainer_options(choices["trainers"]), draft.trainers
        )  # a reload after someone else's save refills it
        if self.code is not None:  # what a session is for stays; its days, people and place may change
            for name in ("course", "project", "obligation"):
                self.select(name).disabled = True
        self.period_label = draft.period_label
        self.loaded_version = draft.version
        self.shown = {name: self.select(name).value for name in SELECT_FIELDS}
        self.pristine = self.draft()
        self.ready = True
        self.query_one("#course" if self.code is None else "#first_day").focus()
        self.schedule_check()

    @property
    def trainer_list(self) -> TrainerChecklist:
        return self.query_one("#trainers", TrainerChecklist)

    def changed(self) -> bool:
        """Whether the form holds anything its last load or save did not."""
        return self.ready and self.pristine is not None and self.draft() != self.pristine

    def select(self, name: str) -> Select[Any]:
        return cast("Select[Any]", self.query_one(f"#{name}", Select))

    def offer_obligations(self, project: str | None) -> None:
        self.offered_project = project or Select.NULL
        found = next((p for p in self.choices.get("projects", []) if p["code"] == project), None)
        options = [(f"{o['code']} {o['clause_ref']}", o["code"]) for o in (found or {}).get("obligations", [])]
        self.select("obligation").set_options(options)

    def draft(self) -> SessionDraft:
        values: dict[str, Any] = {name: self.query_one(f"#{name}", Input).value for name in TEXT_FIELDS}
        for name in SELECT_FIELDS:
            value = self.select(name).value
            values[name] = None if value == Select.NULL else str(value)
        values["trainers"] = list(self.trainer_list.selected)
        values["period_label"] = self.period_label
        values["version"] = self.loaded_version
        return SessionDraft(**values)

    def on_select_changed(self, event: Select.Changed) -> None:
        name = event.select.id or ""
        # filling the form posts a change for each list (some twice: options, then value); only a real change by
        # the user may refill the place from a room or offer another project's obligations
        if not self.ready or event.value != event.select.value or self.shown.get(name) == event.value:
            return
        self.shown[name] = event.value
        if event.select.id == "project" and event.value != self.offered_project:
            self.offer_obligations(None if event.value == Select.NULL else str(event.value))
            self.fill_place("projects", event.value, "site")
        elif event.select.id == "room":
            self.fill_place("rooms", event.value, "name")
        self.schedule_check()

    def fill_place(self, kind: str, code: Any, place_key: str) -> None:
        """A room or a project suggests the place and city, without overwriting what was typed."""
        found = next((c for c in self.choices.get(kind, []) if c["code"] == code), None)
        if found is None:
            return
        for name, value in (("place", found[place_key]), ("city", found["city"])):
            box = self.query_one(f"#{name}", Input)
            if not box.value.strip() or kind == "rooms":
                box.value = value

    def on_input_changed(self, _event: Input.Changed) -> None:
        if self.ready:
            self.schedule_check()

    def on_selection_list_selected_changed(self, _event: TrainerChecklist.SelectedChanged[str]) -> None:
        if self.ready:
            self.schedule_check()

    def schedule_check(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.set_timer(CHECK_DELAY, lambda: self.check(self.draft()))

    @work(thread=True, exclusive=True, group="check")
    def check(self, draft: SessionDraft) -> None:
        app = self.lms
        try:
            with Session(app.engine) as session:
                result = check_draft(session, app.workday_calendar(), app.today, draft, code=self.code)
        except LmsError as error:
            result = DraftCheck(problems={"first_day": str(error)})
        self.post_message(self.DraftChecked(result))

    def on_session_editor_screen_draft_checked(self, message: DraftChecked) -> None:
        self.last_check = check = message.check
        for problem in self.query(".problem"):
            name = (problem.id or "").removeprefix("problem-")
            text = check.problems.get(name, "")
            cast(Static, problem).update(text)
            problem.display = bool(text)
        self.query_one("#days", Static).update(days_text(self.lms.workday_calendar(), check.days))
        self.query_one("#conflicts", Static).update(conflicts_text(check))

    def action_save(self) -> None:
        if self.ready:
            self.save(self.draft())

    @work(thread=True, exclusive=True, group="check")
    def save(self, draft: SessionDraft, drop_attendance: bool = False) -> None:
        app = self.lms
        calendar = app.workday_calendar()
        try:
            with session_scope(app.engine) as session:
                check = validate(calendar, draft, new=self.code is None)
                if check.problems:
                    self.post_message(self.DraftChecked(check))
                    self.app.call_from_thread(self.point_at_problem, next(iter(check.problems)))
                    return
                training = apply_draft(
                    session, draft, check.days, code=self.code, pm=app.pm, drop_attendance=drop_attendance
                )
                code = training.code
        except StaleEdit as error:
            self.app.call_from_thread(self.offer_reload, str(error))
            return
        except AttendanceOnDroppedDays as error:
            self.app.call_from_thread(self.ask_to_drop, str(error), draft)
            return
        except (LmsError, ValueError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        conflicts = len(self.last_check.conflicts) if self.last_check else 0
        self.post_message(self.SessionSaved(code, conflicts))

    def point_at_problem(self, name: str) -> None:
        """A refused save says so and scrolls to the field at fault (at 80×24 most fields are out of sight)."""
        self.notify(_("Not saved: fix the fields marked in red."), severity="warning")
        field = self.query_one(f"#{name}")
        field.scroll_visible()
        if field.focusable:
            field.focus()

    def offer_reload(self, message: str) -> None:
        """Someone saved the session after this form loaded it: say who and when, and offer to load theirs."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.ready = False
                self.load()

        self.app.push_screen(ConfirmDialog(message, _("Reload the session")), answered)

    def ask_to_drop(self, message: str, draft: SessionDraft) -> None:
        """Dropping days with attendance deletes it: only on an explicit yes (and the move is audited)."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.save(draft, drop_attendance=True)

        self.app.push_screen(ConfirmDialog(message, _("Drop the days and their attendance")), answered)

    def on_session_editor_screen_session_saved(self, message: SessionSaved) -> None:
        text = _("saved {code}").format(code=message.code)
        if message.conflicts:
            text += " " + _("(conflicts still open: {count})").format(count=message.conflicts)
        self.notify(text, severity="warning" if message.conflicts else "information")
        self.pristine = None
        self.dismiss(message.code)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_close()

    def action_close(self) -> None:
        """Close, asking first when something was changed: save it, discard it, or go back to the form."""
        if not self.changed():
            self.dismiss(None)
            return

        def answered(answer: Answer | None) -> None:
            if answer == "save":
                self.action_save()
            elif answer == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedDialog(self.title_text), answered)

    def action_stay(self) -> None:
        """``q`` or a screen key on a list or button: the form stays (it would be lost), and says how to leave."""
        self.notify(_("ctrl+s saves the session, esc closes the form"))
