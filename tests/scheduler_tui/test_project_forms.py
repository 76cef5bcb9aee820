"""The project and obligation forms, from an empty database: a PM creates a project, pastes a tender clause,
confirms the proposal and saves; a stale save is refused with who changed it, and the form reloads."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from textual.widgets import Button, Input, Select, TextArea

from lms.models import Obligation, Organisation, Project
from lms.projects.obligation_edits import edit_obligation
from scheduler_tui.app import make_app
from scheduler_tui.screens.obligation_form import ObligationForm
from scheduler_tui.screens.project_form import ProjectForm
from scheduler_tui.screens.projects import ProjectsScreen
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import screen_text, settle, until

CLAUSE = (
    "验收合格后2个工作日内，在采购人现场开展集中培训，培训不少于2个工作日，参训人员不少于5人；培训结束后进行考核。"
    "质保期内每年春季、秋季各组织一次复训，每次不少于4学时。"
)


@pytest.fixture
def vendor_app(engine: Engine, pm: Any) -> Any:
    with Session(engine) as session:
        session.add(Organisation(code="WX-HOSP", kind="buyer", name_zh="无锡市第二人民医院", name_en="Wuxi No. 2"))
        session.commit()
    return make_app(engine=engine, pm=pm, today=DEMO_TODAY)


async def open_projects(pilot: Any) -> ProjectsScreen:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProjectsScreen)
    return screen


async def new_project(pilot: Any) -> None:
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, ProjectForm) and pilot.app.screen.buyers)
    form = pilot.app.screen
    form.query_one("#code", Input).value = "P-WX"
    form.query_one("#name_zh", Input).value = "医技楼热水系统"
    form.query_one("#city", Input).value = "无锡"
    form.query_one("#acceptance", Input).value = "2026-12-01"
    form.query_one("#buyer", Select).value = "WX-HOSP"
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, ProjectsScreen) and pilot.app.screen.detail)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_project_and_its_obligation_from_the_tender(vendor_app: Any, engine: Engine, size: Any) -> None:
    async with vendor_app.run_test(size=size) as pilot:
        screen = await open_projects(pilot)
        await new_project(pilot)
        assert screen.detail["code"] == "P-WX"

        await pilot.press("a")
        await until(
            pilot,
            lambda: (
                isinstance(vendor_app.screen, ObligationForm)
                and vendor_app.screen.loaded_version is None
                and vendor_app.screen.query_one("#id", Input).value
            ),
        )
        form = vendor_app.screen
        form.query_one("#source", TextArea).text = CLAUSE
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert form.query_one("#anchor", Select).value == "acceptance"
        assert form.query_one("#offset", Input).value == "2 working days after"
        assert form.query_one("#min_trainees", Input).value == "5"
        assert form.query_one("#duty", Select).display  # two duties: the PM picks one
        assert "? audience" in screen_text(vendor_app)  # not given by the clause, marked
        for button in ("ok", "parse", "cancel"):  # the whole form fits the terminal
            region = form.query_one(f"#{button}", Button).region
            assert region.bottom <= size[1] and region.right <= size[0]

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(vendor_app.screen, ObligationForm)
        assert "not confirmed: audience, curricula" in screen_text(vendor_app)
        form.query_one("#audience", Input).value = "operator"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectsScreen))

    with Session(engine) as session:
        obligation = session.exec(select(Obligation)).one()
        assert (obligation.code, obligation.anchor, obligation.offset_days, obligation.min_trainees) == (
            "OB-1",
            "acceptance",
            2,
            5,
        )
        assert obligation.clause_text == CLAUSE.split("。")[0] + "。"
        assert obligation.audience == ["operator"] and obligation.assessment_required
        assert session.exec(select(Project)).one().version == 1


async def test_a_stale_save_is_refused_and_the_form_reloads(vendor_app: Any, engine: Engine) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        screen = await open_projects(pilot)
        await new_project(pilot)
        await pilot.press("a")
        await until(
            pilot,
            lambda: isinstance(vendor_app.screen, ObligationForm) and vendor_app.screen.query_one("#id", Input).value,
        )
        vendor_app.screen.query_one("#source", TextArea).text = CLAUSE.split("。")[0]
        await pilot.press("ctrl+r", "ctrl+s", "ctrl+s")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectsScreen) and screen.detail["periods"])

        await pilot.press("o")
        await until(
            pilot, lambda: isinstance(vendor_app.screen, ObligationForm) and vendor_app.screen.loaded_version == 1
        )
        form = vendor_app.screen
        with Session(engine) as session:  # someone else saves first
            edit_obligation(
                session=session, project_code="P-WX", code="OB-1", expect_version=1, changes={"min_trainees": 9}
            )
            session.commit()
        form.query_one("#min_days", Input).value = "3"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query_one("#reload", Button).display)
        assert "after you loaded it" in screen_text(vendor_app) and "version 2" in screen_text(vendor_app)

        await settle(pilot)
        await pilot.click("#reload")
        await until(pilot, lambda: form.loaded_version == 2)
        assert form.query_one("#min_trainees", Input).value == "9"
        form.query_one("#min_days", Input).value = "3"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectsScreen))

    with Session(engine) as session:
        obligation = session.exec(select(Obligation)).one()
        assert (obligation.min_trainees, obligation.min_days, obligation.version) == (9, 3, 3)


async def test_a_project_needs_a_buyer(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(80, 24)) as pilot:
        await open_projects(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectForm) and vendor_app.screen.buyers)
        vendor_app.screen.query_one("#code", Input).value = "P-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(vendor_app.screen, ProjectForm)
        assert "choose a buyer" in screen_text(vendor_app)


async def test_editing_a_project_keeps_what_it_does_not_touch(vendor_app: Any, engine: Engine) -> None:
    async with vendor_app.run_test(size=(80, 24)) as pilot:
        await open_projects(pilot)
        await new_project(pilot)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectForm) and vendor_app.screen.loaded_version)
        form = vendor_app.screen
        assert form.query_one("#code", Input).disabled and form.query_one("#city", Input).value == "无锡"
        form.query_one("#site", Input).value = "医技楼"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectsScreen))
    with Session(engine) as session:
        project = session.exec(select(Project)).one()
        assert (project.site, project.city, project.name_zh, project.version) == ("医技楼", "无锡", "医技楼热水系统", 2)
