"""A vendor's first records, made through the services on an empty database (no demo): a buyer, two trainers, a
room, one imported course, one project and, when asked, one session in January 2027 (a provisional calendar year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from lms.catalog.service import import_paths
from lms.db import session_scope
from lms.master_data.organisations import OrganisationFields, add_organisation
from lms.master_data.people import PersonFields, add_person
from lms.master_data.rooms import RoomFields, add_room
from lms.models import Person, Room
from lms.projects.project_edits import create_project
from lms.scheduling.sessions import create_session
from tests.conftest import LIBRARY

SESSION_CODE = "S-WX0001"
SESSION_DAYS = [dt.date(2027, 1, 11), dt.date(2027, 1, 12)]


def set_up_vendor(engine: Engine, pm: Any, *, with_session: bool = False) -> None:
    with session_scope(engine) as session:
        for code, kind, name in (
            ("HZ-VENDOR", "vendor", "杭州清源设备有限公司"),
            ("WX-HOSP", "buyer", "无锡市第二人民医院"),
        ):
            add_organisation(session=session, code=code, fields=OrganisationFields(kind=kind, name_zh=name))
        for code, name, lead in (("E009", "王强", True), ("E010", "李敏", False)):
            fields = PersonFields(kind="trainer", name=name, organisation="HZ-VENDOR", is_technical_lead=lead)
            add_person(session=session, code=code, fields=fields)
        room = RoomFields(name="培训中心一号教室", city="杭州", capacity=24, organisation="HZ-VENDOR")
        add_room(session=session, code="HZ-R1", fields=room)
        (version, _created), *_rest = import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
        create_project(
            session=session,
            code="P-WX",
            buyer="WX-HOSP",
            name_zh="医技楼热水系统",
            site="医技楼",
            city="无锡",
            planned={"acceptance": dt.date(2026, 12, 1)},
        )
        if with_session:
            trainers = [session.exec(select(Person).where(Person.code == code)).one() for code in ("E009", "E010")]
            create_session(
                session,
                course_version=version,
                days=SESSION_DAYS,
                mode="centralised",
                place="培训中心一号教室",
                city="杭州",
                trainers=[(trainers[0], "lead"), (trainers[1], "assistant")],
                room=session.exec(select(Room).where(Room.code == "HZ-R1")).one(),
                code=SESSION_CODE,
                pm=pm,
            )
