"""Retired people and rooms keep their history but are offered for nothing new: not in the session form's lists,
refused for a new session's trainers or room, refused on a roster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from lms.db import make_engine
from lms.errors import LmsError
from lms.master_data.people import retire_person
from lms.master_data.rooms import retire_room
from lms.models import CourseVersion, Person, Room, RosterEntry, TrainingSession
from lms.scheduling.roster_changes import add_person
from lms.scheduling.session_forms import form_choices
from lms.scheduling.sessions import create_session
from tests.conftest import copy_database


@pytest.fixture
def demo(demo_database: str, tmp_path: Path) -> Iterator[Session]:
    url, drop = copy_database(demo_database, tmp_path)
    engine = make_engine(url)
    with Session(engine) as session:
        yield session
    engine.dispose()
    drop()


def test_retired_records_are_refused_for_anything_new(demo: Session) -> None:
    trainer = demo.exec(select(Person).where(Person.kind == "trainer").order_by(col(Person.code))).first()
    room = demo.exec(select(Room).order_by(col(Room.code))).first()
    training = demo.exec(select(TrainingSession).where(TrainingSession.status == "planned")).first()
    assert trainer and room and training
    on_roster = set(demo.exec(select(RosterEntry.person_id).where(RosterEntry.session_id == training.id)))
    trainee = next(p for p in demo.exec(select(Person).where(Person.kind == "buyer_staff")) if p.id not in on_roster)
    for code in (trainer.code, trainee.code):
        retire_person(session=demo, code=code, reason="left")
    retire_room(session=demo, code=room.code)

    choices = form_choices(demo)
    assert trainer.code not in {t["code"] for t in choices["trainers"]}
    assert room.code not in {r["code"] for r in choices["rooms"]}
    version = demo.exec(select(CourseVersion)).first()
    assert version is not None
    with pytest.raises(LmsError, match=f"{trainer.code} was retired on") as raised:
        create_session(
            demo,
            course_version=version,
            days=[dt.date(2027, 3, 1)],
            mode="on_site",
            place="x",
            city="杭州",
            trainers=[(trainer, "lead")],
        )
    assert raised.value.field == "trainers"
    with pytest.raises(LmsError, match=f"{room.code} was retired on"):
        create_session(
            demo,
            course_version=version,
            days=[dt.date(2027, 3, 1)],
            mode="centralised",
            place="x",
            city="杭州",
            room=room,
        )
    with pytest.raises(LmsError, match=f"{trainee.code} was retired on"):
        add_person(demo, session_code=training.code, person=trainee.code)
