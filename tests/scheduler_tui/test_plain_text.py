"""Names, file paths and typed values reach the screen as they are: Rich markup in them (``[b]``, ``[/]``) is shown
literally, never applied, and never stops the app."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from scheduler_tui.app import make_app
from scheduler_tui.screens.base import LmsScreen
from scheduler_tui.widgets.tables import fill_table
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import screen_text, settle

MARKED_UP = ("王[/]五", "[b]一期[/b]", "C:\\[red]\\file.ics")


async def test_table_cells_status_and_notifications_show_markup_literally(demo_copy: Engine, pm: Any) -> None:
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LmsScreen)
        table = screen.query_one("#sessions")
        fill_table(table, ["[b]Name[/b]", "Project"], [MARKED_UP[:2], (MARKED_UP[2], "x")])  # type: ignore[arg-type]
        screen.set_status(f"'{MARKED_UP[0]}' is not a date")
        app.notify(f"wrote 3 sessions to {MARKED_UP[2]}")
        await pilot.pause(0.2)
        shown = screen_text(app)
        for text in (*MARKED_UP, "[b]Name[/b]", f"'{MARKED_UP[0]}' is not a date"):
            assert text in shown, text
        assert f"wrote 3 sessions to {MARKED_UP[2]}" in "".join(str(toast.message) for toast in app._notifications)
    assert app.return_code in (None, 0)
