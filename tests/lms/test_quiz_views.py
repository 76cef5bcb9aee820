"""A trainee's view of a question carries no key; option order comes from the attempt's seed and grading uses
stable ids, so any attempt re-renders exactly and a shuffle never changes a grade."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from lms.assessment.attempts import attempt_views, open_attempt, record_response, submit_attempt
from lms.models import Question
from lms.questions.attempt_view import question_view, stored_response
from lms.questions.types import registry
from lms.questions.views import item_tokens
from tests.lms.quiz_fixtures import RIGHT, quiz_world

KEY_FIELDS = ("answer", "weights", "answers", "tolerance", "range", "feedback", "rubric", "pairs", "items")


def bank(session: Session) -> dict[str, Question]:
    return {q.code: q for q in session.exec(select(Question))}


def test_views_never_contain_keys(session: Session, pm: Any, tmp_path: Path) -> None:
    quiz_world(session, pm, tmp_path, essay=True)
    types = registry(pm)
    for question in bank(session).values():
        view = question_view(question, types[question.qtype], number=1, seed=42)
        text = view.model_dump_json()
        body = json.loads(text)["body"]
        assert not set(body) & set(KEY_FIELDS), question.code
        data = question.data or {}
        if question.qtype == "shortanswer":
            assert all(a["text"] not in text for a in data["answers"])
        if question.qtype == "numeric":
            assert "3600" not in text and "tolerance" not in text
        if question.qtype == "matching":
            # the left stems are numbered 1..n and no right-hand id is "the same position" as its stem
            rights = {o.text["en"]: o.id for o in view.body.rights}
            assert [rights[p["right"]["en"]] for p in data["pairs"]] == item_tokens(question.code, 3)
    single = bank(session)["q-single"]
    shown = question_view(single, types["single"], number=1, seed=1).model_dump()
    assert "b" in [o["id"] for o in shown["body"]["options"]]  # ids are there, but nothing marks the right one
    assert all(set(o) == {"id", "label", "text"} for o in shown["body"]["options"])


def test_the_seed_fixes_the_order_shown_and_reproduces_it(session: Session, pm: Any, tmp_path: Path) -> None:
    quiz_world(session, pm, tmp_path)
    types = registry(pm)
    question = bank(session)["q-order"]
    orders = {
        seed: [o.id for o in question_view(question, types["ordering"], number=1, seed=seed).body.options]
        for seed in range(12)
    }
    assert len({tuple(order) for order in orders.values()}) > 1
    again = [o.id for o in question_view(question, types["ordering"], number=1, seed=5).body.options]
    assert again == orders[5]
    labels = [o.label for o in question_view(bank(session)["q-single"], types["single"], number=1, seed=5).body.options]
    assert labels == ["A", "B", "C"]  # letters follow the order shown; ids stay the course's


def test_grading_uses_stable_ids_whatever_the_order_shown(session: Session, pm: Any, tmp_path: Path) -> None:
    world = quiz_world(session, pm, tmp_path)
    types = registry(pm)
    question = bank(session)["q-order"]
    right_tokens = item_tokens(question.code, 3)  # course order = the key
    assert stored_response(question, types["ordering"], right_tokens) == [0, 1, 2]
    scores = []
    for seed, person in zip((3, 99), world["people"][:2], strict=True):
        attempt = open_attempt(session, training_session=world["session"], person=person, seed=seed)
        assert attempt.id is not None
        for view in attempt_views(session, attempt=attempt, types=types):
            code = session.get(Question, view.question_id).code  # type: ignore[union-attr]
            response = RIGHT.get(code)
            if view.body.input == "order":
                response = right_tokens
            if view.body.input == "match":
                rights = {o.text["en"]: o.id for o in view.body.rights}
                response = [rights[e] for e in ("No power", "Air lock", "Overheating")]
            if response is not None:
                record_response(
                    session, attempt_id=attempt.id, question_id=view.question_id, response=response, types=types
                )
        scores.append(submit_attempt(session, attempt_id=attempt.id, types=types).score)
    assert scores == [100.0, 100.0]


def test_responses_round_trip_between_view_and_storage(session: Session, pm: Any, tmp_path: Path) -> None:
    quiz_world(session, pm, tmp_path)
    types = registry(pm)
    questions = bank(session)
    for code, given in [("q-tf", "F"), ("q-multi", ["b", "a"]), ("q-match", ["C", None, "A"]), ("q-num", "3,600")]:
        question = questions[code]
        stored = stored_response(question, types[question.qtype], given)
        back = question_view(question, types[question.qtype], number=1, seed=0, stored=stored).response
        assert back == (sorted(given) if code == "q-multi" else given)
