"""One "today": the working zone's date (Asia/Shanghai by default), whatever the server's clock zone. At 23:30 UTC it
is already the next morning in Shanghai: a certificate issued then is dated the Shanghai day, and the command line
must agree — revoking it "today" works and its skill record is valid, not 尚未生效.

The module is in ``DATE_SENSITIVE`` (tests/conftest.py): CI runs it again under the other TZ (``make test-dates``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import Session, select

from lms.calendars.dates import local_date, working_today
from lms.models import Attempt, Attendance, Certificate, CourseSkillGrant, SessionDay, Skill, SkillRecord
from tests.lms.quiz_fixtures import quiz_world

UTC_LATE = dt.datetime(2026, 11, 20, 23, 30, tzinfo=ZoneInfo("UTC"))  # 07:30 on the 21st in Shanghai
SHANGHAI_DAY = dt.date(2026, 11, 21)


@pytest.fixture(autouse=True)
def unpinned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LMS_TODAY", raising=False)
    monkeypatch.setenv("LMS_ISSUER_KEY", str(tmp_path / "keys" / "issuer.pem"))


@pytest.mark.parametrize("server_zone", ["UTC", "Asia/Shanghai", "America/Los_Angeles"])
def test_today_is_the_working_zones_date_whatever_the_servers_zone(server_zone: str) -> None:
    with time_machine.travel(UTC_LATE.astimezone(ZoneInfo(server_zone)), tick=False):
        assert working_today() == SHANGHAI_DAY
        assert local_date(dt.datetime(2026, 11, 20, 23, 30)) == SHANGHAI_DAY  # a stored naive UTC moment


def test_lms_today_pins_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LMS_TODAY", "2027-02-01")
    with time_machine.travel(UTC_LATE, tick=False):
        assert working_today() == dt.date(2027, 2, 1)


def test_on_a_utc_server_at_2330_a_certificate_issued_today_revokes_and_its_skill_is_valid(
    session: Session, pm: Any, tmp_path: Path, cli: Any
) -> None:
    made = quiz_world(session, pm, tmp_path)
    skill = Skill(code="PUMP-OP", name_zh="水泵操作", name_en="Pump operation")
    session.add(skill)
    session.flush()
    session.add(CourseSkillGrant(course_version_id=made["version"].id, skill_id=skill.id, level=2))
    trainee = made["people"][0]
    days = session.exec(select(SessionDay).where(SessionDay.session_id == made["session"].id)).all()
    session.add_all(Attendance(session_day_id=day.id, person_id=trainee.id) for day in days)  # certified: came
    with time_machine.travel(UTC_LATE, tick=False):  # a server whose clock zone is UTC
        assert dt.date.today() == dt.date(2026, 11, 20)  # the machine's own idea of today
        attempt = Attempt(
            person_id=trainee.id,
            course_version_id=made["version"].id,
            session_id=made["session"].id,
            status="graded",
            score=90.0,
            passed=True,
            submitted_at=dt.datetime.now(dt.UTC),
        )
        session.add(attempt)
        session.flush()
        pm.hook.lms_attempt_graded(session=session, attempt=attempt, pm=pm)
        session.commit()
        certificate = session.exec(select(Certificate)).one()
        assert certificate.issued_on == SHANGHAI_DAY
        record = session.exec(select(SkillRecord)).one()
        assert record.valid_from == SHANGHAI_DAY

        shown = cli("skills", "show", trainee.code, "--format", "json")
        assert shown.code == 0, shown.err
        [line] = json.loads(shown.out)["records"]
        assert line["state"] == "certified"  # not "future" (尚未生效)
        revoked = cli("certs", "revoke", certificate.serial, "--reason", "照片有误")
        assert revoked.code == 0, revoked.err
    session.expire_all()
    assert session.exec(select(Certificate)).one().status == "revoked"
