"""The Textual app: ``make_app`` is used by ``lms tui``, ``lms serve`` and the tests alike.

Nothing here imports the ORM at module level: ``lms tui`` paints the dashboard's snapshot first, and the database
(engine, plugins with the core's own) is opened by the first worker that asks for it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import SystemCommand
from textual.message import Message
from textual.screen import Screen

from lms.access.command_permissions import may_open
from lms.access.roles import current_role
from lms.calendars.dates import working_today
from lms.config import database_url
from lms.errors import LmsError
from lms.i18n import _, current_language, set_language
from lms.maintenance.progress import set_reporter
from scheduler_tui import keys
from scheduler_tui.screens.base import ExportChoice, LmsScreen
from scheduler_tui.screens.dashboard import DashboardScreen
from scheduler_tui.screens.path_dialog import PathDialog
from scheduler_tui.snapshot import snapshot_path
from scheduler_tui.system_commands import LocalisedApp

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from lms.calendars.workdays import WorkdayCalendar
    from scheduler_tui.dashboard_loader import DashboardPrefetch

# Each screen is imported the first time it is shown: importing them all (with the domain modules behind them, the
# auto-scheduler's solver among them) would add ~0.3 s before the dashboard's first frame.
SCREENS_BY_PLACE: dict[str, str] = {
    "dashboard": "scheduler_tui.screens.dashboard:DashboardScreen",
    "projects": "scheduler_tui.screens.projects:ProjectsScreen",
    "calendar": "scheduler_tui.screens.calendar:CalendarScreen",
    "sessions": "scheduler_tui.screens.sessions:SessionsScreen",
    "autoschedule": "scheduler_tui.screens.autoschedule:AutoScheduleScreen",
    "roster": "scheduler_tui.screens.roster:RosterScreen",
    "trainers": "scheduler_tui.screens.trainers:TrainersScreen",
    "skills": "scheduler_tui.screens.skills:SkillsScreen",
    "portfolio": "scheduler_tui.screens.portfolio:PortfolioScreen",
    "feedback": "scheduler_tui.screens.feedback_results:FeedbackResultsScreen",
    "masterdata": "scheduler_tui.screens.master_data:MasterDataScreen",
}


def screen_class(place: str) -> type[LmsScreen]:
    module_name, class_name = SCREENS_BY_PLACE[place].split(":")
    screen: type[LmsScreen] = getattr(importlib.import_module(module_name), class_name)
    return screen


class LmsApp(LocalisedApp):
    """Trainers' planning app; other roles' screens join it."""

    CSS_PATH = "app.tcss"
    TITLE = "LMS"
    BINDINGS = keys.APP

    @dataclass
    class CalendarExported(Message):
        count: int
        path: Path

    def __init__(
        self,
        engine: Engine | None = None,
        pm: Any = None,
        today: dt.date | None = None,
        *,
        db_url: str | None = None,
        prefetch: DashboardPrefetch | None = None,
    ) -> None:
        super().__init__()
        self._engine, self._pm, self._db_url, self._prefetch = engine, pm, db_url, prefetch
        self._opening = threading.RLock()
        self.database_url = engine.url.render_as_string(hide_password=False) if engine else database_url(db_url)
        self.today = today or working_today()
        self._calendar: WorkdayCalendar | None = None
        self.failure: str | None = None  # why the database could not be opened; ``lms tui`` prints it

    def cannot_open(self, reason: str) -> None:
        """The database cannot be opened: close, and let the command line say why in one line (exit code 1)."""
        self.failure = reason
        self.exit(return_code=1)

    def take_prefetch(self) -> DashboardPrefetch | None:
        """The dashboard's parts being loaded in another process since ``lms tui`` started, for the first load
        only and in the language it was started in: a refresh or a language switch loads here."""
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None and prefetch.language != current_language():
            prefetch.stop()
            return None
        return prefetch

    @work(thread=True, group="warm-up")
    def warm_up(self) -> None:
        """Open the database and build the working-day calendar before a screen asks for them, while the
        dashboard's data comes from another process; a failure is left for the dashboard's own load to report."""
        try:
            self.workday_calendar()
        except LmsError:
            pass

    def snapshot_file(self) -> Path:
        """The dashboard's snapshot of this database in the language shown now."""
        return snapshot_path(self.database_url, current_language())

    @property
    def engine(self) -> Engine:
        """The database, opened (and its schema brought up to date) by the first worker that asks."""
        with self._opening:
            if self._engine is None:
                from lms.db import open_database

                self._engine = open_database(self._db_url)
            return self._engine

    @property
    def pm(self) -> Any:
        """The plugin manager with the core's own plugin, made on first use (it imports the ORM)."""
        with self._opening:
            if self._pm is None:
                from lms.plugins import make_plugin_manager

                self._pm = make_plugin_manager()
            return self._pm

    def workday_calendar(self) -> WorkdayCalendar:
        """The working-day calendar, made once: it builds its holiday tables on first use (tens of ms), so a new
        one per query would cost that each time. Called from workers; two making it at once is harmless."""
        if self._calendar is None:
            from sqlmodel import Session

            from lms.calendars.workdays import get_calendar

            with Session(self.engine) as session:  # imported holiday notices count
                self._calendar = get_calendar(pm=self.pm, session=session, today=self.today)
        return self._calendar

    def forget_calendar(self) -> None:
        """A notice was imported: the next question builds the calendar anew."""
        self._calendar = None

    def on_mount(self) -> None:
        self.title = _("Training and certification")
        self.push_screen(DashboardScreen())
        # a bar on the terminal would tear through the screen: long work shows here as one line instead
        self._before_reporter = set_reporter(self.report_long_work)

    def on_unmount(self) -> None:
        set_reporter(self._before_reporter)
        if self._prefetch is not None:  # quit before the dashboard took it: nobody will read it
            self._prefetch.stop()

    def report_long_work(self, what: str, done: int, total: int) -> None:
        """The first step of long work (the document fonts' first build) says what the wait is for."""
        if done != 0:
            return
        if threading.current_thread() is threading.main_thread():
            self.notify(what, timeout=30)
        else:
            self.call_from_thread(self.notify, what, timeout=30)

    def action_show(self, place: str, **arguments: Any) -> None:
        """Go to a top-level screen, leaving any form or dialog open on the current one."""
        if place not in SCREENS_BY_PLACE:
            return
        if not may_open(place, current_role()):
            self.notify(_("Your role may not open this screen."), severity="warning")
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen_class(place)(**arguments))

    def open_session(self, code: str | None = None, **initial: Any) -> None:
        """The session editor over the current screen; it tells the screen below when something was saved."""
        from scheduler_tui.screens.session_editor import SessionEditorScreen

        self.push_screen(SessionEditorScreen(code=code, **initial), self._session_saved)

    def _session_saved(self, code: str | None) -> None:
        if code and hasattr(self.screen, "action_refresh"):
            self.screen.action_refresh()

    def action_toggle_language(self) -> None:
        if not isinstance(self.screen, LmsScreen):
            self.notify(_("Save or close the form first, then switch the language."))
            return
        set_language("en" if current_language() == "zh" else "zh")
        self.title = _("Training and certification")
        self.switch_screen(type(self.screen)(**self.screen.restart_args()))

    def action_export(self) -> None:
        choice = self.screen.export_selection() if isinstance(self.screen, LmsScreen) else None
        if choice is None:
            self.notify(_("Put the cursor on a trainer, a project or one of their sessions first."))
            return
        dialog = PathDialog(
            _("Export {what} as an iCalendar file").format(what=choice.description),
            Path.cwd() / choice.file_name,
        )

        def chosen(path: Path | None) -> None:
            if path:
                self.export_calendar(choice, path)

        self.push_screen(dialog, chosen)

    @work(thread=True, exclusive=True, group="export")
    def export_calendar(self, choice: ExportChoice, path: Path) -> None:
        from sqlmodel import Session

        from lms.calendars.ical import export_ics

        try:
            with Session(self.engine) as session:
                result = export_ics(session, selection=choice.selection, output=path, workdays=self.workday_calendar())
        except LmsError as error:
            self.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        self.post_message(self.CalendarExported(sum(len(f.sessions) for f in result.files), path))

    def on_lms_app_calendar_exported(self, message: CalendarExported) -> None:
        self.notify(_("wrote {count} sessions to {file}").format(count=message.count, file=message.path))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for place, key, label in keys.PLACES:
            yield SystemCommand(f"{key} {_(label)}", _("Go to this screen"), partial(self.action_show, place))
        yield SystemCommand(
            _("Export .ics"), _("Calendar file for the trainer or project under the cursor"), self.action_export
        )
        yield SystemCommand(_("中文/English"), _("Switch the language"), self.action_toggle_language)
        yield from super().get_system_commands(screen)


def make_app(
    *,
    engine: Engine | None = None,
    pm: Any = None,
    today: dt.date | None = None,
    db_url: str | None = None,
    prefetch: DashboardPrefetch | None = None,
) -> LmsApp:
    """The app as ``lms tui`` runs it; tests pass ``today`` to pin what is "upcoming".

    ``lms tui`` passes ``db_url`` (or nothing: the default database) and no engine, so that the first frame paints
    before the database opens, and the ``prefetch`` it forked for the dashboard's data; tests pass the ``engine``
    and ``pm`` they made.
    """
    return LmsApp(engine=engine, pm=pm, today=today, db_url=db_url, prefetch=prefetch)
