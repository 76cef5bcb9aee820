"""What every planning screen shares: the app's engine and clock, failure reports from workers, and the hooks
the app calls for ``g`` (rebuild in the other language) and ``e`` (what to export from here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from lms.i18n import _
from scheduler_tui.widgets.footer import LmsFooter
from scheduler_tui.widgets.nav_bar import NavBar

if TYPE_CHECKING:
    from lms.calendars.ical_events import Selection
    from lms.calendars.workdays import WorkdayCalendar
    from scheduler_tui.host import PlanningHost


@dataclass(frozen=True)
class ExportChoice:
    """What ``e`` exports from the row under the cursor."""

    selection: Selection
    description: str
    file_name: str


class LmsScreen(Screen[None]):
    """A top-level screen, reached from the nav bar."""

    PLACE: ClassVar[str] = ""

    @dataclass
    class WorkFailed(Message):
        reason: str

    @property
    def lms(self) -> PlanningHost:
        return cast("PlanningHost", self.app)

    def calendar(self) -> WorkdayCalendar:
        return self.lms.workday_calendar()

    def frame_top(self) -> ComposeResult:
        yield Header()
        yield NavBar(self.PLACE)

    def frame_bottom(self, status: str | None = None) -> ComposeResult:
        yield Static(Text(status if status is not None else _("Loading…")), id="status")
        yield LmsFooter()

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))  # errors quote typed values: never read as markup

    def restart_args(self) -> dict[str, Any]:
        """Keyword arguments that rebuild this screen where it stands (after a language switch)."""
        return {}

    def export_selection(self) -> ExportChoice | None:
        """The trainer's or project's sessions under the cursor, if any."""
        return None

    def fail(self, error: Exception) -> None:
        """Report a problem from a worker thread (user-fixable errors arrive here, not as crashes)."""
        self.post_message(self.WorkFailed(str(error)))

    def on_lms_screen_work_failed(self, message: WorkFailed) -> None:
        self.set_status(message.reason)
        self.notify(message.reason, severity="error", timeout=10)


def trainer_export(code: str, name: str) -> ExportChoice:
    from lms.calendars.ical_events import Selection

    return ExportChoice(
        Selection(trainer_code=code),
        _("sessions taught by {name} ({code})").format(name=name, code=code),
        f"{code}.ics",
    )


def project_export(code: str) -> ExportChoice:
    from lms.calendars.ical_events import Selection

    return ExportChoice(Selection(project_code=code), _("sessions of project {code}").format(code=code), f"{code}.ics")
