"""``lms quiz paper``: one paper per rostered trainee with their own draw and option order, each starting on a new
page and followed by an answer sheet; no key on any paper; printing again reuses the same attempts; the trainer's
key is a separate file whose answers, typed back, earn full marks. Bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy
import pytest
from sqlmodel import Session, col, func, select

from lms.assessment.papers import key_text
from lms.assessment.quizzes import paper_questions
from lms.cli.app import main
from lms.cli.support import render_document
from lms.db import make_engine
from lms.errors import LmsError
from lms.models import (
    Attempt,
    AttemptStatus,
    Course,
    CourseVersion,
    Person,
    Question,
    RosterEntry,
    TrainingSession,
)
from lms.plugins import make_plugin_manager
from lms.questions.answer_syntax import typed_answer
from lms.questions.types import registry
from lms.questions.views import display_order
from lms.scheduling.sessions import create_session
from tests.certificates.conftest import pdf_text
from tests.conftest import copy_database

COURSE = "SHW-OM"
CODE = re.compile(r"[a-z]{2}-\d{2}")


def squeeze(text: str) -> str:
    return "".join(text.split())


def run_lms(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


@dataclass
class Printed:
    url: str
    session_code: str
    names: list[str]  # roster order
    first: list[str]  # pdftotext per page, first run
    second: list[str]  # the same session printed again
    key: str
    output: Path


def unsat_session(session: Session) -> TrainingSession:
    """A demo session of the solar course with trainees on its roster and no attempts yet."""
    rostered = select(func.count()).where(col(RosterEntry.session_id) == col(TrainingSession.id)).scalar_subquery()
    attempted = select(Attempt.id).where(col(Attempt.session_id) == col(TrainingSession.id)).exists()
    found = session.exec(
        select(TrainingSession)
        .join(CourseVersion, col(CourseVersion.id) == col(TrainingSession.course_version_id))
        .join(Course, col(Course.id) == col(CourseVersion.course_id))
        .where(Course.code == COURSE, rostered > 0, ~attempted)
        .order_by(col(TrainingSession.id))
    ).first()
    assert found is not None
    return found


def pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


@pytest.fixture(scope="module")
def printed(demo_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    folder = tmp_path_factory.mktemp("papers")
    url, drop = copy_database(demo_database, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LMS_LANG", "en")
        patch.setenv("LMS_CONFIG", str(folder / "no-config.yaml"))
        patch.setenv("LMS_FILES_DIR", str(folder / "files"))
        with Session(make_engine(url)) as session:
            training = unsat_session(session)
            names = list(
                session.exec(
                    select(Person.name)
                    .join(RosterEntry)
                    .where(RosterEntry.session_id == training.id)
                    .order_by(col(RosterEntry.id))
                )
            )
        output = folder / "out" / "papers.pdf"
        assert run_lms("--db", url, "quiz", "paper", "--session", training.code, "-o", str(output)) == 0
        first = pages(output)
        again = folder / "again.pdf"
        assert (
            run_lms("--db", url, "quiz", "paper", "--session", str(training.id), "-o", str(again), "--answer-key") == 0
        )
        yield Printed(url, training.code, names, first, pages(again), pdf_text(folder / "again-key.pdf"), output)
    drop()


def paper_pages(texts: list[str]) -> list[list[str]]:
    """The pages of each trainee's question paper (from its first page up to its answer sheet)."""
    papers: list[list[str]] = []
    for text in texts:
        if "Assessment paper" in text:
            papers.append([])
        if "Answer sheet" not in text:
            papers[-1].append(text)
    return papers


def codes_in_order(texts: list[str], known: set[str]) -> list[str]:
    return [code for code in CODE.findall("\n".join(texts)) if code in known]


def in_progress(url: str, session_code: str) -> list[tuple[Attempt, list[Question]]]:
    with Session(make_engine(url)) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == session_code)).one()
        attempts = session.exec(
            select(Attempt)
            .join(RosterEntry, col(RosterEntry.person_id) == col(Attempt.person_id))
            .where(Attempt.session_id == training.id, RosterEntry.session_id == training.id)
            .order_by(col(RosterEntry.id))
        ).all()
        return [(attempt, paper_questions(session, attempt)) for attempt in attempts]


def test_one_paper_and_answer_sheet_per_trainee_each_from_a_new_page(printed: Printed) -> None:
    texts = printed.first
    starts = [index for index, text in enumerate(texts) if "Assessment paper" in text]
    sheets = [index for index, text in enumerate(texts) if "Answer sheet" in text]
    assert len(starts) == len(sheets) == len(printed.names) >= 2
    for name, start, sheet in zip(printed.names, starts, sheets, strict=True):
        assert name in squeeze(texts[start]) and name in squeeze(texts[sheet])
        assert start == 0 or "Answer sheet" in texts[start - 1]  # right after the previous trainee's sheet
        assert "LMS-PAPER" not in texts[sheet]  # the reference travels in the QR code
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页 / Page {number}" in text
    assert printed.output.exists() and not list(printed.output.parent.glob("*.part"))


def test_each_paper_shows_the_trainees_own_questions_and_option_order(printed: Printed) -> None:
    drawn = in_progress(printed.url, printed.session_code)
    assert [attempt.status for attempt, _questions in drawn] == [AttemptStatus.in_progress] * len(printed.names)
    known = {question.code for _attempt, questions in drawn for question in questions}
    orders = []
    for (attempt, questions), texts in zip(drawn, paper_pages(printed.first), strict=True):
        order = [question.code for question in questions]
        assert codes_in_order(texts, known) == order
        orders.append(order)
        single = next(question for question in questions if question.qtype == "single")
        page = squeeze("".join(texts))
        block = page[page.index(squeeze(single.prompt_zh)) :]
        choices = {choice["id"]: choice["text"]["zh"] for choice in (single.data or {})["choices"]}
        shown = [list(choices.values())[index] for index in display_order(attempt.seed, single.code, len(choices))]
        positions = [block.index(squeeze(text)) for text in shown]
        assert positions == sorted(positions)
    assert len({tuple(order) for order in orders}) > 1


