"""Training plans (versioned, kept byte for byte), session reports and their place in the evidence pack, from the
demo data through the command line to PDFs read back; and the teaching schedule's spreading of modules over days."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from lms.db import make_engine, session_scope
from lms.documents.plan_models import AssessmentPlan, CoursePlan, CurriculumPlan, ModulePlan, Text
from lms.documents.teaching_schedule import teaching_schedule
from lms.evidence.session_lines import DayLine
from lms.feedback.survey import default_survey
from lms.files.storage import sha256_file
from lms.models import (
    Attempt,
    FeedbackResponse,
    IssuedDocument,
    Person,
    Project,
    RosterEntry,
    SessionDay,
    TrainingSession,
)
from lms.scheduling.sessions import move_session
from tests.certificates.conftest import pdf_text
from tests.conftest import copy_database


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path) -> Iterator[str]:
    url, drop = copy_database(demo_database, tmp_path)
    yield url
    drop()


def flat(text: str) -> str:
    return "".join(text.split())


def planned_session(url: str) -> tuple[str, str, list[dt.date]]:
    """A planned session that serves a project's obligation: its code, the project code and its days."""
    with Session(make_engine(url)) as session:
        training, project = session.exec(
            select(TrainingSession, Project)
            .join(Project, col(Project.id) == TrainingSession.project_id)
            .where(TrainingSession.status == "planned", col(TrainingSession.obligation_id).is_not(None))
            .order_by(col(TrainingSession.code))
        ).first() or (None, None)
        assert training is not None and project is not None
        days = [d.day for d in session.exec(select(SessionDay).where(SessionDay.session_id == training.id))]
        return training.code, project.code, sorted(days)


def test_moving_a_session_makes_version_2_and_version_1_stays_byte_identical(  # type: ignore[no-untyped-def]
    cli, demo_copy: str, tmp_path: Path
) -> None:
    code, project, days = planned_session(demo_copy)
    first = tmp_path / "plan-v1.pdf"
    made = cli("report", "plan", "--project", project, "-o", str(first), db=demo_copy)
    assert made.code == 0, made.err
    assert "version 1 (new)" in made.out
    text = pdf_text(first)
    assert "培训计划" in text and "Training plan" in text and "第 1 版" in text and "Version 1" in text
    assert "教学进度" in text and code in text and f"{days[0]}09:00" in flat(text)

    again = tmp_path / "plan-again.pdf"
    same = cli("report", "plan", "--project", project, "-o", str(again), db=demo_copy)
    assert same.code == 0 and "version 1 (unchanged)" in same.out
    assert again.read_bytes() == first.read_bytes()

    moved_to = [day + dt.timedelta(days=7) for day in days]
    with session_scope(make_engine(demo_copy)) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == code)).one()
        move_session(session, training, moved_to)
    second = tmp_path / "plan-v2.pdf"
    remade = cli("report", "plan", "--project", project, "-o", str(second), db=demo_copy)
    assert remade.code == 0 and "version 2 (new)" in remade.out
    text2 = pdf_text(second)
    assert "第 2 版" in text2 and "Version 2" in text2 and moved_to[0].isoformat() in text2
    assert f"{days[0]}09:00" not in flat(text2) and f"{moved_to[0]}09:00" in flat(text2)

    old = tmp_path / "old.pdf"
    fetched = cli("report", "plan", "--project", project, "--version", "1", "-o", str(old), db=demo_copy)
    assert fetched.code == 0, fetched.err
    assert old.read_bytes() == first.read_bytes()

    listed = cli("report", "plan", "--project", project, "--versions", "--format", "json", db=demo_copy)
    versions = json.loads(listed.out)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["sha256"] == sha256_file(first) and versions[1]["sha256"] == sha256_file(second)
    assert versions[0]["inputs_sha256"] != versions[1]["inputs_sha256"]


