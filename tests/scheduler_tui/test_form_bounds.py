"""Dates typed in the dialogs and the project form have the command line's bounds, and the error names the field;
Escape from a changed form asks before anything is thrown away;
the app's keys that leave a screen do nothing over a dialog."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.widgets import Input, Select

from scheduler_tui.app import make_app
from scheduler_tui.screens.date_dialog import DateDialog
from scheduler_tui.screens.project_form import ProjectForm
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import screen_text, settle, until
from tests.scheduler_tui.vendor_setup import set_up_vendor

CLAUSE = "验收合格后2个工作日内，在采购人现场开展集中培训，参训人员不少于5人。"


@pytest.fixture
def vendor_app(engine: Engine, pm: Any) -> Any:
    set_up_vendor(engine, pm)
    return make_app(engine=engine, pm=pm, today=DEMO_TODAY)


async def test_go_to_date_refuses_1900_naming_the_field(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("j")
        await until(pilot, lambda: isinstance(vendor_app.screen, DateDialog))
        dialog = vendor_app.screen
        dialog.query_one("#day", Input).value = "1900-01-01"
        await pilot.press("enter")
        await settle(pilot)
        assert vendor_app.screen is dialog
        assert "date: 1900-01-01 is outside 1950-01-01–2100-12-31" in screen_text(vendor_app)
        dialog.query_one("#cancel").focus()
        await pilot.press("q", "4")  # over a dialog these would quit or leave: they do nothing
        await settle(pilot)
        assert vendor_app.is_running and vendor_app.screen is dialog


async def test_a_project_accepted_in_1900_is_refused_naming_the_field(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectForm) and vendor_app.screen.buyers)
        form = vendor_app.screen
        form.query_one("#code", Input).value = "P-OLD"
        form.query_one("#name_zh", Input).value = "旧项目"
        form.query_one("#buyer", Select).value = "WX-HOSP"
        form.query_one("#acceptance", Input).value = "1900-01-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert vendor_app.screen is form
        assert "Acceptance (planned): 1900-01-01 is outside" in screen_text(vendor_app)


async def test_escape_from_a_changed_project_form_asks_first(vendor_app: Any, engine: Engine) -> None:
    from sqlmodel import Session

    from lms.models.lookup import project_by_code
    from scheduler_tui.screens.unsaved_dialog import UnsavedDialog

    async with vendor_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await until(pilot, lambda: getattr(vendor_app.screen, "detail", None))
        await pilot.press("m")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectForm) and vendor_app.screen.pristine)
        form = vendor_app.screen
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(pilot)
        assert not isinstance(vendor_app.screen, ProjectForm)

        await pilot.press("m")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectForm) and vendor_app.screen.pristine)
        form = vendor_app.screen
        form.query_one("#site", Input).value = "门诊楼"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(vendor_app.screen, UnsavedDialog)
        assert "Edit project P-WX has unsaved changes" in screen_text(vendor_app)
        await pilot.click("#stay")
        await settle(pilot)
        assert vendor_app.screen is form and form.query_one("#site", Input).value == "门诊楼"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#discard")
        await settle(pilot)
        assert not isinstance(vendor_app.screen, (ProjectForm, UnsavedDialog))
    with Session(engine) as session:
        assert project_by_code(session, "P-WX").site == "医技楼"


@pytest.mark.parametrize("count", ["0", "1000000000"])
async def test_an_obligation_for_nobody_or_a_billion_is_refused_naming_the_field(vendor_app: Any, count: str) -> None:
    from textual.widgets import TextArea

    from scheduler_tui.screens.obligation_form import ObligationForm

    async with vendor_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await until(pilot, lambda: getattr(vendor_app.screen, "detail", None))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(vendor_app.screen, ObligationForm) and vendor_app.screen.pristine)
        form = vendor_app.screen
        form.query_one("#source", TextArea).text = CLAUSE
        await pilot.press("ctrl+r")
        await settle(pilot)
        form.query_one("#min_trainees", Input).value = count
        await pilot.press("ctrl+s")  # the first save names the fields the clause left open; the second takes defaults
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert vendor_app.screen is form
        problem = str(form.query_one("#problem").render())
        assert problem.startswith("min_trainees: ") and ("1" in problem or "10000" in problem), problem


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_holiday_notice_dialog_keeps_its_buttons_in_sight(vendor_app: Any, size: tuple[int, int]) -> None:
    from textual.widgets import Button

    from scheduler_tui.screens.notice_dialog import NoticeDialog

    async with vendor_app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(vendor_app.screen, NoticeDialog))
        for button in vendor_app.screen.query(Button):
            region = button.region
            assert region.height and region.bottom <= size[1] and region.right <= size[0], button.id
