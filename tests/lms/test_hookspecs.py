"""Every hookspec has a docstring and is exercised by at least one test."""

import inspect
from pathlib import Path

from lms import hookspecs

TESTS = Path(__file__).resolve().parents[1]


def hookspec_functions() -> list[str]:
    return [name for name, value in vars(hookspecs).items() if name.startswith("lms_") and inspect.isfunction(value)]


def test_there_are_event_and_provider_hooks() -> None:
    names = set(hookspec_functions())
    assert {"lms_attempt_graded", "lms_certificate_issued", "lms_session_changed"} <= names
    assert {"lms_question_types", "lms_workday_calendars", "lms_document_templates", "lms_register_commands"} <= names


def test_every_hookspec_has_a_docstring() -> None:
    missing = [name for name in hookspec_functions() if not (getattr(hookspecs, name).__doc__ or "").strip()]
    assert missing == []


def test_every_hookspec_is_named_in_a_test() -> None:
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in TESTS.rglob("test_*.py") if path.name != "test_hookspecs.py"
    )
    untested = [name for name in hookspec_functions() if name not in sources]
    assert untested == []
