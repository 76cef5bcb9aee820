"""The session list pages in SQL: PageDown at the last row brings the next page, PageUp at the first the one
before; the filter box narrows the query."""

from __future__ import annotations

from typing import Any

from scheduler_tui.screens.sessions import SessionsScreen
from tests.scheduler_tui.conftest import open_screen, screen_text, settle, until


async def test_pages_and_filter(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "4", SessionsScreen)
        table = screen.picker.table
        table.page_size = 3  # eight demo sessions: three pages
        screen.picker.reload(0)
        await until(pilot, lambda: table.row_count == 3 and table.total == 8)
        first_page = [row["code"] for row in screen.picker.rows]
        table.move_cursor(row=2)
        await pilot.press("pagedown")
        await until(pilot, lambda: table.page_offset == 3)
        assert [row["code"] for row in screen.picker.rows] != first_page
        assert table.cursor_row == 0 and "sessions 4–6 of 8" in screen.picker.summary()
        await pilot.press("pageup")
        await until(pilot, lambda: table.page_offset == 0)
        assert table.cursor_row == 2  # back on the last row of the page before

        await pilot.press("slash", *"held")
        await until(pilot, lambda: table.total == 5)
        assert all(row["status"] == "held" for row in screen.picker.rows)
        await pilot.press("escape", "2")  # out of the filter box, the number keys work again
        await settle(pilot)
        assert app.screen.PLACE == "projects"


async def test_r_reloads_a_session_cancelled_from_the_command_line(app: Any, cli: Any) -> None:
    """Another trainer cancels a session in a shell; r on the sessions screen shows it cancelled, and the footer
    offers r beside every other key."""
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "4", SessionsScreen)
        planned = next(row["code"] for row in screen.picker.rows if row["status"] == "planned")
        url = app.engine.url.render_as_string(hide_password=False)
        assert cli("sessions", "cancel", planned, db=url).code == 0
        await pilot.press("r")
        await until(pilot, lambda: any(r["code"] == planned and r["status"] == "cancelled" for r in screen.picker.rows))
        footer = screen_text(app).splitlines()[-1]
        assert "r Refresh" in footer and "q Quit" in footer  # every key still fits the line at 120 columns
