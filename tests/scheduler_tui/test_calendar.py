"""The calendar: weeks and months by trainer or room, the cursor saying what is on a day, Enter opening it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from scheduler_tui.screens.calendar import CalendarScreen
from scheduler_tui.screens.session_editor import SessionEditorScreen
from scheduler_tui.widgets.calendar_grid import CalendarGrid
from tests.scheduler_tui.conftest import screen_text, settle, until


async def test_walk_the_week_and_open_a_session(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.action_show("calendar", anchor=dt.date(2026, 11, 24))
        await until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        grid = screen.query_one(CalendarGrid)
        assert grid.cursor == (0, 2)  # E001 on Tuesday the 24th
        assert "S-RC4838" in screen_text(app)
        await pilot.press("left")
        await settle(pilot)
        assert screen.anchor_day == dt.date(2026, 11, 23)
        status = str(screen.query_one("#status").render())
        assert "S-JTXQ20" in status and "S-RC4838" in status  # the double booking, spelled out
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionEditorScreen))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_month_by_room_and_back(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.action_show("calendar", anchor=dt.date(2026, 9, 15))
        await until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        screen = app.screen
        await pilot.press("v", "l")
        await until(pilot, lambda: screen.view.span == "month" and screen.view.lanes_by == "room")
        lab = next(lane for lane in screen.view.lanes if lane.key == "HZ-TC-LAB")
        assert len(lab.days) == 3  # the switchgear course held there over three days
        await pilot.press("n")
        await until(pilot, lambda: screen.view.first == dt.date(2026, 10, 1))
        assert "H" in screen_text(app)  # National Day marked
        await pilot.click(CalendarGrid, offset=(31, 3))  # below the two header lines: the second lane
        await settle(pilot)
        assert screen.query_one(CalendarGrid).cursor == (1, 4)  # a padding column, 18 + 1 for the lane, 3 a day
