"""The trainee's quiz app driven by keys: identify, answer every kind of question, leave and resume with every
answer kept, review, submit, see the result; the time limit; and no key or other trainee's result on screen."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from textual.widgets import ListView, RadioSet, Select, SelectionList

from lms.models import Question
from lms.questions.views import item_tokens
from scheduler_tui.quiz_app import make_quiz_app
from tests.lms.quiz_fixtures import RIGHT, quiz_world

SIZE = (120, 36)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def world(engine: Engine, pm: Any, tmp_path: Path) -> dict[str, Any]:
    with Session(engine, expire_on_commit=False) as session:
        return quiz_world(session, pm, tmp_path, names=("张三", "李四", "李四"))


def codes(engine: Engine) -> dict[int, str]:
    with Session(engine) as session:
        return {q.id or 0: q.code for q in session.exec(select(Question))}


async def identify(pilot: Any, identity: str, last4: str = "") -> None:
    await pilot.click("#identity")
    await pilot.press(*identity, "enter")
    if last4:
        await pilot.press(*last4, "enter")
    await pilot.pause()
    await pilot.press("enter")  # Start has the focus
    await pilot.pause()


def screen_text(app: Any) -> str:
    """The characters on the terminal now, as the trainee sees them."""
    console = Console(width=SIZE[0], height=SIZE[1], file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def answer(pilot: Any, app: Any, code: str) -> None:
    """Give the right answer to the question on screen, by keys only."""
    await pilot.pause()
    screen = app.screen
    view = screen.views[screen.index]
    kind = view.body.input
    if kind in ("choice", "truefalse"):
        target = RIGHT[code]
        position = [o.id for o in view.body.options].index(target)
        radio = screen.query_one(RadioSet)
        radio.focus()
        await pilot.pause()
        await pilot.press(*["down"] * (position - (radio._selected or 0)), "enter")
    elif kind == "choices":
        listing = screen.query_one(SelectionList)
        listing.focus()
        await pilot.pause()
        ids = [o.id for o in view.body.options]
        for target in RIGHT[code]:
            steps = ids.index(target) - (listing.highlighted or 0)
            await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "space")
    elif kind in ("number", "text"):
        screen.query_one("#text").focus()
        await pilot.pause()
        await pilot.press(*RIGHT[code])
    elif kind == "match":
        tokens = item_tokens(code, len(view.body.rights))
        shown = [o.id for o in view.body.rights]
        for index in range(len(view.body.lefts)):
            select = screen.query_one(f"#left-{index}", Select)
            select.focus()
            await pilot.press("enter", *["down"] * (shown.index(tokens[index]) + 1), "enter")
            await pilot.pause()
    elif kind == "order":
        listing = screen.query_one(ListView)
        listing.focus()
        wanted = item_tokens(code, len(view.body.options))
        for place, token in enumerate(wanted):
            here = [o.id for o in screen.query_one("OrderInput").items].index(token)
            steps = here - (listing.index or 0)
            await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), *["ctrl+up"] * (here - place))
        screen.query_one("#keep").focus()  # the order shown may already be right: confirm it
        await pilot.press("enter")
    await pilot.pause()


async def test_identify_answer_review_submit_and_see_the_result(engine: Engine, pm: Any, world: Any) -> None:
    names = codes(engine)
    app = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await identify(pilot, "330106199001010001")
        assert type(app.screen).__name__ == "QuizQuestionScreen"
        assert "张三" in screen_text(app) and "Time left 0:30:00" in screen_text(app)
        for _number in range(len(app.screen.views)):
            view = app.screen.views[app.screen.index]
            await answer(pilot, app, names[view.question_id])
            await pilot.press("pagedown")
            await pilot.pause()
        assert [names[v.question_id] for v in app.screen.views if not v.response] == []
        await pilot.press("f8")
        await pilot.pause()
        assert "Review: 7 of 7 answered" in screen_text(app)
        await pilot.click("#submit")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizResultScreen"
        text = screen_text(app)
        assert "Score 100 (pass mark 60)" in text and "Passed" in text


async def test_leave_and_resume_keeps_every_answer(engine: Engine, pm: Any, world: Any) -> None:
    names = codes(engine)
    first = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=Clock())
    async with first.run_test(size=SIZE) as pilot:
        await identify(pilot, "张三")
        given = {}
        for _number in range(2):
            view = first.screen.views[first.screen.index]
            await answer(pilot, first, names[view.question_id])
            given[view.question_id] = first.screen.views[first.screen.index].response
            await pilot.press("pagedown")
        attempt = first.screen.sitting.attempt_id
        await pilot.press("ctrl+q")
    again = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=Clock())
    async with again.run_test(size=SIZE) as pilot:
        await identify(pilot, "张三")
        screen = again.screen
        assert screen.sitting.attempt_id == attempt
        assert {v.question_id: v.response for v in screen.views if v.question_id in given} == given
        assert screen.index == 2  # back at the first question not yet answered
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        if screen.views[0].body.input in ("choice", "truefalse"):
            pressed = screen.query_one(RadioSet).pressed_button
            assert pressed is not None and pressed.name == given[screen.views[0].question_id]


async def test_a_shared_name_asks_for_the_last_four_characters(engine: Engine, pm: Any, world: Any) -> None:
    app = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#identity")
        await pilot.press(*"李四", "enter")
        await pilot.pause()
        assert "last 4 characters" in screen_text(app)
        await pilot.press(*"0003", "enter")
        await pilot.pause()
        assert "3301**********0003" in screen_text(app)


async def test_time_running_out_submits_and_shows_the_result(engine: Engine, pm: Any, world: Any) -> None:
    clock = Clock()
    app = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await identify(pilot, "张三")
        clock.now += dt.timedelta(minutes=25, seconds=30)
        app.screen.tick()
        await pilot.pause()
        assert "Time left 0:04:30" in screen_text(app)
        assert app.screen.query_one("#timer").has_class("urgent")
        clock.now += dt.timedelta(minutes=5)
        app.screen.tick()
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizResultScreen"
        assert "Not passed" in screen_text(app)


async def test_no_key_and_no_other_trainees_result_reach_the_screen(engine: Engine, pm: Any, world: Any) -> None:
    names = codes(engine)
    app = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await identify(pilot, "张三")
        seen = []
        for _number in range(len(app.screen.views)):
            seen.append(screen_text(app))
            await pilot.press("pagedown")
            await pilot.pause()
        shown = json.dumps([view.model_dump() for view in app.screen.views], ensure_ascii=False)
        for secret in ('"answer"', '"weights"', '"answers"', '"tolerance"', '"range"', "氮气", "nitrogen", "3600"):
            assert secret not in shown  # what the screens hold
        for text in seen:  # what the screens show
            assert "氮气" not in text and "nitrogen" not in text and "3600" not in text
        view = app.screen.views[app.screen.index]
        await answer(pilot, app, names[view.question_id])
        await pilot.press("f8")
        await pilot.pause()
        await pilot.click("#submit")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        await pilot.click("#next")
        await pilot.pause()
        await identify(pilot, "330106199001010002")
        assert "张三" not in screen_text(app) and "李四" in screen_text(app)


async def test_start_is_reached_and_pressed_by_keys_alone(engine: Engine, pm: Any, world: Any) -> None:
    """A trainee without a mouse: type the name, Tab to Continue, Enter; Start then has the focus, Tab comes back
    to it, and Enter on it opens the first question."""
    app = make_quiz_app(engine=engine, pm=pm, session_code="S-QUIZ1", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"张三", "tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "continue"
        await pilot.press("enter")
        await pilot.pause()
        assert "3301**********0001" in screen_text(app)
        assert app.focused is not None and app.focused.id == "start"
        met = []
        for _step in range(4):
            await pilot.press("tab")
            await pilot.pause()
            met.append(app.focused.id if app.focused is not None else None)
        assert met == ["code", "identity", "continue", "start"]
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizQuestionScreen"
