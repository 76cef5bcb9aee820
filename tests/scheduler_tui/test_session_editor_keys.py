"""The session editor's keys on a vendor's own data (no demo): ``q`` and the screen keys never throw the form
away, ``esc`` with changes asks, the first ``space`` ticks the highlighted trainer, and typed numbers and dates are
bounded with the field named."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from textual.widgets import Input, Select

from lms.models import TrainingSession
from scheduler_tui.app import make_app
from scheduler_tui.screens.session_editor import SessionEditorScreen
from scheduler_tui.screens.unsaved_dialog import UnsavedDialog
from scheduler_tui.widgets.trainer_checklist import TrainerChecklist
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import rechecked, screen_text, settle, until
from tests.scheduler_tui.vendor_setup import SESSION_CODE, set_up_vendor


@pytest.fixture
def vendor_app(engine: Engine, pm: Any) -> Any:
    set_up_vendor(engine, pm, with_session=True)
    return make_app(engine=engine, pm=pm, today=DEMO_TODAY)


async def open_editor(pilot: Any, code: str | None = None) -> SessionEditorScreen:
    await settle(pilot)
    pilot.app.open_session(code)
    await until(pilot, lambda: getattr(pilot.app.screen, "last_check", None) is not None)
    editor = pilot.app.screen
    assert isinstance(editor, SessionEditorScreen)
    return editor


def session_count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(TrainingSession)).all())


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_q_and_the_screen_keys_keep_the_form(vendor_app: Any, size: tuple[int, int]) -> None:
    async with vendor_app.run_test(size=size) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#course", Select).focus()
        footer_keys = {key for key, active in editor.active_bindings.items() if active.binding.show}
        assert "q" not in footer_keys and "ctrl+s" in footer_keys
        for key in ("q", "4", "m"):
            await pilot.press(key)
            await settle(pilot)
            assert vendor_app.is_running and vendor_app.screen is editor, key
        assert "ctrl+s saves the session" in str([n.message for n in vendor_app._notifications])


async def test_escape_with_changes_asks_and_keeps_editing_or_discards(vendor_app: Any, engine: Engine) -> None:
    async with vendor_app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert not isinstance(vendor_app.screen, SessionEditorScreen)

        editor = await open_editor(pilot)
        editor.query_one("#city", Input).value = "无锡"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(vendor_app.screen, UnsavedDialog)
        assert "unsaved changes" in screen_text(vendor_app)
        await pilot.press("escape")  # the dialog's own escape: back to the form, the change kept
        await settle(pilot)
        assert vendor_app.screen is editor and editor.query_one("#city", Input).value == "无锡"

        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#discard")
        await settle(pilot)
        assert not isinstance(vendor_app.screen, SessionEditorScreen)
    assert session_count(engine) == 1


async def test_escape_then_save_saves(vendor_app: Any, engine: Engine) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#course", Select).value = "SHW-OM"
        editor.query_one("#room", Select).value = "HZ-R1"
        editor.query_one("#trainers", TrainerChecklist).select("E010")
        await rechecked(pilot, editor)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#save")
        await until(pilot, lambda: not isinstance(vendor_app.screen, (SessionEditorScreen, UnsavedDialog)))
    assert session_count(engine) == 2


async def test_the_first_space_ticks_the_highlighted_trainer_and_marks_it(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        trainers = editor.query_one("#trainers", TrainerChecklist)
        trainers.focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert trainers.selected == ["E009"]
        text = screen_text(vendor_app)
        assert "☑ E009" in text and "☐ E010" in text
        await pilot.press("down", "space")
        await settle(pilot)
        assert trainers.selected == ["E009", "E010"]


async def test_an_edited_session_shows_its_trainers_ticked_and_its_provisional_year(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        editor = await open_editor(pilot, SESSION_CODE)
        text = screen_text(vendor_app)
        assert "☑ E009" in text and "☑ E010" in text
        assert "2027-01-11" in text and "provisional calendar" in text
        editor.query_one("#first_day", Input).value = "2026-12-07"
        await rechecked(pilot, editor)
        assert "provisional calendar" not in str(editor.query_one("#days").render())


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("first_day", "1900-01-01", "1950-01-01"),
        ("first_day", "2026-13-01", "is not a date"),
        ("capacity", "0", "from 1 to 10000"),
        ("capacity", "1000000000", "from 1 to 10000"),
        ("day_count", "31", "from 1 to 30"),
    ],
)
async def test_typed_numbers_and_dates_are_bounded(
    vendor_app: Any, engine: Engine, field: str, typed: str, said: str
) -> None:
    async with vendor_app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, SESSION_CODE)
        editor.query_one(f"#{field}", Input).value = typed
        await rechecked(pilot, editor)
        assert said in editor.last_check.problems[field]
        assert said in str(editor.query_one(f"#problem-{field}").render())  # under the field it names
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(vendor_app.screen, SessionEditorScreen)  # refused: nothing saved
        assert vendor_app.focused is editor.query_one(f"#{field}")  # and the field at fault is brought into sight
        assert "Not saved" in str([n.message for n in vendor_app._notifications])
    with Session(engine) as session:
        stored = session.exec(select(TrainingSession)).one()
        assert stored.first_day.isoformat() == "2027-01-11" and stored.capacity == 24


async def test_an_open_dropdown_says_how_to_close_it_in_chinese(vendor_app: Any) -> None:
    """Textual's own footer words for an open list ("Dismiss menu") are ours, in the user's language."""
    from lms.i18n import set_language

    set_language("zh")
    try:
        async with vendor_app.run_test(size=(120, 36)) as pilot:
            editor = await open_editor(pilot)
            editor.query_one("#course", Select).focus()
            await pilot.press("enter")
            await settle(pilot)
            text = screen_text(vendor_app)
            assert "关闭列表" in text and "Dismiss menu" not in text
    finally:
        set_language(None)
