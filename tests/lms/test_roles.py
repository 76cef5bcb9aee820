"""Roles are enforced in the services: each role is refused what it may not do, wherever the call comes from;
full ID numbers only for HR; the quiz app runs as a trainee."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from lms.access.identity import login_name
from lms.access.roles import (
    GRANTS,
    Permission,
    PermissionDenied,
    Role,
    acting_as,
    configured_role,
    current_role,
    require,
    shown_id_number,
)
from lms.assessment.papers import answer_key
from lms.credentials.certificates import revoke
from lms.credentials.skills import add_external_record
from lms.db import make_engine
from lms.models import Certificate, CertificateStatus, Milestone, Person, Project
from lms.projects.projects_file import change_milestone_date
from tests.conftest import copy_database


@pytest.fixture
def demo_session(demo_database: str, tmp_path: Path) -> Iterator[Session]:
    url, drop = copy_database(demo_database, tmp_path)
    engine = make_engine(url)
    with Session(engine) as session:
        yield session
    engine.dispose()
    drop()


def a_certificate(session: Session) -> Certificate:
    found = session.exec(select(Certificate).where(Certificate.status == CertificateStatus.valid)).first()
    assert found is not None
    return found


@pytest.mark.parametrize("role", [Role.trainer, Role.project_manager, Role.trainee])
def test_only_hr_and_admin_may_revoke(demo_session: Session, role: Role) -> None:
    serial = a_certificate(demo_session).serial
    with acting_as(role), pytest.raises(PermissionDenied, match="manage_certificates"):
        revoke(demo_session, serial, "wrong name", dt.date(2026, 11, 20))
    assert a_certificate(demo_session).status == CertificateStatus.valid
    with acting_as(Role.hr):
        assert revoke(demo_session, serial, "wrong name", dt.date(2026, 11, 20)).status == CertificateStatus.revoked


def test_project_managers_move_milestones_but_hr_may_not(demo_session: Session) -> None:
    project = demo_session.exec(select(Project)).first()
    assert project is not None
    milestone = demo_session.exec(
        select(Milestone).where(Milestone.project_id == project.id, Milestone.kind == "acceptance")
    ).one()
    with acting_as(Role.hr), pytest.raises(PermissionDenied):
        change_milestone_date(demo_session, project, milestone, dt.date(2026, 12, 1))
    with acting_as(Role.project_manager):
        change_milestone_date(demo_session, project, milestone, dt.date(2026, 12, 1))
    assert milestone.actual_date == dt.date(2026, 12, 1)


def test_trainees_never_get_answer_keys(demo_session: Session) -> None:
    with acting_as(Role.trainee), pytest.raises(PermissionDenied, match="view_keys"):
        answer_key(demo_session, None, types={})  # type: ignore[arg-type]


def test_outside_certificates_are_for_hr(demo_session: Session, tmp_path: Path) -> None:
    with acting_as(Role.trainer), pytest.raises(PermissionDenied, match="edit_skills"):
        add_external_record(
            demo_session,
            person_code="E001",
            skill_code="ANY",
            valid_from=dt.date(2026, 1, 1),
            valid_until=None,
            issuer="Maker",
            reference=None,
            scan=None,
            files_root=tmp_path,
            added_by="x",
        )


def test_full_id_numbers_only_for_hr(demo_session: Session) -> None:
    person = demo_session.exec(select(Person).where(Person.id_number.is_not(None))).first()  # type: ignore[union-attr]
    assert person is not None and person.id_number
    with acting_as(Role.hr):
        assert shown_id_number(person) == person.id_number
    for role in (Role.trainer, Role.project_manager, Role.trainee):
        with acting_as(role):
            shown = shown_id_number(person)
            assert shown != person.id_number and "*" in shown and shown[-4:] == person.id_number[-4:]


def test_every_role_has_what_its_job_needs_and_trainees_nothing() -> None:
    assert GRANTS[Role.trainee] == frozenset()
    assert Permission.view_id_numbers in GRANTS[Role.hr] and Permission.view_id_numbers not in GRANTS[Role.trainer]
    assert Permission.schedule in GRANTS[Role.trainer] and Permission.schedule not in GRANTS[Role.hr]
    assert GRANTS[Role.admin] == frozenset(Permission)
    with acting_as(Role.trainee):
        for permission in Permission:
            with pytest.raises(PermissionDenied):
                require(permission)


def test_role_comes_from_the_environment_or_the_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from lms.config import settings

    assert configured_role() == Role.admin  # a single-user install may do everything
    config = tmp_path / "config.yaml"
    config.write_text(f"access:\n  default_role: trainer\n  users:\n    {login_name()}: hr\n", encoding="utf-8")
    monkeypatch.setenv("LMS_CONFIG", str(config))
    settings.cache_clear()
    assert current_role() == Role.hr  # the operating-system account decides, not a name in the environment
    monkeypatch.setenv("LMS_USER", "somebody-else")
    assert current_role() == Role.hr
    config.write_text("access:\n  default_role: trainer\n  users:\n    alice: hr\n", encoding="utf-8")
    settings.cache_clear()
    monkeypatch.setenv("LMS_USER", "alice")
    assert current_role() == Role.trainer
    monkeypatch.setenv("LMS_ROLE", "project-manager")
    assert current_role() == Role.project_manager


def test_the_command_line_refuses_with_one_line(cli, demo_database: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url, drop = copy_database(demo_database, tmp_path)
    with Session(make_engine(url)) as session:
        serial = a_certificate(session).serial
    monkeypatch.setenv("LMS_ROLE", "trainer")
    refused = cli("certs", "revoke", serial, "--reason", "typo", db=url)
    assert refused.code == 1 and refused.err.count("\n") == 1 and "trainer" in refused.err
    monkeypatch.setenv("LMS_ROLE", "nobody")
    bad = cli("certs", "list", db=url)
    assert bad.code == 1 and "'nobody' is not a role" in bad.err
    monkeypatch.setenv("LMS_ROLE", "hr")
    assert cli("certs", "revoke", serial, "--reason", "typo", db=url).code == 0
    drop()
