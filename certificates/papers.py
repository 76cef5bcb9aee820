"""Printed quizzes to PDF: the trainees' papers with their answer sheets, and the trainer's key.

The core builds the data (``lms.assessment.papers``) and asks for the PDF through the ``lms_render_document`` hook; this
module only adds the QR codes and lays the data out with the ``quiz_paper`` template.
"""

from __future__ import annotations

from typing import Any

from certificates.batch import qr_data_uri
from certificates.documents import issuer_context, shared_engine
from lms.assessment.papers import AnswerKey, QuizPapers

TEMPLATE = "quiz_paper"
ESSAY_LINES = 8


def papers_context(quiz: QuizPapers) -> dict[str, Any]:
    return {
        "document": "papers",
        "quiz": quiz,
        "qr": {paper.attempt_id: qr_data_uri(paper.reference) for paper in quiz.papers},
        "essay_lines": ESSAY_LINES,
        **issuer_context(quiz.issuer),
    }


def render_quiz_papers(quiz: QuizPapers) -> bytes:
    """Every trainee's paper followed by their answer sheet, each starting on a new page."""
    return shared_engine().render(TEMPLATE, papers_context(quiz)).pdf


def render_answer_key(key: AnswerKey) -> bytes:
    """The trainer's key: each trainee's answers in the letters of their own paper."""
    return shared_engine().render(TEMPLATE, {"document": "key", "key": key, **issuer_context(key.issuer)}).pdf
