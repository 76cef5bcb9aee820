"""Every key binding of the planning app, in one place.

Textual reads ``BINDINGS`` once, when a class is defined, so a label translated there would stay in the language of
that moment. The labels are therefore kept in English and :class:`~scheduler_tui.widgets.footer.LmsFooter`
translates them each time it draws, so ``g`` switches them with everything else.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _(message: str) -> str:
    """Mark a label for ``make i18n`` (pybabel extracts calls to ``_``); deliberately returns the English."""
    return message


# (place, key, label): the screens reached with a number key, from the nav bar or the command palette.
PLACES: tuple[tuple[str, str, str], ...] = (
    ("dashboard", "1", _("Dashboard")),
    ("projects", "2", _("Projects")),
    ("calendar", "3", _("Calendar")),
    ("sessions", "4", _("Sessions")),
    ("autoschedule", "5", _("Auto-schedule")),
    ("roster", "6", _("Roster")),
    ("trainers", "7", _("Trainers")),
    ("skills", "8", _("Skills")),
    ("portfolio", "9", _("Portfolio")),
    ("feedback", "0", _("Feedback")),
    ("masterdata", "m", _("Data")),  # organisations, people, rooms; short so the line fits 120 columns
)

APP: list[BindingType] = [
    *(Binding(key, f"show('{place}')", label, show=False) for place, key, label in PLACES),
    Binding("e", "export", _("Export .ics")),
    Binding("g", "toggle_language", _("中文/English")),
    Binding("q", "quit", _("Quit")),
]
DASHBOARD: list[BindingType] = [
    Binding("enter", "open", _("Open"), show=True),
    Binding("r", "refresh", _("Refresh")),
]
PROJECTS: list[BindingType] = [
    Binding("d", "change_date", _("Change a milestone date")),
    Binding("n", "new_project", _("New project")),
    Binding("m", "edit_project", _("Edit project")),
    Binding("a", "add_obligation", _("Add obligation")),
    Binding("o", "edit_obligation", _("Edit obligation")),
    Binding("r", "refresh", _("Refresh")),
]
CALENDAR: list[BindingType] = [
    Binding("p", "step(-1)", _("Previous")),
    Binding("n", "step(1)", _("Next")),
    Binding("v", "toggle_span", _("Week/month")),
    Binding("l", "toggle_lanes", _("Trainers/rooms")),
    Binding("j", "jump", _("Go to date")),
    Binding("i", "import_notice", _("Holiday notice"), show=False),  # admins only; the palette and README name it
    Binding("t", "today", _("Today"), show=False),
    Binding("enter", "open", _("Open"), show=False),
]
SESSIONS: list[BindingType] = [
    Binding("n", "new", _("New")),
    Binding("enter", "edit", _("Edit"), show=True),
    Binding("f", "confirm_session", _("Confirm")),
    # Short labels: with r the English footer must still fit 120 columns (the confirmation names the session).
    Binding("x", "cancel_session", _("Cancel")),
    Binding("c", "close_session", _("Close")),
    Binding("d", "duplicate", _("Copy")),
    Binding("slash", "filter", _("Filter")),
    Binding("r", "refresh", _("Refresh")),  # shows what other trainers and commands changed meanwhile
]
# Over a form, the app's keys that leave it (q, the screen keys) would throw the form away: they do nothing there.
# (An input still takes them as typed text; these bindings only meet them on a list, a choice or a button.)
LEAVING_KEYS = ("q", *(key for _place, key, _label in PLACES))
EDITOR: list[BindingType] = [
    Binding("ctrl+s", "save", _("Save"), priority=True),
    Binding("escape", "close", _("Close")),
    *(Binding(key, "stay", show=False) for key in LEAVING_KEYS),
]
AUTOSCHEDULE: list[BindingType] = [
    Binding("a", "mark('accepted')", _("Accept")),
    Binding("x", "mark('rejected')", _("Reject")),
    Binding("enter", "edit", _("Edit"), show=True),
    Binding("A", "apply", _("Create accepted")),
    Binding("r", "plan('greedy')", _("Plan")),
    Binding("c", "plan('cpsat')", _("Plan with CP-SAT")),
]
ROSTER: list[BindingType] = [
    Binding("i", "import_roster", _("Import list")),
    Binding("n", "add_person", _("Add person")),
    Binding("x", "remove_person", _("Remove")),
    Binding("r", "replace_person", _("Replace")),
    Binding("space", "toggle_present", _("Present/absent")),
    Binding("a", "all_present", _("All present")),
    Binding("p", "print_signin", _("Sign-in sheet")),
    Binding("slash", "filter", _("Filter")),
]
TRAINERS: list[BindingType] = [
    Binding("r", "refresh", _("Refresh")),
]
PORTFOLIO: list[BindingType] = [
    Binding("enter", "open", _("Evidence"), show=True),
    Binding("r", "refresh", _("Refresh")),
]
SKILLS: list[BindingType] = [
    Binding("enter", "open", _("Record"), show=True),
    Binding("r", "refresh", _("Refresh")),
]
FEEDBACK: list[BindingType] = [
    Binding("s", "scope('session')", _("By session")),
    Binding("c", "scope('course')", _("By course")),
    Binding("t", "scope('trainer')", _("By trainer")),
    Binding("r", "refresh", _("Refresh")),
]
MASTER_DATA: list[BindingType] = [
    Binding("n", "new", _("New")),
    Binding("enter", "edit", _("Edit"), show=True),
    Binding("x", "retire", _("Retire")),
    Binding("a", "toggle_retired", _("Show retired")),
    Binding("o", "tab('organisations')", _("Organisations")),
    Binding("p", "tab('people')", _("People")),
    Binding("s", "tab('rooms')", _("Rooms")),
    Binding("r", "refresh", _("Refresh"), show=False),
]
DIALOG: list[BindingType] = [
    Binding("escape", "cancel", _("Cancel")),
    *(Binding(key, "app.bell", show=False) for key in LEAVING_KEYS),
]
EDIT_FORM: list[BindingType] = [
    *DIALOG,
    Binding("ctrl+s", "save", _("Save"), priority=True),
]
OBLIGATION_FORM: list[BindingType] = [
    *EDIT_FORM,
    Binding("ctrl+r", "read_clause", _("Read the clause"), priority=True),
]

# Textual adds ctrl+p itself, labelled "palette"; the footer translates that label like ours.
COMMAND_PALETTE_LABEL = _("palette")
