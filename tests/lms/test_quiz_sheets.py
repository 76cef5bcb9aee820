"""``lms quiz grade ANSWERS.csv``: choice letters as printed on the trainee's paper (course-file order for a trainee
without one), several with ``;``, UTF-8/BOM/GBK; an unknown trainee or question or a numeric answer that is not a
number names file:line and field, and nothing is recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from lms.assessment.answer_sheets import grade_sheet
from lms.assessment.attempts import open_attempt
from lms.assessment.papers import quiz_papers
from lms.errors import LmsError
from lms.models import Answer, Attempt, Question
from lms.questions.types import registry
from lms.questions.views import display_order, item_tokens, letters
from tests.lms.quiz_fixtures import quiz_world


def order_key() -> str:
    return ";".join(item_tokens("q-order", 3))


def printed_letter(paper: Attempt, code: str, count: int, course_index: int) -> str:
    """The letter a paper drawn with ``paper.seed`` prints beside the choice at ``course_index`` in the course file."""
    return letters(count)[display_order(paper.seed, code, count).index(course_index)]


def sheet(tmp_path: Path, rows: list[str], encoding: str = "utf-8", name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(["trainee,question,answer", *rows]) + "\n").encode(encoding))
    return path


def full_marks(trainee: str) -> list[str]:
    return [
        f"{trainee},q-single,B",
        f"{trainee},q-multi,A;B",
        f"{trainee},q-tf,T",
        f"{trainee},q-num,３６００",
        f"{trainee},q-short,ＮＩＴＲＯＧＥＮ",
        f"{trainee},q-match,{';'.join(item_tokens('q-match', 3))}",
        f"{trainee},q-order,{order_key()}",
    ]


def test_grades_letters_in_course_order_without_recording(session: Session, pm: Any, tmp_path: Path) -> None:
    quiz_world(session, pm, tmp_path)
    path = sheet(tmp_path, [*full_marks("T001"), "330106199001010002,q-single,A", "330106199001010002,q-multi,"])
    results = grade_sheet(session, path=path, course_code="QZ-1", types=registry(pm))
    assert [(r.trainee, r.answered, r.questions, r.score, r.passed) for r in results] == [
        ("T001", 7, 7, 100.0, True),
        ("T002", 1, 2, 0.0, False),
    ]
    assert session.exec(select(func.count()).select_from(Attempt)).one() == 0


@pytest.mark.parametrize(
    ("row", "line", "field", "message"),
    [
        ("T999,q-single,A", 3, "trainee", "no trainee"),
        ("T001,q-nope,A", 3, "question", "no question 'q-nope'"),
        ("T001,q-num,three thousand", 3, "answer", "not a number"),
        ("T001,q-single,E", 3, "answer", "not a choice letter"),
        ("T001,q-tf,maybe", 3, "answer", "not true or false"),
        ("T001,q-tf,T", 3, "question", "answered twice"),
    ],
)
def test_a_bad_row_names_file_line_and_field_and_nothing_is_recorded(
    session: Session, pm: Any, tmp_path: Path, row: str, line: int, field: str, message: str
) -> None:
    quiz_world(session, pm, tmp_path)
    path = sheet(tmp_path, ["T001,q-tf,T", row, "T002,q-tf,F"])
    with pytest.raises(LmsError) as caught:
        grade_sheet(session, path=path, course_code="QZ-1", types=registry(pm), record=True)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), line, field)
    assert message in caught.value.message
    assert session.exec(select(func.count()).select_from(Attempt)).one() == 0


def test_record_stores_submitted_attempts_and_fills_a_drawn_paper(session: Session, pm: Any, tmp_path: Path) -> None:
    world = quiz_world(session, pm, tmp_path)
    paper = open_attempt(session, training_session=world["session"], person=world["people"][1])
    right = printed_letter(paper, "q-single", 3, 1).lower()  # the tank, on T002's paper
    path = sheet(tmp_path, [*full_marks("T001"), f"T002,q-single,{right}"], encoding="gbk")
    results = grade_sheet(
        session, path=path, course_code="QZ-1", types=registry(pm), record=True, training_session=world["session"]
    )
    by_trainee = {r.trainee: r for r in results}
    assert by_trainee["T001"].score == 100.0 and by_trainee["T001"].attempt_id is not None
    assert by_trainee["T002"].attempt_id == paper.id and by_trainee["T002"].questions == 7  # the drawn paper counts
    assert by_trainee["T002"].score == pytest.approx(100 / 7, abs=0.01)
    statuses = session.exec(select(Attempt.status)).all()
    assert statuses == ["graded", "graded"]
    stored = session.exec(select(Answer).join(Question).where(Question.code == "q-match")).one()
    assert stored.response == [0, 1, 2] and stored.fraction == 1.0


def test_letters_printed_on_each_paper_grade_as_the_option_beside_them(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = quiz_world(session, pm, tmp_path)
    seeds = next(
        (a, b)
        for a in range(50)
        for b in range(a + 1, 50)
        if display_order(a, "q-single", 3) != display_order(b, "q-single", 3)
    )
    for person, seed in zip(world["people"][:2], seeds, strict=True):
        open_attempt(session, training_session=world["session"], person=person, seed=seed)
    papers = quiz_papers(session, session_ref="S-QUIZ1", types=registry(pm))
    rows, wanted = [], {}
    for paper in papers.papers[:2]:
        printed = {question.code: question for question in paper.questions}
        tank = next(o.label for o in printed["q-single"].options if o.text["en"] == "The tank")
        safe = [o.label for o in printed["q-multi"].options if o.text["en"] in ("Switch off", "Tag out")]
        rows += [f"{paper.person_code},q-single,{tank}", f"{paper.person_code},q-multi,{';'.join(safe)}"]
        wanted[paper.person_code] = tank
    assert wanted["T001"] != wanted["T002"]  # different seeds print the tank beside different letters
    grade_sheet(session, path=sheet(tmp_path, rows), course_code="QZ-1", types=registry(pm), record=True)
    answers = session.exec(select(Question.code, Answer.response, Answer.fraction).join(Question)).all()
    assert sorted((code, response, fraction) for code, response, fraction in answers) == [
        ("q-multi", ["a", "b"], 1.0),
        ("q-multi", ["a", "b"], 1.0),
        ("q-single", "b", 1.0),
        ("q-single", "b", 1.0),
    ]


def test_a_question_off_the_trainees_paper_is_an_error(session: Session, pm: Any, tmp_path: Path) -> None:
    world = quiz_world(session, pm, tmp_path)
    paper = open_attempt(session, training_session=world["session"], person=world["people"][0])
    paper.question_ids = (paper.question_ids or [])[:3]
    session.flush()
    outside = next(q.code for q in session.exec(select(Question)) if q.id not in paper.question_ids and q.points)
    path = sheet(tmp_path, [f"T001,{outside},"])
    with pytest.raises(LmsError, match="not on the trainee's paper"):
        grade_sheet(session, path=path, course_code="QZ-1", types=registry(pm))


def test_the_command_reports_json_and_fails_with_one_line(qcli: Any, engine: Engine, pm: Any, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as session:
        quiz_world(session, pm, tmp_path)
    good = sheet(tmp_path, full_marks("T001"), encoding="utf-8-sig")
    shown = qcli("quiz", "grade", str(good), "--course", "QZ-1", "--format", "json")
    assert shown.code == 0 and json.loads(shown.out)[0]["score"] == 100.0
    recorded = qcli("quiz", "grade", str(good), "--course", "QZ-1", "--record", "--session", "S-QUIZ1")
    assert recorded.code == 0 and "recorded 1 attempts" in recorded.out
    bad = sheet(tmp_path, ["T001,q-num,lots"], name="bad.csv")
    failed = qcli("quiz", "grade", str(bad), "--course", "QZ-1", "--record")
    assert failed.code == 1
    assert failed.err.strip() == f"lms: {bad}:2: answer: 'lots' is not a number"
    unknown = qcli("quiz", "grade", str(good), "--course", "NOPE")
    assert unknown.code == 1 and "no course has the code NOPE" in unknown.err


@pytest.fixture
def qcli(cli: Any) -> Any:
    """The in-process command line; the quiz group is registered like every other."""
    return cli


def test_a_paper_reexam_is_capped_as_on_screen_with_or_without_recording(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = quiz_world(session, pm, tmp_path)  # QZ-1 caps a re-exam at 60 %
    trainee = world["people"][0]
    failed = Attempt(
        person_id=trainee.id,
        course_version_id=world["version"].id,
        session_id=world["session"].id,
        number=1,
        status="graded",
        written_score=20.0,
        score=20.0,
        passed=False,
    )
    session.add(failed)
    session.flush()
    path = sheet(tmp_path, full_marks("T001"))
    types = registry(pm)
    [preview] = grade_sheet(session, path=path, course_code="QZ-1", types=types, training_session=world["session"])
    assert (preview.written_score, preview.score, preview.passed) == (100.0, 60.0, True)
    [recorded] = grade_sheet(
        session, path=path, course_code="QZ-1", types=types, record=True, training_session=world["session"]
    )
    assert (recorded.written_score, recorded.score, recorded.passed) == (100.0, 60.0, True)


def test_a_trainers_mark_on_the_drawn_paper_counts_before_recording(session: Session, pm: Any, tmp_path: Path) -> None:
    world = quiz_world(session, pm, tmp_path, essay=True)
    paper = open_attempt(session, training_session=world["session"], person=world["people"][0])
    questions = {q.id: q for q in session.exec(select(Question).where(col(Question.id).in_(paper.question_ids)))}
    essay = next(q for q in questions.values() if q.code == "q-essay")
    session.add(Answer(attempt_id=paper.id, question_id=essay.id, response="backflow", fraction=0.5))
    session.flush()
    path = sheet(tmp_path, ["T001,q-tf,T", "T001,q-essay,the check valve leaks"])
    types = registry(pm)
    possible = sum(q.points for q in questions.values() if types[q.qtype].graded)
    expected = round(100 * (1 + 0.5 * essay.points) / possible, 2)
    [preview] = grade_sheet(session, path=path, course_code="QZ-1", types=types, training_session=world["session"])
    assert preview.written_score == expected and preview.score == expected and preview.passed is False
    [recorded] = grade_sheet(
        session, path=path, course_code="QZ-1", types=types, record=True, training_session=world["session"]
    )
    assert (recorded.written_score, recorded.score) == (expected, expected)
