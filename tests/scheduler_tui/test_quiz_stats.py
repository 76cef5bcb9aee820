"""The item-analysis screen stands alone in any app with ``engine`` and ``pm`` (the planning app has both)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from textual.app import App
from textual.widgets import DataTable, Static

from scheduler_tui.screens.quiz_stats import QuizStatsScreen, scatter
from tests.lms.quiz_fixtures import quiz_world
from tests.lms.test_quiz_reexams import sit


class Host(App[None]):
    def __init__(self, engine: Engine, pm: Any) -> None:
        super().__init__()
        self.engine, self.pm = engine, pm

    def on_mount(self) -> None:
        self.push_screen(QuizStatsScreen("QZ-1"))


async def test_stats_screen_shows_figures_chart_and_items(engine: Engine, pm: Any, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as session:
        world = quiz_world(session, pm, tmp_path)
        for person, right in zip(world["people"], (True, False, True), strict=True):
            sit(session, world | {"people": [person]}, pm, right=right, now=dt.datetime(2026, 11, 18, 2, tzinfo=dt.UTC))
        session.commit()
    app = Host(engine, pm)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizStatsScreen)
        assert screen.query_one("#stats-items", DataTable).row_count == 7
        assert "Cronbach" in str(screen.query_one("#stats-summary", Static).render())
        assert "│" in str(screen.query_one("#stats-chart", Static).render())


def test_scatter_places_points_by_facility_and_discrimination() -> None:
    lines = scatter([(0, 100), (100, -100), (50, 0), (50, 0)], width=21, height=5)
    assert lines[0] == " 100 │1" + " " * 20
    assert lines[4].endswith("2")
    assert lines[2][6 + 10] == "+"  # two questions on the same spot
