"""The master-data screen from an empty database: HR adds organisations, people and rooms in forms (at 80×24 and
120×36), retires one; a save from a stale form is refused with who changed the record and when — changed by
another ``lms`` process between the form's load and its save — and the form reloads and saves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from textual.widgets import Button, Input, Select

from lms.db import session_scope
from lms.master_data.organisations import OrganisationFields, add_organisation
from lms.master_data.people import PersonFields, add_person
from lms.models import AuditEntry, Person, Room
from scheduler_tui.app import make_app
from scheduler_tui.screens.master_data import MasterDataScreen
from scheduler_tui.screens.master_data_forms import OrganisationForm, RoomForm
from scheduler_tui.screens.person_form import PersonForm
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import screen_text, settle, until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vendor_app(engine: Engine, pm: Any) -> Any:
    with session_scope(engine) as session:
        add_organisation(session=session, code="HZ-V", fields=OrganisationFields(kind="vendor", name_zh="清源设备"))
        add_person(session=session, code="E009", fields=PersonFields(kind="trainer", name="王强", organisation="HZ-V"))
    return make_app(engine=engine, pm=pm, today=DEMO_TODAY)


async def open_master_data(pilot: Any) -> MasterDataScreen:
    await settle(pilot)
    await pilot.press("m")
    await until(pilot, lambda: isinstance(pilot.app.screen, MasterDataScreen) and pilot.app.screen.rows["people"])
    return pilot.app.screen


async def saved(pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, MasterDataScreen))


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_hr_keeps_master_data_in_forms(vendor_app: Any, engine: Engine, size: Any) -> None:
    async with vendor_app.run_test(size=size) as pilot:
        screen = await open_master_data(pilot)
        assert "E009" in screen_text(vendor_app) and "王强" in screen_text(vendor_app)

        await pilot.press("o", "n")
        await until(pilot, lambda: isinstance(vendor_app.screen, OrganisationForm))
        form = vendor_app.screen
        form.query_one("#code", Input).value = "WX-HOSP"
        form.query_one("#name", Input).value = "无锡市第二人民医院"
        form.query_one("#kind", Select).value = "buyer"
        await saved(pilot)

        await pilot.press("p", "n")
        await until(
            pilot, lambda: isinstance(vendor_app.screen, PersonForm) and vendor_app.screen.loaded_version is None
        )
        await settle(pilot)
        form = vendor_app.screen
        form.query_one("#code", Input).value = "S1"
        form.query_one("#name", Input).value = "张三"
        form.query_one("#organisation", Select).value = "WX-HOSP"
        form.query_one("#id_number", Input).value = "11010119900307123X"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "check digit" in screen_text(vendor_app))
        assert "id_number" in screen_text(vendor_app)
        form.query_one("#id_number", Input).value = "110101199003071233"
        await saved(pilot)

        await pilot.press("s", "n")
        await until(pilot, lambda: isinstance(vendor_app.screen, RoomForm))
        await settle(pilot)
        form = vendor_app.screen
        form.query_one("#code", Input).value = "HZ-R1"
        form.query_one("#name", Input).value = "培训中心一号教室"
        form.query_one("#city", Input).value = "杭州"
        form.query_one("#capacity", Input).value = "24"
        form.query_one("#organisation", Select).value = "HZ-V"
        await saved(pilot)
        await until(pilot, lambda: bool(screen.rows["rooms"]))

        await pilot.press("x")
        await settle(pilot)
        await pilot.click("#yes")
        await until(pilot, lambda: not screen.rows["rooms"])
        await pilot.press("a")
        await until(pilot, lambda: bool(screen.rows["rooms"]))
        assert screen.rows["rooms"][0]["retired_on"] is not None

    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.code == "S1")).one()
        assert (person.kind, person.organisation_id is not None, person.version) == ("buyer_staff", True, 1)
        room = session.exec(select(Room)).one()
        assert (room.capacity, room.version, room.retired_at is not None) == (24, 2, True)
        actions = [entry.action for entry in session.exec(select(AuditEntry))]
        assert actions.count("person.add") == 2 and "room.retire" in actions and "organisation.add" in actions


def lms_in_another_process(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LMS_LANG": "en", "LMS_USER": "另一位人事"}
    return subprocess.run(
        [sys.executable, "-m", "lms", "--db", db_url, *args], capture_output=True, text=True, env=env, check=False
    )


async def test_a_stale_save_names_who_changed_it_and_reloads(vendor_app: Any, engine: Engine, db_url: str) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        await open_master_data(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(vendor_app.screen, PersonForm) and vendor_app.screen.loaded_version == 1)
        form = vendor_app.screen
        other = lms_in_another_process(db_url, "people", "edit", "E009", "--title", "高级培训师")
        assert other.returncode == 0, other.stderr
        form.query_one("#phone", Input).value = "13800138000"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query_one("#reload", Button).display)
        shown = screen_text(vendor_app)
        assert "person E009 was changed by" in shown and "另一位人事" in shown and "(version" in shown

        await pilot.click("#reload")
        await until(pilot, lambda: form.loaded_version == 2)
        assert form.query_one("#title", Input).value == "高级培训师"
        form.query_one("#phone", Input).value = "13800138000"
        await saved(pilot)

    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.code == "E009")).one()
        assert (person.title, person.phone, person.version) == ("高级培训师", "13800138000", 3)


def test_person_form_in_chinese_at_80_by_24_snapshot(snap_compare: Any, vendor_app: Any) -> None:
    """HR's form on the smallest terminal, with Chinese labels."""

    async def run_before(pilot: Any) -> None:
        from lms.i18n import set_language

        set_language("zh")
        await open_master_data(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, PersonForm) and pilot.app.screen.loaded_version == 1)

    assert snap_compare(vendor_app, terminal_size=(80, 24), run_before=run_before)
