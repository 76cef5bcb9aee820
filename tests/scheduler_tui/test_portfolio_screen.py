"""The portfolio screen: every project × obligation with its periods as coloured columns; Enter shows the evidence of
the obligation (or of the period under the cursor)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from lms.models import Obligation
from scheduler_tui.labels import OBLIGATION_STYLES
from scheduler_tui.screens.portfolio import FIXED_COLUMNS, PortfolioScreen
from tests.scheduler_tui.conftest import settle, until


def cell_text(screen: PortfolioScreen, row: int, column: int) -> str:
    return str(screen.table.get_cell_at((row, column))).strip()  # type: ignore[arg-type]


async def open_portfolio(pilot: Any) -> PortfolioScreen:
    await settle(pilot)
    await pilot.press("9")
    await until(pilot, lambda: isinstance(pilot.app.screen, PortfolioScreen) and pilot.app.screen.grid is not None)
    screen = pilot.app.screen
    assert isinstance(screen, PortfolioScreen)
    return screen


def row_of(screen: PortfolioScreen, project: str, obligation: str) -> int:
    assert screen.grid is not None
    return next(i for i, r in enumerate(screen.grid.rows) if (r.project, r.obligation) == (project, obligation))


async def test_nine_opens_every_project_and_obligation_with_coloured_periods(app: Any, demo_copy: Any) -> None:
    with Session(demo_copy) as session:
        obligations = len(session.exec(select(Obligation)).all())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_portfolio(pilot)
        assert screen.table.row_count == obligations == len(screen.grid.rows)
        row = row_of(screen, "P2025-HZ-SHW", "OB-2")
        quarter = FIXED_COLUMNS + screen.grid.columns.index("2026-Q1")
        assert cell_text(screen, row, quarter) == "overdue"
        assert screen.table.get_cell_at((row, quarter)).style == OBLIGATION_STYLES["overdue"]  # type: ignore[arg-type]
        assert cell_text(screen, row_of(screen, "P2026-HZ-SHW", "OB-1"), 2) == "met (sign-in scans missing)"
        assert "obligations in 6 projects" in str(screen.query_one("#status").render())


async def test_enter_shows_the_evidence_of_an_obligation(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_portfolio(pilot)
        screen.table.move_cursor(row=row_of(screen, "P2026-HZ-SHW", "OB-1"), column=0)
        await pilot.press("enter")
        await until(pilot, lambda: screen.shown is not None)
        assert screen.shown == ("P2026-HZ-SHW", "OB-1", None)
        shown = str(screen.evidence.render())
        assert "met by S-" in shown and "Trainers: 陈立峰 (lead)" in shown
        assert "7 present" in shown and "passed on re-exam 1" in shown and "Certificates: 7" in shown
        assert "Sign-in scans: none" in shown and "Outstanding (" in shown


async def test_enter_on_a_period_shows_only_that_period(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_portfolio(pilot)
        assert screen.grid is not None
        column = FIXED_COLUMNS + screen.grid.columns.index("2026-Q2")
        screen.table.move_cursor(row=row_of(screen, "P2025-HZ-SHW", "OB-2"), column=column)
        await pilot.press("enter")
        await until(pilot, lambda: screen.shown is not None)
        assert screen.shown == ("P2025-HZ-SHW", "OB-2", "2026-Q2")
        shown = str(screen.evidence.render())
        assert "2026 Q2" in shown and "2026 Q1 " not in shown.split("Outstanding")[0]
        assert "OB-2 2026 Q2: overdue" in shown


async def test_the_evidence_stays_open_across_a_language_switch(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_portfolio(pilot)
        screen.table.move_cursor(row=row_of(screen, "P2026-HZ-SHW", "OB-2"), column=0)
        await pilot.press("enter")
        await until(pilot, lambda: screen.shown is not None)
        await pilot.press("g")
        await until(pilot, lambda: pilot.app.screen is not screen and pilot.app.screen.shown is not None)
        switched = pilot.app.screen
        assert isinstance(switched, PortfolioScreen)
        assert switched.shown == ("P2026-HZ-SHW", "OB-2", None)
        assert switched.current_row is not None and switched.current_row.obligation == "OB-2"
