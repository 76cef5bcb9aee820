"""What the planning screens use of the app that shows them. Screens depend on this, not on ``scheduler_tui.app``,
which imports the screens: the app module and its screens stay free of a cycle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the app paints before the ORM is imported
    from sqlalchemy.engine import Engine

    from lms.calendars.workdays import WorkdayCalendar
    from scheduler_tui.dashboard_loader import DashboardPrefetch


class PlanningHost(Protocol):
    """The planning app as its screens see it (``scheduler_tui.app.LmsApp`` is one)."""

    today: dt.date
    database_url: str  # without the ORM: names the dashboard's snapshot

    def snapshot_file(self) -> Path: ...

    def take_prefetch(self) -> DashboardPrefetch | None: ...

    def warm_up(self) -> Any: ...

    @property
    def engine(self) -> Engine: ...

    @property
    def pm(self) -> Any: ...

    def cannot_open(self, reason: str) -> None: ...

    def workday_calendar(self) -> WorkdayCalendar: ...

    def forget_calendar(self) -> None: ...

    def open_session(self, code: str | None = None, **initial: Any) -> None: ...

    def action_show(self, place: str, **arguments: Any) -> None: ...
