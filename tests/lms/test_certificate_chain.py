"""The pass → certificate → skill record chain runs in the core, through hook events, with no plugin registered;
and the certificate register's commands exist without the certificates plugin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.cli.root import build_app
from lms.hookspecs import hookimpl
from lms.models import Attempt, Attendance, Certificate, CourseSkillGrant, SessionDay, Skill, SkillRecord
from lms.plugins import make_plugin_manager
from tests.lms.quiz_fixtures import quiz_world


@pytest.fixture(autouse=True)
def issuer_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LMS_ISSUER_KEY", str(tmp_path / "keys" / "issuer.pem"))


class Listener:
    def __init__(self) -> None:
        self.issued: list[str] = []

    @hookimpl
    def lms_certificate_issued(self, session: Any, certificate: Certificate) -> None:
        self.issued.append(certificate.serial)


def test_a_graded_pass_issues_a_signed_certificate_and_skill_records_with_the_core_alone(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    made = quiz_world(session, pm, tmp_path)  # the course comes in through the courses plugin
    version = made["version"]
    skill = Skill(code="PUMP-OP", name_zh="水泵操作", name_en="Pump operation")
    session.add(skill)
    session.flush()
    session.add(CourseSkillGrant(course_version_id=version.id, skill_id=skill.id, level=2))
    days = session.exec(select(SessionDay).where(SessionDay.session_id == made["session"].id)).all()
    # Both came every day: who may be certified then rests on the pass alone.
    session.add_all(Attendance(session_day_id=day.id, person_id=person.id) for day in days for person in made["people"])
    passed, failed = (
        Attempt(
            person_id=person.id,
            course_version_id=version.id,
            session_id=made["session"].id,
            status="graded",
            score=score,
            passed=score >= 60,
        )
        for person, score in zip(made["people"], (90.0, 30.0), strict=False)
    )
    session.add_all([passed, failed])
    session.flush()
    core = make_plugin_manager(load_entrypoints=False)  # no certificates plugin
    listener = Listener()
    core.register(listener)
    for attempt in (passed, failed):
        core.hook.lms_attempt_graded(session=session, attempt=attempt, pm=core)
    [certificate] = session.exec(select(Certificate)).all()
    assert certificate.attempt_id == passed.id and certificate.serial and certificate.verification_code
    assert listener.issued == [certificate.serial]
    [record] = session.exec(select(SkillRecord)).all()
    assert (record.person_id, record.skill_id, record.certificate_id) == (passed.person_id, skill.id, certificate.id)


def test_the_certificate_register_commands_exist_without_the_certificates_plugin() -> None:
    core_app = build_app(make_plugin_manager(load_entrypoints=False))
    [certs] = [group.typer_instance for group in core_app.registered_groups if group.name == "certs"]
    assert certs is not None
    names = {command.name for command in certs.registered_commands}
    assert {"verify", "revoke", "reissue", "list"} <= names and "issue" not in names
    assert [group.name for group in certs.registered_groups] == ["keys"]
