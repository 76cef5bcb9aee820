"""Export a trainer's .ics from where the cursor stands; number keys, the command palette and the language key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import icalendar

from lms.i18n import current_language, set_language, translations
from scheduler_tui.app import screen_class
from scheduler_tui.keys import PLACES
from scheduler_tui.screens.path_dialog import PathDialog
from scheduler_tui.screens.trainers import TrainersScreen
from tests.scheduler_tui.conftest import open_screen, screen_text, settle


async def test_export_a_trainers_calendar_from_the_trainers_screen(app: Any, tmp_path: Path) -> None:
    target = tmp_path / "lead.ics"
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "7", TrainersScreen)
        assert screen.trainers[0].code == "E001"
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        assert dialog.query_one("#path").value.endswith("E001.ics")
        dialog.query_one("#path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) >= 3  # the lead teaches the demo's old server course and the coming sessions
    assert all(event.get("UID") and event.get("DTSTAMP") for event in events)
    assert "E001" in str(calendar.get("X-WR-CALNAME"))


async def test_export_says_what_to_do_where_there_is_nothing_to_export(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3", "l")  # calendar by room: a room has no calendar file of its own
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, PathDialog)


async def test_number_keys_reach_every_screen(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for place, key, _label in PLACES:  # 1 … 9, then 0
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen) is screen_class(place)
            assert "Loading…" not in screen_text(app).splitlines()[-2]  # the worker reported back
            assert len(app.screen_stack) == 2  # switched, not piled up


async def test_the_nav_bar_is_clickable_and_the_palette_lists_the_screens(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.click("#nav", offset=(18, 0))  # " 2 Projects "
        await settle(pilot)
        assert app.screen.PLACE == "projects"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"3 Calendar", "6 Roster", "Export .ics"} <= set(titles)


async def test_language_switch_keeps_the_screen_and_translates_it(app: Any) -> None:
    chinese = translations("zh").gettext
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3", "n")  # the calendar, one week on
        await settle(pilot)
        anchor = app.screen.anchor_day
        await pilot.press("g")
        await settle(pilot)
        assert current_language() == "zh"
        assert app.screen.PLACE == "calendar" and app.screen.anchor_day == anchor
        text = screen_text(app)
        assert chinese("Training and certification") in text
        assert chinese("Quit") in text  # footer labels follow the language too
        await pilot.press("g")
        await settle(pilot)
        assert current_language() == "en" and "Quit" in screen_text(app)
    set_language(None)


def test_every_place_names_its_own_screen() -> None:
    from scheduler_tui.app import SCREENS_BY_PLACE

    assert {place for place, _key, _label in PLACES} == set(SCREENS_BY_PLACE)
    for place in SCREENS_BY_PLACE:
        assert screen_class(place).PLACE == place
