"""A question as one trainee sees it in an attempt, and a response given against that view turned back into the
stored form. Joins the question types (``lms.questions.types``) to their keyless views (``lms.questions.views``)."""

from __future__ import annotations

from typing import Any

from lms.models import Question
from lms.questions.types import QuestionType
from lms.questions.views import QuestionView, ViewBody


def question_view(
    question: Question, question_type: QuestionType | None, *, number: int, seed: int, stored: Any = None
) -> QuestionView:
    """The keyless view of ``question`` as the ``number``-th question of an attempt drawn with ``seed``."""
    assert question.id is not None
    data = question.data or {}
    if question_type is not None and question_type.view is not None:
        body = question_type.view(question.code, data, seed)
    elif question_type is not None and question_type.answered_by == "trainer":
        body = ViewBody(input="none")
    else:
        body = ViewBody(input="text")
    response = stored
    if question_type is not None and question_type.to_view is not None:
        response = question_type.to_view(question.code, data, stored)
    return QuestionView(
        question_id=question.id,
        number=number,
        qtype=question.qtype,
        points=question.points,
        prompt={"zh": question.prompt_zh, "en": question.prompt_en},
        body=body,
        response=response if body.input != "none" else None,
    )


def stored_response(question: Question, question_type: QuestionType | None, response: Any) -> Any:
    """A response given against the view, in the form stored and graded (stable ids and indexes)."""
    if question_type is not None and question_type.from_view is not None:
        return question_type.from_view(question.code, question.data or {}, response)
    return response
