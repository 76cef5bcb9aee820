"""Compliance evidence of a project: status and outstanding items, attendance per day, results over re-exams,
certificates, sign-in scans; the JSON report and the text report; the portfolio grid."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.calendars.workdays import ChinaCalendar
from lms.db import make_engine, upgrade_schema
from lms.errors import LmsError, NotFoundError
from lms.evidence.compliance import project_compliance, to_json
from lms.evidence.portfolio import portfolio_grid
from lms.evidence.session_evidence import evidence_of_session
from lms.evidence.signin_scans import attach_signin_scan
from lms.files.storage import files_root
from lms.models import (
    Attachment,
    Attempt,
    Certificate,
    Course,
    CourseVersion,
    Milestone,
    Obligation,
    Organisation,
    Person,
    Project,
)
from lms.scheduling.sessions import add_to_roster, create_session, mark_attendance, session_days
from tests.conftest import DEMO_TODAY, copy_database

D = dt.date
TODAY = D(2026, 3, 20)
ACCEPTED = D(2026, 3, 2)  # a Monday; the two working days after it are Tuesday 3 and Wednesday 4 March
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def calendar() -> ChinaCalendar:
    return ChinaCalendar()


@pytest.fixture
def demo(demo_database: str) -> Iterator[Session]:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        yield session
    engine.dispose()


def build_project(
    session: Session,
    *,
    trainees: int = 5,
    present: tuple[int, int] = (5, 5),
    grading: str = "highest",
    status: str = "held",
) -> dict[str, Any]:
    """A project accepted on 2 March 2026 whose clause asks for 3 trainees over 2 working days, assessed and
    certified; a held session on 3–4 March with ``trainees`` on the roster, the first ``present[i]`` present on
    day i."""
    vendor = Organisation(code="V", kind="vendor", name_zh="供应商", name_en="Vendor")
    buyer = Organisation(code="B", kind="buyer", name_zh="采购方", name_en="The buyer", city="杭州")
    session.add_all([vendor, buyer])
    session.flush()
    lead = Person(code="L1", kind="trainer", name="陈讲师", organisation_id=vendor.id or 0, is_technical_lead=True)
    people = [
        Person(code=f"T{n:03d}", kind="buyer_staff", name=f"学员{n}", organisation_id=buyer.id or 0)
        for n in range(1, trainees + 1)
    ]
    session.add_all([lead, *people])
    project = Project(
        code="P-T", name_zh="测试项目", name_en="Test project", buyer_id=buyer.id or 0, site="现场", city="杭州"
    )
    course = Course(code="C-1", title_zh="课程", title_en="Course")
    session.add_all([project, course])
    session.flush()
    session.add(Milestone(project_id=project.id or 0, kind="acceptance", planned_date=ACCEPTED, actual_date=ACCEPTED))
    obligation = Obligation(
        project_id=project.id or 0,
        code="OB-1",
        clause_ref="5.3",
        clause_text="验收后2个工作日内集中培训，不少于3人，考核发证。",
        anchor="acceptance",
        offset_days=2,
        mode="centralised",
        min_trainees=3,
        min_days=2,
        assessment_required=True,
        certificate_required=True,
    )
    version = CourseVersion(course_id=course.id or 0, version=1, content_hash="x", reexam={"grading": grading})
    session.add_all([obligation, version])
    session.flush()
    training = create_session(
        session,
        course_version=version,
        days=[D(2026, 3, 3), D(2026, 3, 4)],
        mode="centralised",
        place="现场",
        city="杭州",
        trainers=[(lead, "lead")],
        project_id=project.id,
        obligation_id=obligation.id,
        status=status,
        code="S-T1",
    )
    add_to_roster(session, training, people)
    if status == "held":
        for day, count in zip(session_days(session, training), present, strict=True):
            for index, person in enumerate(people):
                mark_attendance(session, day, person, index < count)
    session.commit()
    return {"project": project, "session": training, "people": people, "version": version}


def sit(session: Session, world: dict[str, Any], person: Person, *scores: float) -> None:
    """Graded attempts of ``person`` with these scores, in order (a fail, then a re-exam...)."""
    for number, score in enumerate(scores, start=1):
        session.add(
            Attempt(
                person_id=person.id or 0,
                course_version_id=world["version"].id,
                session_id=world["session"].id,
                number=number,
                status="graded",
                score=score,
                passed=score >= 60,
                submitted_at=dt.datetime(2026, 3, 4 + number, 8, tzinfo=dt.UTC),
            )
        )
    session.commit()


def certify(session: Session, world: dict[str, Any], person: Person, serial: str) -> None:
    session.add(
        Certificate(
            serial=serial,
            family="operator",
            person_id=person.id or 0,
            course_version_id=world["version"].id,
            session_id=world["session"].id,
            issued_on=D(2026, 3, 6),
        )
    )
    session.commit()


def texts(found: Any) -> list[str]:
    return [item.text for item in found.outstanding]


def test_a_short_day_makes_it_partly_met_and_is_outstanding(session: Session, calendar: ChinaCalendar) -> None:
    build_project(session, trainees=5, present=(4, 2))
    found = project_compliance(session, "P-T", TODAY, calendar)
    [obligation] = found.obligations
    assert (obligation.status, obligation.window_start, obligation.window_end) == (
        "partly_met",
        D(2026, 3, 3),
        D(2026, 3, 4),
    )
    assert obligation.working_days == 2
    [training] = obligation.sessions
    assert [(d.day, d.present, d.absent, d.enough) for d in training.days] == [
        (D(2026, 3, 3), 4, 1, True),
        (D(2026, 3, 4), 2, 3, False),
    ]
    assert training.total_hours == 12 and training.rostered == 5 and training.required_trainees == 3
    assert [t.present for t in training.trainees][:3] == [[True, True], [True, True], [True, False]]
    assert [t.name for t in training.trainers] == ["陈讲师"] and training.trainers[0].role == "lead"
    outstanding = texts(found)
    assert any("partly met" in text and "2 trainees present" in text for text in outstanding)
    assert "S-T1: 2 trainees present on 2026-03-04, the clause asks for at least 3" in outstanding
    assert any("present but not assessed: 学员1, 学员2, 学员3, 学员4" in text for text in outstanding)
    assert "S-T1: no scanned sign-in sheet for 2026-03-03, 2026-03-04" in outstanding


def test_results_follow_the_grading_method_over_reexams(session: Session, calendar: ChinaCalendar) -> None:
    world = build_project(session, trainees=4, present=(4, 4))
    first, second, third, fourth = world["people"]
    sit(session, world, first, 40, 70)  # failed, then passed the re-exam
    sit(session, world, second, 50)  # failed, no re-exam yet
    sit(session, world, third, 80)
    sit(session, world, fourth, 90)
    certify(session, world, first, "PX2026-00001")
    certify(session, world, fourth, "PX2026-00002")
    found = project_compliance(session, "P-T", TODAY, calendar)
    [training] = found.obligations[0].sessions
    results = {r.person_code: r for r in training.results}
    assert (results["T001"].outcome, results["T001"].final_score, results["T001"].reexamined) == (
        "passed_on_reexam",
        70,
        True,
    )
    assert [(a.number, a.score, a.passed) for a in results["T001"].attempts] == [(1, 40, False), (2, 70, True)]
    assert results["T001"].certificate == "PX2026-00001"
    assert (results["T002"].outcome, results["T002"].passed) == ("failed", False)
    assert results["T003"].outcome == "passed" and results["T003"].certificate is None
    assert [(c.serial, c.holder_code, c.status, c.pdf_sha256) for c in training.certificates] == [
        ("PX2026-00001", "T001", "valid", None),
        ("PX2026-00002", "T004", "valid", None),
    ]
    outstanding = texts(found)
    assert "S-T1: 学员2 failed (50) and has not passed a re-exam yet" in outstanding
    assert "S-T1: passed but hold no certificate: 学员3" in outstanding
    assert "S-T1: 2 certificates have no PDF yet" in outstanding
    assert found.obligations[0].status == "partly_met"  # a trainee passed without a certificate


def test_the_average_of_attempts_can_fail_a_reexam_that_passed(session: Session, calendar: ChinaCalendar) -> None:
    world = build_project(session, trainees=3, present=(3, 3), grading="average")
    sit(session, world, world["people"][0], 40, 70)
    [training] = project_compliance(session, "P-T", TODAY, calendar).obligations[0].sessions
    result = training.results[0]
    assert (result.final_score, result.passed, result.outcome) == (55, False, "failed")


def test_json_has_iso_dates_and_a_stable_shape(session: Session, calendar: ChinaCalendar) -> None:
    world = build_project(session, trainees=3, present=(3, 3))
    sit(session, world, world["people"][0], 75)
    data = to_json(project_compliance(session, "P-T", TODAY, calendar))
    assert list(data)[:3] == ["code", "name_zh", "name_en"]
    assert data["today"] == "2026-03-20" and data["buyer"]["name_en"] == "The buyer"
    assert [m["kind"] for m in data["milestones"]] == ["delivery", "installation", "acceptance"]
    obligation = data["obligations"][0]
    assert obligation["window_start"] == "2026-03-03" and obligation["periods"][0]["label"] == "once"
    training = obligation["sessions"][0]
    assert [day["day"] for day in training["days"]] == ["2026-03-03", "2026-03-04"]
    assert training["days"][0]["start_time"] == "09:00:00"
    assert training["results"][0]["attempts"][0]["submitted_at"].startswith("2026-03-05T08:00")
    assert {item["kind"] for item in obligation["outstanding"]} >= {"signin_scan", "certificate"}
    assert json.loads(json.dumps(data)) == data  # plain values all the way down


def count_queries(engine: Engine, run: Any) -> int:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    sqlalchemy.event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", record)
    return len(seen)


def test_queries_do_not_grow_with_trainees(tmp_path: Path, calendar: ChinaCalendar) -> None:
    counts = []
    for trainees in (4, 120):
        engine = make_engine(f"sqlite:///{tmp_path / f'{trainees}.db'}")
        upgrade_schema(engine)
        with Session(engine) as session:
            world = build_project(session, trainees=trainees, present=(trainees, trainees - 1))
            for person in world["people"]:
                sit(session, world, person, 80)
            counts.append(count_queries(engine, lambda s=session: project_compliance(s, "P-T", TODAY, calendar)))
            found = project_compliance(session, "P-T", TODAY, calendar)
            assert len(found.obligations[0].sessions[0].results) == trainees
        engine.dispose()
    assert counts[0] == counts[1]


def test_unknown_project_names_the_code(session: Session, calendar: ChinaCalendar) -> None:
    with pytest.raises(NotFoundError, match="unknown project 'NOPE'"):
        project_compliance(session, "NOPE", TODAY, calendar)


def test_a_scan_is_stored_once_and_counts_as_evidence(
    session: Session, calendar: ChinaCalendar, tmp_path: Path
) -> None:
    world = build_project(session, trainees=3, present=(3, 3))
    scan = tmp_path / "签到表-0303.png"
    scan.write_bytes(PNG)
    root = tmp_path / "files"
    first = attach_signin_scan(session, world["session"].id, scan, D(2026, 3, 3), root, "pm")
    again = attach_signin_scan(session, "s-t1", scan, D(2026, 3, 3), root, "pm")
    session.commit()
    assert first.id == again.id and (first.kind, first.session_day, first.media_type) == (
        "signin_scan",
        D(2026, 3, 3),
        "image/png",
    )
    assert (root / first.sha256[:2] / f"{first.sha256}.png").read_bytes() == PNG
    [training] = project_compliance(session, "P-T", TODAY, calendar).obligations[0].sessions
    assert [d.scans for d in training.days] == [1, 0]
    assert [(s.original_name, s.added_by) for s in training.scans] == [("签到表-0303.png", "pm")]
    assert "S-T1: no scanned sign-in sheet for 2026-03-04" in texts(project_compliance(session, "P-T", TODAY, calendar))


def test_a_bad_scan_or_day_changes_nothing(session: Session, tmp_path: Path) -> None:
    world = build_project(session, trainees=3, present=(3, 3))
    text = tmp_path / "sheet.txt"
    text.write_text("not a scan", encoding="utf-8")
    root = tmp_path / "files"
    with pytest.raises(LmsError, match="not a PDF or an image") as error:
        attach_signin_scan(session, world["session"].id, text, D(2026, 3, 3), root, "pm")
    assert "sheet.txt" in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(LmsError, match="2026-03-05 is not a day of session S-T1") as error:
        attach_signin_scan(session, world["session"].id, text, D(2026, 3, 5), root, "pm")
    assert error.value.field == "day"
    with pytest.raises(NotFoundError):
        attach_signin_scan(session, "S-NONE", text, D(2026, 3, 3), root, "pm")
    assert session.exec(select(Attachment)).all() == [] and not root.exists()


def test_cadence_periods_each_have_a_status_and_later_ones_are_summed_up(
    session: Session, calendar: ChinaCalendar
) -> None:
    world = build_project(session, trainees=3, present=(3, 3))
    project: Project = world["project"]
    project.warranty_months = 12
    session.add(
        Obligation(
            project_id=project.id or 0,
            code="OB-2",
            clause_text="质保期内每季度巡检培训一次。",
            anchor="acceptance",
            mode="on_site",
            cadence="quarterly",
        )
    )
    session.commit()
    found = project_compliance(session, "P-T", D(2026, 7, 10), calendar)
    refresher = found.obligations[1]
    assert [(p.label, p.status) for p in refresher.periods] == [
        ("2026-Q1", "overdue"),
        ("2026-Q2", "overdue"),
        ("2026-Q3", "planned"),
        ("2026-Q4", "planned"),
        ("2027-Q1", "planned"),
    ]
    assert refresher.status == "overdue" and refresher.reason.startswith("2026 Q1: the window closed on 2026-03-31")
    items = [item for item in found.outstanding if item.obligation == "OB-2"]
    assert [item.kind for item in items] == ["period", "period", "period", "later_periods"]
    assert items[2].text == "OB-2 2026 Q3: no session yet; the window closes on 2026-09-30"
    assert items[3].text == "OB-2: later periods without a session: 2; the next opens 2026-10-01"


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_project_trained_on_time_with_a_reexam(demo: Session, calendar: ChinaCalendar) -> None:
    found = project_compliance(demo, "P2026-HZ-SHW", DEMO_TODAY, calendar)
    assert found.buyer.code == "HZ-HOSP" and found.milestones[2].actual is not None
    first, refresher = found.obligations
    assert (first.code, first.status, first.clause_ref) == ("OB-1", "met", "第五章 技术要求 5.3")
    [training] = first.sessions
    assert training.status == "held" and [d.present for d in training.days] == [7, 7]
    assert {t.role for t in training.trainers} == {"lead", "assistant"}
    outcomes = [r.outcome for r in training.results]
    assert outcomes.count("passed_on_reexam") == 1 and outcomes.count("absent") == 1
    reexamined = next(r for r in training.results if r.outcome == "passed_on_reexam")
    assert [a.passed for a in reexamined.attempts] == [False, True] and reexamined.certificate
    assert len(training.certificates) == 7 and all(c.serial.startswith("PX") for c in training.certificates)
    assert refresher.cadence == "spring_autumn" and refresher.periods[0].label == f"{DEMO_TODAY.year}-autumn"
    assert refresher.periods[0].status == "met" and refresher.sessions[0].period == refresher.periods[0].label
    assert not any(item.kind == "period" for item in found.outstanding)


def test_the_demo_project_short_of_trainees(demo: Session, calendar: ChinaCalendar) -> None:
    found = project_compliance(demo, "P2025-HZ-SHW", DEMO_TODAY, calendar)
    first, quarterly = found.obligations
    assert first.status == "partly_met"
    assert [d.present for d in first.sessions[0].days] == [3, 3]
    assert quarterly.status == "overdue"
    kinds = {(item.obligation, item.kind) for item in found.outstanding}
    assert {("OB-1", "period"), ("OB-1", "trainees"), ("OB-2", "period")} <= kinds


def test_the_portfolio_grid_has_every_obligation_and_periods_in_time_order(
    demo: Session, calendar: ChinaCalendar
) -> None:
    grid = portfolio_grid(demo, calendar, DEMO_TODAY)
    assert len(grid.rows) == len(demo.exec(select(Obligation)).all())
    assert grid.columns[0] == "once"
    assert grid.columns.index("2026-Q3") < grid.columns.index("2026-autumn") < grid.columns.index("2026-Q4")
    rows = {(row.project, row.obligation): row for row in grid.rows}
    assert rows[("P2025-HZ-SHW", "OB-2")].cells["2026-Q1"].status == "overdue"
    assert rows[("P2026-HZ-SHW", "OB-2")].cells[f"{DEMO_TODAY.year}-autumn"].status == "met"
    assert rows[("P2026-SZ-SEC2", "OB-1")].cells["once"].status == "waiting"


# --- the command line ----------------------------------------------------------------------------


def test_report_compliance_json_text_and_errors(cli, demo_database: str) -> None:  # type: ignore[no-untyped-def]
    as_of = ("--as-of", DEMO_TODAY.isoformat())
    result = cli("report", "compliance", "--project", "P2026-HZ-SHW", *as_of, "--format", "json", db=demo_database)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["code"] == "P2026-HZ-SHW" and data["obligations"][0]["status"] == "met"
    text = cli("report", "compliance", "--project", "P2025-HZ-SHW", *as_of, db=demo_database)
    assert text.code == 0, text.err
    assert "OB-1 第五章 技术要求 5.3  [partly met]" in text.out
    assert "Outstanding (" in text.out and "3 trainees present on" in text.out
    unknown = cli("report", "compliance", "--project", "NOPE", db=demo_database)
    assert unknown.code == 1 and "unknown project 'NOPE'" in unknown.err and len(unknown.err.splitlines()) == 1


def test_obligations_status_grid(cli, demo_database: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("obligations", "status", "--grid", "--as-of", DEMO_TODAY.isoformat(), db=demo_database)
    assert result.code == 0, result.err
    header, _rule, *rows = result.out.splitlines()
    assert header.split()[:4] == ["Project", "Obligation", "Status", "one-off"] and "2026 autumn" in header
    assert len(rows) == 9
    data = json.loads(cli("obligations", "status", "--grid", "--format", "json", db=demo_database).out)
    assert data["columns"][0] == "once" and len(data["rows"]) == 9


def test_attach_signin_from_the_command_line(cli, demo_database: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, drop = copy_database(demo_database, tmp_path)
    engine = make_engine(url)
    with Session(engine) as session:
        training = project_compliance(session, "P2026-HZ-SHW", DEMO_TODAY, ChinaCalendar()).obligations[0].sessions[0]
    code, day = training.code, training.first_day.isoformat()
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 a word file")
    refused = cli("report", "attach-signin", str(bad), "--session", code, "--day", day, db=url)
    assert refused.code == 1 and "notes.docx" in refused.err and len(refused.err.splitlines()) == 1
    with Session(engine) as session:
        assert session.exec(select(Attachment)).all() == []
    assert not files_root(engine).exists()
    scan = tmp_path / "sheet.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scan\n")
    kept = cli("report", "attach-signin", str(scan), "--session", code, "--day", day, "--format", "json", db=url)
    assert kept.code == 0, kept.err
    stored = json.loads(kept.out)
    assert stored["media_type"] == "application/pdf" and stored["day"] == day
    assert any(files_root(engine).rglob(f"{stored['sha256']}.pdf"))
    report = json.loads(cli("report", "compliance", "--project", "P2026-HZ-SHW", "--format", "json", db=url).out)
    assert report["obligations"][0]["sessions"][0]["scans"][0]["original_name"] == "sheet.pdf"
    engine.dispose()
    drop()


def test_one_sessions_evidence_is_what_a_sign_in_sheet_needs(demo: Session, calendar: ChinaCalendar) -> None:
    code = project_compliance(demo, "P2025-HZ-SHW", DEMO_TODAY, calendar).obligations[0].sessions[0].code
    sheet = evidence_of_session(demo, code.lower())
    assert (sheet.code, sheet.required_trainees, sheet.rostered) == (code, 5, 6)
    assert [t.present for t in sheet.trainees] == [[True, True]] * 3 + [[False, False]] * 3
    assert all("*" in t.id_number_masked and len(t.id_number_masked) == 18 for t in sheet.trainees)
    assert all(t.signed_at[0] is not None for t in sheet.trainees[:3]) and sheet.trainees[3].signed_at == [None, None]
    with pytest.raises(NotFoundError, match="no training session S-NONE"):
        evidence_of_session(demo, "S-NONE")
