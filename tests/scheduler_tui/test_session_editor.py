"""Create a session, see the conflict it causes, fix it, save it; move and cancel an existing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from lms.models import SessionDay, SessionTrainer, TrainingSession
from scheduler_tui.screens.session_editor import SessionEditorScreen
from tests.scheduler_tui.conftest import rechecked, screen_text, settle, until


def set_value(editor: Any, name: str, value: str) -> None:
    from textual.widgets import Input, Select

    widget = editor.query_one(f"#{name}")
    if isinstance(widget, Input):
        widget.value = value
    elif isinstance(widget, Select):
        widget.value = value


async def test_create_a_session_see_the_conflict_and_fix_it(app: Any, demo_copy: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("n")
        await until(pilot, lambda: getattr(app.screen, "last_check", None) is not None)
        editor = app.screen
        assert isinstance(editor, SessionEditorScreen)
        assert "choose a course" in screen_text(app)  # inline, under the field

        set_value(editor, "course", "REC-CLS")
        set_value(editor, "project", "P2026-NJ-REC2")
        await settle(pilot)
        set_value(editor, "obligation", "OB-1")
        set_value(editor, "first_day", "2026-11-23")
        set_value(editor, "day_count", "2")
        editor.query_one("#trainers").select("E001")  # the technical lead, already teaching S-RC4838 then
        await rechecked(pilot, editor)
        text = screen_text(app)
        assert "trainer double-booked" in text
        assert "session outside its obligation window" in text
        assert editor.query_one("#place").value  # the project's site filled in
        assert {c.kind for c in editor.last_check.conflicts} >= {"trainer_double_booked", "outside_window"}

        set_value(editor, "first_day", "2026-12-03")  # inside the window, and E001 is free
        await rechecked(pilot, editor)
        assert editor.last_check.conflicts == []
        assert "no conflicts" in screen_text(app)
        assert "12-04" in str(editor.query_one("#days").render())

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SessionEditorScreen)

    with Session(demo_copy) as session:
        created = session.exec(select(TrainingSession).where(TrainingSession.first_day == dt.date(2026, 12, 3))).one()
        days = session.exec(select(SessionDay.day).where(SessionDay.session_id == created.id)).all()
        assert [d.isoformat() for d in days] == ["2026-12-03", "2026-12-04"]
        assert created.status == "planned" and created.place
        lead = session.exec(select(SessionTrainer).where(SessionTrainer.session_id == created.id)).one()
        assert lead.role == "lead"


async def test_a_day_outside_the_calendar_is_shown_not_crashed_on(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_session(None)
        await until(pilot, lambda: getattr(app.screen, "last_check", None) is not None)
        editor = app.screen
        set_value(editor, "first_day", "2031-03-03")
        set_value(editor, "day_count", "2")
        await rechecked(pilot, editor)
        assert "outside the working-day calendar" in editor.last_check.problems["first_day"]
        assert "outside the working-day calendar" in screen_text(app)
        await pilot.press("ctrl+s")  # refused: the form stays, nothing written
        await settle(pilot)
        assert app.screen is editor


async def test_move_an_existing_session_and_cancel_it(app: Any, demo_copy: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_session("S-RC4838")
        await until(pilot, lambda: getattr(app.screen, "last_check", None) is not None)
        editor = app.screen
        assert editor.query_one("#course").disabled
        assert any(c.kind == "outside_window" for c in editor.last_check.conflicts)
        set_value(editor, "first_day", "2026-12-03")
        await rechecked(pilot, editor)
        assert not any(c.kind == "outside_window" for c in editor.last_check.conflicts)
        await pilot.press("ctrl+s")
        await settle(pilot)

        await pilot.press("4")
        await settle(pilot)
        sessions = app.screen.picker
        codes = [row["code"] for row in sessions.rows]
        sessions.table.move_cursor(row=codes.index("S-RC4838"))
        await pilot.press("x")  # asks first
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)

    with Session(demo_copy) as session:
        moved = session.exec(select(TrainingSession).where(TrainingSession.code == "S-RC4838")).one()
        assert moved.first_day.isoformat() == "2026-12-03" and moved.status == "cancelled"
        assert moved.sequence >= 2  # moved, then cancelled: calendars get both updates


async def test_a_stale_save_names_who_changed_it_and_offers_a_reload(app: Any, demo_copy: Any) -> None:
    from lms.access.edits import claim_version
    from scheduler_tui.screens.confirm_dialog import ConfirmDialog

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_session("S-RC4838")
        await until(pilot, lambda: getattr(app.screen, "last_check", None) is not None)
        editor = app.screen
        loaded = editor.loaded_version
        with Session(demo_copy) as other:  # someone else saves the same session meanwhile
            training = other.exec(select(TrainingSession).where(TrainingSession.code == "S-RC4838")).one()
            claim_version(other, training, loaded, what="session S-RC4838")
            other.commit()
        set_value(editor, "first_day", "2026-12-03")
        await rechecked(pilot, editor)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "was changed by" in app.screen.question and "reload" in app.screen.question
        await pilot.click("#yes")
        await until(pilot, lambda: app.screen is editor and editor.ready and editor.loaded_version == loaded + 1)
        assert editor.query_one("#first_day").value != "2026-12-03"  # the form shows what is stored now
        await pilot.press("ctrl+s")
        await settle(pilot)

    with Session(demo_copy) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == "S-RC4838")).one()
        assert training.version == loaded + 2  # the other save, then this one from the reloaded version
