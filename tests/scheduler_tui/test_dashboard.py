"""The TUI opens on the demo data, loads in a worker, and switches language with a key."""

from __future__ import annotations

from typing import Any

from lms.db import make_engine
from lms.i18n import current_language, set_language
from scheduler_tui.app import make_app
from tests.conftest import DEMO_TODAY


async def test_dashboard_shows_projects_and_upcoming_sessions(demo_database: str, pm: Any) -> None:
    app = make_app(engine=make_engine(demo_database), pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        projects = screen.query_one("#projects")
        sessions = screen.query_one("#sessions")
        assert projects.row_count == 6
        assert sessions.row_count >= 3
        first_project_row = projects.get_row_at(0)
        assert first_project_row[0] == "P2025-HZ-SHW"


async def test_language_key_switches_between_chinese_and_english(demo_database: str, pm: Any) -> None:
    set_language("zh")
    app = make_app(engine=make_engine(demo_database), pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current_language() == "zh"
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current_language() == "en"
        assert app.title == "Training and certification"
        row = app.screen.query_one("#projects").get_row_at(0)
        assert row[1] == "Outpatient building solar hot water"
