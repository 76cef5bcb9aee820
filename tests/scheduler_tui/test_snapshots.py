"""What the main screens show, in English at 120×36, pinned as SVG snapshots (update with --snapshot-update and
look at the SVGs before accepting them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from lms.db import make_engine
from lms.i18n import set_language
from scheduler_tui.app import make_app
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import settle, until


def keys(*pressed: str, wait: float = 0.0) -> Callable[[Any], Awaitable[None]]:
    async def run_before(pilot: Any) -> None:
        set_language("en")
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot, wait)

    return run_before


@pytest.mark.parametrize(
    ("name", "run_before"),
    [
        ("dashboard", keys()),
        ("projects", keys("2", "down", "down", "down", "tab", "tab")),
        ("calendar_week", keys("3", "n", "right", "right")),
        ("calendar_month_holidays", keys("3", "v", "p", "right")),  # October: National Day and a make-up Saturday
        ("sessions", keys("4")),
        ("autoschedule", keys("5")),
        ("roster", keys("6", "down", "down", "down", "enter")),
        ("trainers", keys("7")),
    ],
)
def test_screen_snapshot(snap_compare: Any, demo_database: str, pm: Any, name: str, run_before: Any) -> None:
    app = make_app(engine=make_engine(demo_database), pm=pm, today=DEMO_TODAY)
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_session_editor_with_a_conflict_snapshot(snap_compare: Any, demo_copy: Any, pm: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.open_session("S-RC4838")  # double-books the technical lead, outside its window
        await until(pilot, lambda: getattr(pilot.app.screen, "last_check", None) is not None)
        pilot.app.screen.query_one("#save").focus()
        await settle(pilot)

    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_obligation_form_at_80_by_24_snapshot(snap_compare: Any, demo_copy: Any, pm: Any) -> None:
    """The PM's paste-and-confirm form on the smallest terminal: source text beside the proposed fields."""

    async def run_before(pilot: Any) -> None:
        from textual.widgets import TextArea

        set_language("en")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await until(pilot, lambda: pilot.app.screen.query("#source"))
        await settle(pilot)
        source = pilot.app.screen.query_one("#source", TextArea)
        source.cursor_blink = False  # a blinking cursor makes the picture depend on the moment it is taken
        source.text = "验收合格后2个工作日内，在采购人现场开展集中培训，参训人员不少于5人。质保期内每季度复训一次。"
        await pilot.press("ctrl+r")
        await settle(pilot)

    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


VENDOR_SCREENS = [
    ("sessions", ("4",)),
    ("calendar", ("3",)),  # a Sunday: it opens on the coming week, where the sessions are
    ("roster", ("6", "down")),  # S-SHW-2, the second group
    ("projects", ("2",)),
    ("skills", ("8",)),
    ("trainers", ("7",)),
]


@pytest.mark.parametrize(("size", "language"), [((80, 24), "zh"), ((120, 36), "en")], ids=["80x24-zh", "120x36-en"])
@pytest.mark.parametrize(("name", "pressed"), VENDOR_SCREENS, ids=[name for name, _pressed in VENDOR_SCREENS])
def test_vendor_screen_snapshot(
    snap_compare: Any, vendor_copy: Any, pm: Any, name: str, pressed: tuple[str, ...], size: Any, language: str
) -> None:
    """The main screens of a vendor's own database (built from empty with commands, today a pinned Sunday), on the
    smallest terminal in Chinese and on a common one in English."""
    from tests.scheduler_tui.vendor_world import TODAY

    async def run_before(pilot: Any) -> None:
        set_language(language)
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot, 0.3)

    set_language(language)  # before the app starts, so that its title is in that language too
    app = make_app(engine=vendor_copy, pm=pm, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
