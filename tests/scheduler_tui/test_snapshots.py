"""What the main screens show, at 120×36, pinned as SVG snapshots (update with --snapshot-update)."""

from __future__ import annotations

from typing import Any

from lms.db import make_engine
from scheduler_tui.app import make_app
from tests.conftest import DEMO_TODAY


def test_dashboard_snapshot(snap_compare: Any, demo_database: str, pm: Any) -> None:
    async def wait_for_data(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(engine=make_engine(demo_database), pm=pm, today=DEMO_TODAY)
    assert snap_compare(app, terminal_size=(120, 36), run_before=wait_for_data)
