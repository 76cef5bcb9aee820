"""One case rule for the codes people type: ``s-abc`` finds ``S-ABC`` for sessions, people, projects and courses,
in the services that used to look them up each their own way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from lms.assessment.quizzes import current_version
from lms.db import make_engine
from lms.errors import LmsError, NotFoundError
from lms.evidence.compliance import project_compliance
from lms.feedback.summaries import summary_by_trainer
from lms.models import Course, Organisation, Person, Project, RosterEntry, TrainingSession
from lms.models.lookup import (
    code_key,
    course_by_code,
    find_by_code,
    person_by_code,
    project_by_code,
    session_by_code,
    session_by_id_or_code,
)
from lms.scheduling.rosters import import_roster
from tests.conftest import DEMO_TODAY, copy_database


@pytest.fixture
def demo_session(demo_database: str, tmp_path: Path) -> Iterator[Session]:
    url, drop = copy_database(demo_database, tmp_path)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()
    drop()


def test_the_case_rule_folds_case_full_width_forms_and_spaces() -> None:
    assert code_key(" s-abc ") == code_key("Ｓ－ＡＢＣ") == code_key("S - ABC") == "S-ABC"


def test_every_entity_is_found_by_its_code_in_any_case(demo_session: Session) -> None:
    training = demo_session.exec(select(TrainingSession)).first()
    person = demo_session.exec(select(Person)).first()
    project = demo_session.exec(select(Project)).first()
    course = demo_session.exec(select(Course)).first()
    assert training and person and project and course
    assert session_by_code(demo_session, training.code.lower()).id == training.id
    assert session_by_id_or_code(demo_session, f" {training.code.lower()} ").id == training.id
    assert session_by_id_or_code(demo_session, str(training.id)).id == training.id
    assert person_by_code(demo_session, person.code.lower()).id == person.id
    assert project_by_code(demo_session, project.code.lower()).id == project.id
    assert course_by_code(demo_session, course.code.lower()).id == course.id
    assert current_version(demo_session, course.code.lower()).course_id == course.id
    with pytest.raises(NotFoundError, match="no training session has the code S-NOPE"):
        session_by_code(demo_session, "s-nope ".upper())


def test_services_take_a_lower_case_code(demo_session: Session, tmp_path: Path) -> None:
    training = demo_session.exec(select(TrainingSession).where(TrainingSession.code == "S-JTXQ20")).one()
    path = tmp_path / "staff.csv"
    path.write_text("姓名\n新人\n", encoding="utf-8")
    result = import_roster(demo_session, session_code="s-jtxq20", path=path)  # lms roster import --session s-jtxq20
    assert result.session_code == "S-JTXQ20" and result.added_to_roster == 1
    assert demo_session.exec(select(RosterEntry).where(RosterEntry.session_id == training.id)).all()
    project = demo_session.exec(select(Project)).first()
    assert project is not None
    assert project_compliance(demo_session, project.code.lower(), DEMO_TODAY, _calendar()).code == project.code
    trainer = demo_session.exec(select(Person).where(Person.kind != "buyer_staff")).first()
    assert trainer is not None
    assert summary_by_trainer(demo_session, trainer.code.lower()).code == trainer.code


def test_codes_that_differ_only_in_case_resolve_to_the_exact_one_or_fail(demo_session: Session) -> None:
    buyer = demo_session.exec(select(Organisation)).first()
    assert buyer is not None and buyer.id is not None
    for code in ("X-ab", "X-AB"):
        demo_session.add(Person(code=code, kind="buyer_staff", name=code, organisation_id=buyer.id))
    demo_session.flush()
    found = find_by_code(demo_session, Person, "X-ab")
    assert found is not None and found.code == "X-ab"
    with pytest.raises(LmsError, match="different cases"):
        person_by_code(demo_session, "x-AB ".lower())


def _calendar():  # type: ignore[no-untyped-def]
    from lms.calendars.workdays import get_calendar

    return get_calendar()
