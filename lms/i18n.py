"""Message catalogs (gettext): Simplified Chinese first, English alongside.

The language comes from ``LMS_LANG`` (``zh``/``en``), else the locale; Chinese when neither says English.
Messages are looked up at call time so that the TUI can switch language while running.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "lms"
LANGUAGES = ("zh", "en")
_override: str | None = None
_held: ContextVar[str | None] = ContextVar("lms_language_held", default=None)  # environment_language_held


def normalise_language(value: str | None) -> str | None:
    """Map ``zh_CN.UTF-8``, ``zh-Hans``, ``en_US`` and the like onto ``zh`` or ``en``."""
    if not value:
        return None
    head = value.strip().lower().replace("-", "_")
    if head.startswith("zh"):
        return "zh"
    if head.startswith("en"):
        return "en"
    return None


def current_language() -> str:
    """The language messages are shown in now."""
    if _override:
        return _override
    return _held.get() or _environment_language()


def _environment_language() -> str:
    chosen = normalise_language(os.environ.get("LMS_LANG"))
    if chosen:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        chosen = normalise_language(os.environ.get(variable))
        if chosen:
            return chosen
    return "zh"


def set_language(language: str | None) -> None:
    """Switch the language for this process (``None`` goes back to the environment)."""
    global _override
    _override = normalise_language(language) if language else None


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Build something in one language (bilingual documents build their data once per language)."""
    global _override
    before = _override
    _override = normalise_language(language)
    try:
        yield
    finally:
        _override = before


@contextmanager
def environment_language_held() -> Iterator[None]:
    """Read the environment's language once for a long computation in this thread (thousands of messages would
    read it ~3 µs each): inside, messages follow it as it was on entry; ``set_language`` and ``in_language`` still
    win, as everywhere."""
    token = _held.set(_environment_language())
    try:
        yield
    finally:
        _held.reset(token)


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)


def _(message: str) -> str:
    """Translate ``message`` (written in English in the code) into the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def pick(text: dict[str, str] | None, language: str | None = None) -> str:
    """Choose one side of a bilingual ``{"zh": ..., "en": ...}`` text from course or project data."""
    if not text:
        return ""
    language = language or current_language()
    return text.get(language) or text.get("zh") or text.get("en") or ""
