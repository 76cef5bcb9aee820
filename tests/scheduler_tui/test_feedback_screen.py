"""The feedback survey driven by keys: offered on the quiz result, rated row by row (keys 1–5, arrows, a click),
submitted, thanked, and shown again filled in; ``lms feedback take`` on its own; and the trainers' results screen
(place 0) with its chart, by session, course and trainer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from textual.widgets import DataTable, TextArea

from lms.models import FeedbackResponse
from scheduler_tui.app import LmsApp
from scheduler_tui.quiz_app import make_quiz_app
from scheduler_tui.screens.feedback_results import FeedbackResultsScreen
from scheduler_tui.screens.feedback_survey import FeedbackSurveyScreen, FeedbackThanksScreen, RatingRow
from scheduler_tui.screens.feedback_take import make_feedback_app
from tests.lms.quiz_fixtures import quiz_world
from tests.scheduler_tui.conftest import screen_text, settle, until

SIZE = (120, 36)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def world(engine: Engine, pm: Any, tmp_path: Path) -> dict[str, Any]:
    with Session(engine, expire_on_commit=False) as session:
        return quiz_world(session, pm, tmp_path)


def responses(engine: Engine) -> list[tuple[int | None, dict[str, Any], dict[str, Any], str]]:
    with Session(engine) as session:
        rows = session.exec(select(FeedbackResponse).order_by(col(FeedbackResponse.id))).all()
        return [(r.person_id, r.ratings or {}, r.comments or {}, r.source) for r in rows]


async def identify(pilot: Any, identity: str) -> None:
    await pilot.click("#identity")
    await pilot.press(*identity, "enter")
    await pilot.pause()
    await pilot.press("enter")  # Start has the focus
    await pilot.pause()


async def submit_the_quiz_unanswered(pilot: Any) -> None:
    await pilot.press("f8")
    await pilot.pause()
    await pilot.click("#submit")
    await pilot.pause()
    await pilot.click("#yes")
    await pilot.pause()


def ratings_shown(app: Any) -> dict[str, int | None]:
    return {row.item.id: row.value for row in app.screen.query(RatingRow)}


async def test_after_the_quiz_the_trainee_rates_comments_and_submits(engine: Engine, pm: Any, world: Any) -> None:
    app = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await identify(pilot, "330106199001010001")
        await submit_the_quiz_unanswered(pilot)
        assert type(app.screen).__name__ == "QuizResultScreen"
        assert "Give feedback" in screen_text(app) and app.screen.focused.id == "feedback"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackSurveyScreen)
        text = screen_text(app)
        assert "Training feedback · 张三 · S-QUIZ1" in text and "Very dissatisfied" in text and "Far too little" in text
        # keys as a trainee types them: 4, down, 5, down, → → from nothing (1, 2), up and fix it, 0 to clear one
        await pilot.press("4", "down", "5", "down", "right", "right", "up", "3", "down", "down", "1", "0", "enter")
        assert ratings_shown(app) == {"content": 4, "trainer": 3, "hands_on": 2, "materials": None, "overall": None}
        assert "[4]" in screen_text(app)  # the choice shows without colour too
        overall = app.screen.query_one("#rate-overall", RatingRow)
        await pilot.click("#rate-overall", offset=(overall.scale_start() + 4 * RatingRow.CELL, 1))  # on the 5
        await pilot.pause()
        assert ratings_shown(app)["overall"] == 5
        assert "4 of 5 rated" in screen_text(app)
        app.screen.query_one("#comment-comments", TextArea).focus()
        await pilot.press("1", "2", "enter", "o", "k")  # digits and Enter typed into the comment box stay there
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackThanksScreen)
        assert "Thank you, 张三!" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizResultScreen"
    person = world["people"][0].id
    assert responses(engine) == [
        (person, {"content": 4, "trainer": 3, "hands_on": 2, "overall": 5}, {"comments": "12\nok"}, "terminal")
    ]


async def test_the_survey_opens_filled_in_and_sending_again_replaces(engine: Engine, pm: Any, world: Any) -> None:
    app = make_feedback_app(engine=engine, session_code="S-QUIZ1")
    async with app.run_test(size=SIZE) as pilot:
        await identify(pilot, "张三")
        assert isinstance(app.screen, FeedbackSurveyScreen)
        await pilot.press("ctrl+s")  # nothing rated, nothing written: refused, and the survey stays
        await pilot.pause()
        assert isinstance(app.screen, FeedbackSurveyScreen)
        assert "the response is empty" in screen_text(app)
        await pilot.press("2", "down", "3", "ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # Continue: the next trainee steps up
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizIdentifyScreen"
        await identify(pilot, "张三")
        assert ratings_shown(app)["content"] == 2 and ratings_shown(app)["trainer"] == 3
        assert "You gave feedback before; sending again replaces it." in screen_text(app)
        await pilot.press("5", "ctrl+s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await identify(pilot, "李四")
        await pilot.click("#skip")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizIdentifyScreen"
    person = world["people"][0].id
    assert responses(engine) == [(person, {"content": 5, "trainer": 3}, {}, "terminal")]


async def test_f2_switches_the_survey_language_and_keeps_the_answers(engine: Engine, pm: Any, world: Any) -> None:
    app = make_feedback_app(engine=engine, session_code="S-QUIZ1")
    async with app.run_test(size=SIZE) as pilot:
        await identify(pilot, "张三")
        await pilot.press("4", "f2")
        await pilot.pause()
        text = screen_text(app)
        assert "培训内容实用，贴合我的工作" in text
        assert "\n       很不满意  1   2   3  [4]  5   很满意" in text  # scales line up again, in Chinese widths
        assert "\n       远远不够  1   2   3   4   5   非常充足" in text
        assert ratings_shown(app)["content"] == 4


async def test_the_results_screen_charts_feedback_by_session_course_and_trainer(app: LmsApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "0 Feedback" in screen_text(app).splitlines()[1]  # the nav bar, compact enough for 120 columns
        await pilot.press("0")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FeedbackResultsScreen)
        await until(pilot, lambda: screen.summary is not None)
        table = screen.query_one("#feedback-list", DataTable)
        assert table.row_count == len(screen.rows) >= 4
        assert screen.summary is not None and screen.summary.code == screen.rows[0].code
        text = screen_text(app)
        for label in ("Content", "Trainer", "Hands-on time", "Materials", "Overall", "Comments"):
            assert label in text
        assert "█" in text and "responses from" in text
        await pilot.press("down")
        await until(pilot, lambda: screen.summary is not None and screen.summary.code == screen.rows[1].code)
        await pilot.press("c")
        await until(pilot, lambda: screen.summary is not None and screen.summary.scope == "course")
        assert "Feedback by course" in screen_text(app) and "SHW-OM" in [row.code for row in screen.rows]
        await pilot.press("t")
        await until(pilot, lambda: screen.summary is not None and screen.summary.scope == "trainer")
        assert {"E001", "E002"} <= {row.code for row in screen.rows}
        await pilot.press("g")  # Chinese: labels padded by terminal columns, the bars line up
        await settle(pilot)
        screen = app.screen
        await until(pilot, lambda: screen.summary is not None)
        lines = [line for line in screen_text(app).splitlines() if "█" in line]
        assert any("培训内容" in line for line in lines) and any("总体满意度" in line for line in lines)
        starts = [cell_len(line[: found.start()]) for line in lines if (found := re.search(r"\d\.\d\d █", line))]
        assert len(starts) == 5 and len(set(starts)) == 1  # every mean and bar starts in the same column
