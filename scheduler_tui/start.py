"""``lms tui``'s start, kept free of Typer: the command line's early start (``lms_quick_command``) runs it before
the command tree is built, so that the dashboard's first frame waits for neither."""

from __future__ import annotations

from lms.calendars.dates import working_today
from lms.errors import LmsError
from scheduler_tui.dashboard_loader import DashboardPrefetch


def run_planning_app(db_url: str | None) -> None:
    """``lms tui``: the planning app on the database at ``db_url`` (None: the default), which its first worker
    opens; the dashboard paints its snapshot before that, while a process forked here loads its data."""
    today = working_today()
    prefetch = DashboardPrefetch.start(db_url, today)  # before Textual is imported: the child needs none of it
    try:
        from scheduler_tui.app import make_app

        app = make_app(db_url=db_url, today=today, prefetch=prefetch)
        app.run()
    finally:
        if prefetch is not None:
            prefetch.close()
    if app.failure:
        raise LmsError(app.failure)
    if app.return_code:  # the app stopped on an error it has shown
        raise SystemExit(app.return_code)
