"""The Textual app: ``make_app`` is used by ``lms tui``, ``lms serve`` and the tests alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine
from textual.app import App
from textual.binding import Binding

from lms.i18n import _, current_language, set_language
from scheduler_tui.screens.dashboard import DashboardScreen


class LmsApp(App[None]):
    """Trainers' planning app; other roles' screens join it."""

    CSS_PATH = "app.tcss"
    TITLE = "LMS"
    BINDINGS = [
        Binding("q", "quit", _("Quit")),
        Binding("g", "toggle_language", _("中文/English")),
    ]

    def __init__(self, engine: Engine, pm: Any, today: dt.date | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.pm = pm
        self.today = today or dt.date.today()

    def on_mount(self) -> None:
        self.title = _("Training and certification")
        self.push_screen(DashboardScreen())

    def action_toggle_language(self) -> None:
        set_language("en" if current_language() == "zh" else "zh")
        self.title = _("Training and certification")
        self.switch_screen(DashboardScreen())


def make_app(*, engine: Engine, pm: Any, today: dt.date | None = None) -> LmsApp:
    """The app as ``lms tui`` runs it; tests pass ``today`` to pin what is "upcoming"."""
    return LmsApp(engine=engine, pm=pm, today=today)
