"""Move a project's acceptance and see which sessions now fall outside their windows."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from lms.models import Milestone, Project
from scheduler_tui.screens.milestone_dialog import MilestoneDialog
from scheduler_tui.screens.projects import ProjectsScreen
from tests.scheduler_tui.conftest import open_screen, screen_text, settle


async def test_moving_acceptance_shows_the_displaced_session(app: Any, demo_copy: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "2", ProjectsScreen)
        codes = [row["code"] for row in screen.projects]
        screen.table("projects").move_cursor(row=codes.index("P2026-NJ-REC"))
        await settle(pilot)
        assert screen.detail["code"] == "P2026-NJ-REC" and screen.detail["displaced"] == []
        assert "验收合格后" in screen_text(app) or screen.table("periods").row_count  # the clause is quoted

        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, MilestoneDialog)
        await pilot.press("ctrl+u", *"2026-12-10", "enter")  # acceptance slips three weeks
        await settle(pilot)

        assert isinstance(app.screen, ProjectsScreen)
        displaced = screen.detail["displaced"]
        assert [d["session"] for d in displaced] == ["S-JTXQ20"]
        assert "move S-JTXQ20 to start between 2026-12-11" in displaced[0]["advice"]
        assert "S-JTXQ20" in screen_text(app)
        assert "1 sessions now outside their windows" in screen_text(app)

    with Session(demo_copy) as session:
        project = session.exec(select(Project).where(Project.code == "P2026-NJ-REC")).one()
        acceptance = session.exec(
            select(Milestone).where(Milestone.project_id == project.id, Milestone.kind == "acceptance")
        ).one()
        assert acceptance.actual_date.isoformat() == "2026-12-10"


async def test_a_bad_date_keeps_the_dialog_open(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+u", *"2026-13-01", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MilestoneDialog)
        assert "is not a date" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
