"""A session's life-cycle from an empty database, with commands only: planned → confirmed → held (from the
attendance) → closed, or cancelled; who may be certified; grading someone who is not on the roster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.access.audit import verify
from lms.credentials.eligibility import days_required
from lms.db import make_engine
from lms.models import AuditEntry, Certificate, RosterEntry, SessionDay, TrainingSession

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "courses" / "library" / "solar-hot-water.yaml"
PROJECT = """\
projects:
  - code: P1
    name: {zh: 项目, en: Project}
    buyer: BUY
    site: 医技楼
    city: 无锡
    warranty_months: 12
    courses: [SHW-OM]
    milestones:
      acceptance: {planned: 2026-11-20, actual: 2026-11-20}
    obligations:
      - id: OB-1
        clause: 验收合格后2个工作日内集中培训，不少于2个工作日，不少于2人，考核合格者颁发证书。
        anchor: acceptance
        offset: 2 working days after
        mode: centralised
        place: buyer_site
        min_trainees: 2
        min_days: 2
        courses: [SHW-OM]
        assessment: true
        certificate: true
"""
ANSWERS = ("op-01", "c"), ("op-02", "c"), ("op-03", "b"), ("op-08", "d")


def ok(result: Any) -> str:
    assert result.code == 0, result.err
    return str(result.out)


def one_line_error(result: Any, *words: str) -> None:
    assert result.code == 1, result.out
    assert result.err.strip().count("\n") == 0 and "Traceback" not in result.err
    for word in words:
        assert word in result.err, result.err


def build_world(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, course: Path = COURSE) -> Any:
    """An empty database with a course, a vendor, a buyer, a trainer, a project and session S1 (two days) whose roster
    is B1, B2, B3."""
    monkeypatch.setenv("LMS_TODAY", "2026-11-16")
    ok(cli("courses", "import", str(course)))
    ok(cli("orgs", "add", "VEN", "--kind", "vendor", "--name", "厂商"))
    ok(cli("orgs", "add", "BUY", "--kind", "buyer", "--name", "医院"))
    ok(cli("people", "add", "T1", "--kind", "trainer", "--name", "李工", "--org", "VEN"))
    for skill in ("SHW-OPERATE", "SHW-MAINTAIN"):  # qualified (持证上岗), so that a confirm is not refused for it
        ok(cli("skills", "add", "--person", "T1", "--skill", skill, "--from", "2026-01-01", "--issuer", "厂家"))
    (tmp_path / "p.yaml").write_text(PROJECT, encoding="utf-8")
    ok(cli("projects", "import", str(tmp_path / "p.yaml")))
    ok(
        cli(
            "sessions",
            "new",
            "--code",
            "S1",
            "--project",
            "P1",
            "--obligation",
            "OB-1",
            "--start",
            "2026-11-23",
            "--days",
            "2",
            "--trainer",
            "T1",
        )  # fmt: skip
    )
    (tmp_path / "roster.csv").write_text("code,姓名\nB1,王一\nB2,王二\nB3,王三\n", encoding="utf-8")
    ok(cli("roster", "import", "S1", str(tmp_path / "roster.csv")))
    return cli


@pytest.fixture
def world(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return build_world(cli, tmp_path, monkeypatch)


def status_of(db_url: str, code: str = "S1") -> str:
    engine = make_engine(db_url)
    with Session(engine) as session:
        found = session.exec(select(TrainingSession.status).where(TrainingSession.code == code)).one()
    engine.dispose()
    return found


def test_a_session_is_held_from_its_attendance_then_closed(world: Any, db_url: str, monkeypatch: Any) -> None:
    cli = world
    one_line_error(cli("sessions", "close", "S1"), "S1", "not held yet", "2026-11-23 is not over yet")
    ok(cli("sessions", "confirm", "S1"))
    one_line_error(cli("sessions", "confirm", "S1"), "S1 is confirmed", "only a planned session")
    one_line_error(cli("attendance", "mark", "S1", "--day", "2026-11-23", "--all"), "has not come yet")
    monkeypatch.setenv("LMS_TODAY", "2026-11-23")
    out = ok(cli("attendance", "mark", "S1", "--day", "2026-11-23", "--present", "B1,B2"))
    assert "2 present, 0 absent, 1 not marked" in out
    one_line_error(cli("attendance", "mark", "S1", "--day", "2026-11-23", "--present", "X9"), "X9", "not on the roster")
    one_line_error(cli("attendance", "mark", "S1", "--day", "2026-11-22", "--all"), "not a day of session S1")
    monkeypatch.setenv("LMS_TODAY", "2026-11-24")
    ok(cli("attendance", "mark", "S1", "--day", "2026-11-24", "--all", "--absent", "B3"))
    monkeypatch.setenv("LMS_TODAY", "2026-11-25")
    shown = ok(cli("sessions", "show", "S1"))
    assert "day 2026-11-23: 1 of 3 trainees have no attendance mark" in shown and status_of(db_url) == "confirmed"
    out = ok(cli("attendance", "mark", "S1", "--day", "2026-11-23", "--absent", "B3", "--present", "B1"))
    assert "S1 is held" in out and status_of(db_url) == "held"
    one_line_error(cli("sessions", "cancel", "S1"), "S1 is held", "only a planned or confirmed session")
    ok(cli("sessions", "close", "S1"))
    assert status_of(db_url) == "closed"
    one_line_error(cli("attendance", "mark", "S1", "--day", "2026-11-23", "--all"), "closed", "no longer be changed")
    engine = make_engine(db_url)
    with Session(engine) as session:
        found = session.exec(select(AuditEntry).where(AuditEntry.entity_key == "S1"))
        actions = [e.action for e in found if e.action.startswith("session.")]
        assert actions == ["session.create", "session.confirmed", "session.held", "session.closed"]
        assert verify(session).broken_id is None
    engine.dispose()


def test_held_is_settled_by_a_status_query_once_the_last_day_is_past(world: Any, db_url: str, monkeypatch: Any) -> None:
    cli = world
    for day in ("2026-11-23", "2026-11-24"):
        monkeypatch.setenv("LMS_TODAY", day)
        ok(cli("attendance", "mark", "S1", "--day", day, "--all"))
    assert status_of(db_url) == "planned"  # the last day is not over while it is today
    monkeypatch.setenv("LMS_TODAY", "2026-11-25")
    listed = ok(cli("sessions", "list", "--format", "json"))
    assert '"status": "held"' in listed and status_of(db_url) == "held"


def test_cancel_and_duplicate(world: Any, db_url: str, monkeypatch: Any) -> None:
    cli = world
    out = ok(cli("sessions", "duplicate", "S1", "--start", "2026-12-03", "--format", "json"))
    engine = make_engine(db_url)
    with Session(engine) as session:
        copy = session.exec(select(TrainingSession).where(TrainingSession.code != "S1")).one()
        assert copy.code in out and copy.status == "planned" and copy.obligation_id is not None
        days = session.exec(select(SessionDay.day).where(SessionDay.session_id == copy.id)).all()
        assert [d.isoformat() for d in days] == ["2026-12-03", "2026-12-04"]
        assert not session.exec(select(RosterEntry).where(RosterEntry.session_id == copy.id)).all()
    engine.dispose()
    ok(cli("sessions", "cancel", copy.code, "--reason", "buyer asked"))
    one_line_error(cli("sessions", "confirm", copy.code), "cancelled")
    one_line_error(cli("sessions", "close", copy.code), "cancelled", "only a held session")
    one_line_error(cli("sessions", "new", "--project", "P1", "--obligation", "OB-9", "--start", "2026-12-01",
                       "--trainer", "T1"), "OB-9")  # fmt: skip
    one_line_error(cli("sessions", "new", "--project", "P1", "--obligation", "OB-1", "--start", "2026-12-01",
                       "--trainer", "NOBODY"), "NOBODY")  # fmt: skip


def grade(cli: Any, tmp_path: Path, trainees: list[str]) -> Any:
    lines = ["trainee,question,answer"] + [f"{t},{q},{a}" for t in trainees for q, a in ANSWERS]
    (tmp_path / "answers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cli("quiz", "grade", str(tmp_path / "answers.csv"), "--course", "SHW-OM", "--session", "S1", "--record")


def attend(cli: Any, monkeypatch: Any, absent_on_second_day: str) -> None:
    for day, extra in (("2026-11-23", []), ("2026-11-24", ["--absent", absent_on_second_day])):
        monkeypatch.setenv("LMS_TODAY", day)
        ok(cli("attendance", "mark", "S1", "--day", day, "--all", *extra))
    monkeypatch.setenv("LMS_TODAY", "2026-11-25")


def test_only_rostered_trainees_who_attended_every_day_and_passed_are_certified(
    world: Any, db_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    cli = world
    ok(cli("people", "add", "OUT", "--kind", "buyer_staff", "--name", "外人", "--org", "BUY"))
    one_line_error(grade(cli, tmp_path, ["B1", "OUT"]), "OUT (外人) is not on the roster of session S1")
    attend(cli, monkeypatch, "B3")
    ok(grade(cli, tmp_path, ["B1", "B2", "B3"]))
    out = ok(cli("quiz", "mark", "--session", "S1", "--trainee", "B3", "--practical", "90"))
    assert "no certificate for B3 王三 (S1): attended 1 of 2 days; the course asks for every day" in out
    for trainee in ("B1", "B2"):
        ok(cli("quiz", "mark", "--session", "S1", "--trainee", trainee, "--practical", "90"))
    issued = ok(cli("certs", "issue", "--session", "S1", "--format", "json"))
    assert '"person_code": "B3"' in issued and "attended 1 of 2 days" in issued
    engine = make_engine(db_url)
    with Session(engine) as session:
        holders = {c.holder_name for c in session.exec(select(Certificate))}
    engine.dispose()
    assert holders == {"王一", "王二"}
    status = ok(cli("obligations", "status", "--project", "P1"))
    assert "met (sign-in scans missing)" in status and "no signed sign-in scan for 2026-11-23, 2026-11-24" in status


def test_a_course_may_ask_for_a_share_of_the_days(cli: Any, db_url: str, tmp_path: Path, monkeypatch: Any) -> None:
    lenient = tmp_path / "course.yaml"
    lenient.write_text(COURSE.read_text(encoding="utf-8") + "\nattendance:\n  min_share: 0.5\n", encoding="utf-8")
    build_world(cli, tmp_path, monkeypatch, course=lenient)
    attend(cli, monkeypatch, "B3")
    ok(grade(cli, tmp_path, ["B1", "B2", "B3"]))
    for trainee in ("B1", "B2", "B3"):
        assert "no certificate" not in ok(
            cli("quiz", "mark", "--session", "S1", "--trainee", trainee, "--practical", "90")
        )
    ok(cli("certs", "issue", "--session", "S1"))
    engine = make_engine(db_url)
    with Session(engine) as session:
        assert len(session.exec(select(Certificate)).all()) == 3
    engine.dispose()


def test_days_required_rounds_up() -> None:
    assert [days_required(1.0, n) for n in (1, 2, 3)] == [1, 2, 3]
    assert [days_required(0.5, n) for n in (1, 2, 3, 4)] == [1, 1, 2, 2]
    assert days_required(0.6, 3) == 2 and days_required(0.5, 0) == 0


def test_the_shipped_courses_keep_their_version_on_reimport(cli: Any) -> None:
    ok(cli("courses", "import", str(COURSE)))
    again = ok(cli("courses", "import", str(COURSE)))
    assert "version 1" in again and "version 2" not in again
