"""The auto-schedule review: proposals with reasons, what could not be placed and why; accept, edit, create."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from lms.models import TrainingSession
from scheduler_tui.screens.autoschedule import AutoScheduleScreen
from scheduler_tui.screens.session_editor import SessionEditorScreen
from tests.scheduler_tui.conftest import open_screen, screen_text, settle, until


async def test_accept_a_proposal_and_create_it(app: Any, demo_copy: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "5", AutoScheduleScreen)
        plan = screen.plan
        assert plan is not None and plan.proposals and plan.unplaced
        assert plan.proposals[0].reason in screen_text(app).replace("\n", "") or screen.query_one("#reason")
        assert screen.table("unplaced").row_count == len(plan.unplaced)

        first = plan.proposals[0]
        await pilot.press("a")  # accept the first; the cursor moves on
        await settle(pilot)
        if len(plan.proposals) > 1:
            await pilot.press("x")  # reject the second
        await pilot.press("A")
        await settle(pilot)
        assert screen.decisions[0].startswith("S-")
        created = screen.decisions[0]

    with Session(demo_copy) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == created)).one()
        assert training.first_day == first.days[0] and training.status == "planned"
        assert training.period_label == first.period
        assert "auto-scheduled" in (training.notes or "")


async def test_edit_a_proposal_in_the_session_editor(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        proposal = screen.plan.proposals[0]
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "last_check", None) is not None)
        editor = app.screen
        assert isinstance(editor, SessionEditorScreen)
        assert editor.query_one("#first_day").value == proposal.days[0].isoformat()
        assert list(editor.query_one("#trainers").selected) == [t.code for t in proposal.trainers]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.decisions[0].startswith("S-")  # created as edited
