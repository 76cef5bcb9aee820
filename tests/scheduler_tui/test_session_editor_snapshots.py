"""The session editor and the cancel dialog at the smallest supported terminal (80×24) and the usual one (120×36),
on a vendor's own data made through the services (no demo). Update with --snapshot-update and look at the SVGs
before accepting them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from lms.i18n import set_language
from scheduler_tui.app import make_app
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import settle, until
from tests.scheduler_tui.vendor_setup import SESSION_CODE, set_up_vendor

SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def vendor_app(engine: Engine, pm: Any) -> Any:
    set_up_vendor(engine, pm, with_session=True)
    return make_app(engine=engine, pm=pm, today=DEMO_TODAY)


async def open_editor(pilot: Any, code: str | None) -> Any:
    set_language("en")
    await settle(pilot)
    pilot.app.open_session(code)
    await until(pilot, lambda: getattr(pilot.app.screen, "last_check", None) is not None)
    return pilot.app.screen


@pytest.mark.parametrize("size", SIZES)
def test_new_session_snapshot(snap_compare: Any, vendor_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await open_editor(pilot, None)

    assert snap_compare(vendor_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_edited_session_snapshot(snap_compare: Any, vendor_app: Any, size: tuple[int, int]) -> None:
    """Both trainers ticked; the January 2027 days carry the provisional mark (no holiday notice for 2027 yet)."""

    async def run_before(pilot: Any) -> None:
        editor = await open_editor(pilot, SESSION_CODE)
        editor.query_one("#trainers").focus()  # at 80×24 the list sits under the fields: focus scrolls to it
        await settle(pilot)

    assert snap_compare(vendor_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_cancel_dialog_snapshot(snap_compare: Any, vendor_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        set_language("en")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("x")
        await until(pilot, lambda: pilot.app.screen.query("#yes"))

    assert snap_compare(vendor_app, terminal_size=size, run_before=run_before)