def test_no_answer_key_reaches_a_trainees_paper(printed: Printed) -> None:
    with Session(make_engine(printed.url)) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == printed.session_code)).one()
        questions = session.exec(select(Question).where(Question.course_version_id == training.course_version_id)).all()
        version = session.get(CourseVersion, training.course_version_id)
        assert version is not None
    # Texts any trainee may see (prompts, options, the practical tasks): an answer printed among them is no leak.
    public = squeeze(
        f"{version.practical_checklist}"
        + " ".join(
            f"{q.prompt_zh}{q.prompt_en}{(q.data or {}).get('choices')}{(q.data or {}).get('items')}"
            f"{(q.data or {}).get('pairs')}"
            for q in questions
        )
    )
    secrets: set[str] = set()
    for question in questions:
        data = question.data or {}
        if question.qtype == "shortanswer":
            secrets |= {answer["text"] for answer in data["answers"] if answer["weight"] == 100}
        if question.qtype == "numeric" and data.get("answer") is not None:
            secrets.add(f"{data['answer']:g}")
        if question.qtype == "essay" and data.get("rubric"):
            secrets.add(data["rubric"]["zh"][:12])
    secrets = {secret for secret in secrets if len(squeeze(secret)) >= 3 and squeeze(secret) not in public}
    assert len(secrets) >= 5
    papers = squeeze("".join(printed.first))
    assert [secret for secret in secrets if squeeze(secret) in papers] == []
    key_answers = [secret for secret in secrets if squeeze(secret) in squeeze(printed.key)]
    assert key_answers  # the trainer's key does carry them


def test_printing_again_reuses_the_same_attempts(printed: Printed) -> None:
    drawn = in_progress(printed.url, printed.session_code)
    assert len(drawn) == len(printed.names)
    known = {question.code for _attempt, questions in drawn for question in questions}
    first = [codes_in_order(texts, known) for texts in paper_pages(printed.first)]
    second = [codes_in_order(texts, known) for texts in paper_pages(printed.second)]
    assert first == second == [[q.code for q in questions] for _attempt, questions in drawn]


def test_chinese_text_is_extractable(printed: Printed) -> None:
    text = squeeze("".join(printed.first))
    with Session(make_engine(printed.url)) as session:
        course = session.exec(select(Course).where(Course.code == COURSE)).one()
    assert squeeze(course.title_zh) in text
    for label in ("培训考核试卷", "考生须知", "答题卡", "实操考核", "由培训师现场评分"):
        assert label in text
    assert "试卷答案" in squeeze(printed.key) and "Answer key" in printed.key


def test_the_keys_answers_typed_back_earn_full_marks(printed: Printed, pm: pluggy.PluginManager) -> None:
    types = registry(pm)
    checked = 0
    for attempt, questions in in_progress(printed.url, printed.session_code):
        for question in questions:
            if question.qtype not in ("single", "multiple", "truefalse", "matching", "ordering"):
                continue
            key = key_text(question, attempt.seed).split(" (")[0]
            response = typed_answer(question, key, seed=attempt.seed)
            assert types[question.qtype].grader(question.data or {})(response) == 1.0, (question.code, key)
            assert key.split(";")[0] in printed.key
            checked += 1
    assert checked > 20


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path) -> Iterator[str]:
    url, drop = copy_database(demo_database, tmp_path)
    yield url
    drop()


def attempts_count(url: str) -> int:
    with Session(make_engine(url)) as session:
        return session.exec(select(func.count()).select_from(Attempt)).one()


def test_an_unknown_session_fails_with_one_line_and_writes_nothing(cli: Any, demo_copy: str, tmp_path: Path) -> None:
    output = tmp_path / "papers.pdf"
    result = cli("quiz", "paper", "--session", "S-NOPE", "-o", str(output), db=demo_copy)
    assert result.code == 1
    assert result.err.strip().splitlines() == ["lms: session: no training session S-NOPE"]
    assert not output.exists()


def test_an_empty_roster_fails_with_one_line_and_opens_no_attempt(cli: Any, demo_copy: str, tmp_path: Path) -> None:
    with Session(make_engine(demo_copy)) as session:
        version = session.get(CourseVersion, unsat_session(session).course_version_id)
        assert version is not None
        empty = create_session(
            session, course_version=version, days=[dt.date(2026, 12, 1)], mode="on_site", place="Site", city="杭州"
        )
        session.commit()
        code = empty.code
    before = attempts_count(demo_copy)
    output = tmp_path / "papers.pdf"
    result = cli("quiz", "paper", "--session", code, "-o", str(output), db=demo_copy)
    assert result.code == 1
    assert result.err.strip() == f"lms: --session: session {code} has nobody on its roster: no papers to print"
    assert not output.exists() and attempts_count(demo_copy) == before


def test_without_the_documents_plugin_the_core_says_so(pm: pluggy.PluginManager) -> None:
    assert pm.hook.lms_render_document(kind="no-such-document", context=None) is None
    with pytest.raises(LmsError, match="PDF output needs the documents plugin"):
        render_document(make_plugin_manager(load_entrypoints=False), "quiz_paper", None)
