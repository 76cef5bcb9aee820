"""The core's own hook implementations, registered like any plugin; everything here is a fallback."""

from __future__ import annotations

from lms.hookspecs import hookimpl
from lms.question_types import BUILTIN_TYPES, QuestionType


@hookimpl(trylast=True)
def lms_question_types() -> list[QuestionType]:
    return list(BUILTIN_TYPES)
