"""Every message in the code has a Simplified Chinese translation, the compiled catalog is current, and the language
is looked up as it should be."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from lms.i18n import _, current_language, environment_language_held, in_language, set_language

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "lms" / "locale" / "zh_CN" / "LC_MESSAGES"


def source_messages() -> set[str]:
    found: set[str] = set()
    for package in ("lms", "courses", "scheduler_tui", "certificates", "webapp"):
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"_": None}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_chinese_translation() -> None:
    with (CATALOG / "lms.po").open("rb") as handle:
        catalog = read_po(handle)
    untranslated = sorted(m for m in source_messages() if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == [], "run `make i18n` and translate: " + "; ".join(untranslated[:10])


def test_compiled_catalog_matches_the_po_file() -> None:
    with (CATALOG / "lms.po").open("rb") as handle:
        po = {m.id: m.string for m in read_po(handle) if m.id}
    mo = {m.id: m.string for m in read_mo(io.BytesIO((CATALOG / "lms.mo").read_bytes())) if m.id}
    assert po == mo, "run `make i18n` to recompile lms.mo"


def test_placeholders_survive_translation() -> None:
    import re

    with (CATALOG / "lms.po").open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.string:
            assert set(re.findall(r"\{[a-z_]+[^}]*\}", message.id)) == set(
                re.findall(r"\{[a-z_]+[^}]*\}", message.string)
            ), message.id


def test_the_environments_language_is_held_for_a_long_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language(None)
    monkeypatch.setenv("LMS_LANG", "zh")
    assert _("met") == "已满足"
    with environment_language_held():
        monkeypatch.setenv("LMS_LANG", "en")
        assert current_language() == "zh" and _("met") == "已满足"  # read once, on entry
        with in_language("en"):
            assert _("met") == "met"  # building in one language still wins
        set_language("en")
        assert _("met") == "met"  # and so does a switch made meanwhile (the TUI's language key)
        set_language(None)
        assert _("met") == "已满足"
    assert _("met") == "met"  # outside, the environment is read at each message, as before