def test_plan_says_what_who_how_and_assessment(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, project, _days = planned_session(demo_copy)
    output = tmp_path / "plan.pdf"
    assert cli("report", "plan", "--project", project, "-o", str(output), db=demo_copy).code == 0
    text = flat(pdf_text(output))
    with Session(make_engine(demo_copy)) as session:
        from lms.models import CourseModule, SessionTrainer

        training = session.exec(select(TrainingSession).where(TrainingSession.code == code)).one()
        modules = session.exec(
            select(CourseModule).where(CourseModule.course_version_id == training.course_version_id)
        ).all()
        trainers = session.exec(
            select(Person)
            .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
            .where(SessionTrainer.session_id == training.id)
        ).all()
    assert modules and trainers
    for module in modules:
        assert flat(module.title_zh) in text
    for trainer in trainers:
        assert flat(trainer.name) in text
    for heading in ("时间", "地点", "对象", "内容", "方式", "师资", "考核与发证", "Whoteaches", "Hands-onpractice"):
        assert heading in text


def test_plan_of_an_unknown_project_or_version_writes_nothing(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "none.pdf"
    result = cli("report", "plan", "--project", "NOPE", "-o", str(output), db=demo_copy)
    assert result.code == 1 and "NOPE" in result.err and result.err.strip().count("\n") == 0
    assert not output.exists()
    _code, project, _days = planned_session(demo_copy)
    missing = cli("report", "plan", "--project", project, "--version", "7", "-o", str(output), db=demo_copy)
    assert missing.code == 1 and "7" in missing.err
    assert not output.exists()
    with Session(make_engine(demo_copy)) as session:
        assert session.exec(select(IssuedDocument)).first() is None


def reexamined_session(url: str) -> TrainingSession:
    with Session(make_engine(url)) as session:
        training = session.exec(
            select(TrainingSession)
            .join(Attempt, col(Attempt.session_id) == TrainingSession.id)
            .where(Attempt.number > 1, col(TrainingSession.project_id).is_not(None))
            .order_by(col(TrainingSession.code))
        ).first()
        assert training is not None
        return training


def trainer_names(url: str, training: TrainingSession) -> list[str]:
    from lms.models import SessionTrainer

    with Session(make_engine(url)) as session:
        return [
            flat(name)
            for name in session.exec(
                select(Person.name)
                .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
                .where(SessionTrainer.session_id == training.id)
            )
        ]


def test_session_report_has_attendance_results_notes_and_signatures(  # type: ignore[no-untyped-def]
    cli, demo_copy: str, tmp_path: Path
) -> None:
    assert cli("certs", "issue", "--jobs", "1", db=demo_copy).code == 0
    training = reexamined_session(demo_copy)
    survey = default_survey()
    with session_scope(make_engine(demo_copy)) as session:
        session.add(
            FeedbackResponse(
                session_id=training.id or 0,
                survey=survey.code,
                ratings={item.id: 5 for item in survey.items if item.kind == "rating"},
                comments={item.id: "希望提供设备接线图纸。" for item in survey.items if item.kind == "comment"},
                source="paper",
            )
        )
    notes = tmp_path / "notes.txt"
    notes.write_text("学员实操认真，建议增加故障演练。\n", encoding="utf-8")
    output = tmp_path / "report.pdf"
    result = cli(
        "report", "session", "--session", training.code, "-o", str(output), "--notes", str(notes), db=demo_copy
    )
    assert result.code == 0, result.err
    text = pdf_text(output)
    squeezed = flat(text)
    assert "培训总结" in text and "Training session report" in text and training.code in text
    with Session(make_engine(demo_copy)) as session:
        roster = session.exec(
            select(Person)
            .join(RosterEntry, col(RosterEntry.person_id) == Person.id)
            .where(RosterEntry.session_id == training.id)
        ).all()
        attempts = session.exec(select(Attempt).where(Attempt.session_id == training.id)).all()
        days = session.exec(select(SessionDay).where(SessionDay.session_id == training.id)).all()
        feedback = session.exec(select(FeedbackResponse).where(FeedbackResponse.session_id == training.id)).all()
    for person in roster:
        assert flat(person.name) in squeezed
    for day in days:
        assert day.day.isoformat() in text
    assert f"{len(roster)}" in text
    for attempt in attempts:
        if attempt.score is not None:
            assert f"{attempt.score:g}" in text
    assert "补考" in text and "re-exam" in text
    assert "学员实操认真，建议增加故障演练。" in squeezed
    assert "希望提供设备接线图纸。" in squeezed
    assert f"收回反馈{len(feedback)}份" in squeezed and "Trainees'feedback" in squeezed
    for response in feedback:
        for comment in (response.comments or {}).values():
            assert flat(str(comment)) in squeezed
    signatures = flat(text.split("签字确认", 1)[1])
    for trainer in trainer_names(demo_copy, training):
        assert trainer in signatures
    assert "采购人代表" in signatures and "Buyer's" in signatures and "Signature" in signatures

    again = tmp_path / "again.pdf"
    unchanged = cli(
        "report", "session", "--session", training.code, "-o", str(again), "--notes", str(notes), db=demo_copy
    )
    assert "version 1 (unchanged)" in unchanged.out and again.read_bytes() == output.read_bytes()
    with session_scope(make_engine(demo_copy)) as session:
        for response in session.exec(select(FeedbackResponse).where(FeedbackResponse.session_id == training.id)):
            session.delete(response)
    other = cli("report", "session", "--session", training.code, "-o", str(again), db=demo_copy)
    assert "version 2 (new)" in other.out
    text2 = pdf_text(again)
    assert "暂无反馈记录" in text2 and "No feedback recorded" in text2 and "建议增加故障演练" not in flat(text2)


def test_session_report_of_an_unknown_session_writes_nothing(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "report.pdf"
    result = cli("report", "session", "--session", "S-NOPE", "-o", str(output), db=demo_copy)
    assert result.code == 1 and "S-NOPE" in result.err and result.err.strip().count("\n") == 0
    assert not output.exists()


def test_evidence_pack_lists_the_plan_and_the_session_report(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    training = reexamined_session(demo_copy)
    with Session(make_engine(demo_copy)) as session:
        project = session.get(Project, training.project_id)
        assert project is not None
    plan = tmp_path / "plan.pdf"
    report = tmp_path / "report.pdf"
    assert cli("report", "plan", "--project", project.code, "-o", str(plan), db=demo_copy).code == 0
    assert cli("report", "session", "--session", training.code, "-o", str(report), db=demo_copy).code == 0
    pack = tmp_path / "pack.pdf"
    made = cli(
        "report", "compliance", "--project", project.code, "--as-of", "2026-11-20", "-o", str(pack), db=demo_copy
    )
    assert made.code == 0, made.err
    text = pdf_text(pack)
    squeezed = flat(text)
    assert "培训计划与资料" in text and "Plans and materials" in text
    assert sha256_file(plan) in squeezed and sha256_file(report) in squeezed


# --- the teaching schedule -------------------------------------------------------------------------


def course_of(hours: list[float], *, assessed: bool) -> CoursePlan:
    modules = [
        ModulePlan(f"m{i}", "operation", Text(f"模块{i}", f"Module {i}"), h, [], ["lecture"], [])
        for i, h in enumerate(hours, 1)
    ]
    assessment = AssessmentPlan(
        assessed, True, 60, 0.7, 0.3, 60, 2, 1, True, "highest", None, [], "operator", Text("", ""), None
    )
    curriculum = CurriculumPlan("operation", sum(hours), ["lecture"], modules)
    return CoursePlan("C", 1, Text("", ""), Text("", ""), None, [], sum(hours), [curriculum], assessment, [])


def day_lines(count: int, hours: float = 6.0) -> list[DayLine]:
    start = dt.date(2026, 11, 23)
    return [
        DayLine(start + dt.timedelta(days=i), dt.time(9), dt.time(17), hours, 0, 0, 0, None, 0) for i in range(count)
    ]


def test_schedule_splits_a_module_across_days_and_keeps_the_assessment_last() -> None:
    days, compressed = teaching_schedule(course_of([4, 4, 2], assessed=True), day_lines(2))
    assert not compressed
    first, second = days
    assert [(i.module, i.hours, i.continues) for i in first.items] == [("m1", 4, False), ("m2", 2, True)]
    assert [(i.kind, i.module, i.hours) for i in second.items] == [
        ("module", "m2", 2),
        ("module", "m3", 2),
        ("review", None, 0.5),
        ("assessment", None, 1.5),
    ]
    assert second.items[0].continued and not second.items[1].continued


def test_schedule_shortens_modules_in_proportion_when_the_session_is_short() -> None:
    days, compressed = teaching_schedule(course_of([3, 3, 3, 3], assessed=False), day_lines(1))
    assert compressed
    hours = [i.hours for i in days[0].items]
    assert sum(hours) == 6 and all(h >= 0.5 for h in hours) and len(hours) == 4


def words_right_of(path: Path, page: int, edge: float) -> list[str]:
    """Words on one page whose box ends right of ``edge`` points (pdftotext -bbox)."""
    import re
    import subprocess

    boxes = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)
    return [word for right, word in found if float(right) > edge]


@pytest.mark.parametrize("project", ["P2025-HZ-SHW", "P2026-NJ-REC"])
def test_plan_first_page_stays_inside_the_margins(cli, demo_copy: str, tmp_path: Path, project: str) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "plan.pdf"
    assert cli("report", "plan", "--project", project, "-o", str(output), db=demo_copy).code == 0
    a4_width, right_margin = 595.28, 14 / 25.4 * 72  # report.css: A4, 14 mm at the sides
    assert words_right_of(output, 1, a4_width - right_margin + 0.5) == []
