"""Bilingual text in monolingual GIFT, and GIFT's escaping.

Our convention: ``中文 | English`` — the text before the first `` | `` (space, bar, space) is Chinese, the text
after it English; a text without the separator is used for both languages. A literal bar in that position is
written ``\\|``. If only the right-hand side contains Chinese characters the sides are swapped, so
``English | 中文`` works too. Moodle's multi-language spans (``<span lang="zh" class="multilang">…</span>``,
the multilang filter's own format) are read as well, so a bilingual Moodle export comes in with both languages.
"""

from __future__ import annotations

import html
import re

SEPARATOR = " | "
_BAR = "\ue008"  # lms.catalog.gift.parser keeps an escaped bar as this placeholder until the split
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPAN = re.compile(r'<span\s+lang="([A-Za-z_-]+)"\s+class="multilang"\s*>(.*?)</span>', re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br\s*/?|/p|/div|/li)\s*>", re.I)
RESERVED = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n"}


def html_to_text(text: str) -> str:
    """Plain text from Moodle HTML: line breaks kept, tags dropped, entities decoded."""
    text = _TAG.sub("", _BREAK.sub("\n", text))
    lines = [" ".join(line.split()) for line in html.unescape(text).splitlines()]
    return "\n".join(line for line in lines if line).strip()


def split_bilingual(text: str) -> dict[str, str]:
    """{"zh": ..., "en": ...} from one GIFT text (see the module docstring)."""
    spans = {lang.lower()[:2]: body.strip() for lang, body in _SPAN.findall(text)}
    if spans.get("zh") and spans.get("en"):
        return {"zh": html_to_text(spans["zh"]), "en": html_to_text(spans["en"])}
    text = text.replace("\\|", _BAR)
    zh, found, en = text.partition(SEPARATOR)
    zh, en = zh.strip(), en.strip()
    if not found or not zh or not en:
        zh = en = (zh or en).strip()
    elif _CJK.search(en) and not _CJK.search(zh):
        zh, en = en, zh
    return {"zh": zh.replace(_BAR, "|"), "en": en.replace(_BAR, "|")}


def escape(text: str) -> str:
    """Moodle's repchar: escape GIFT's control characters and newlines."""
    return "".join(RESERVED.get(char, char) for char in text.replace("\r", ""))


_LOOSE_BAR = re.compile(r"(?:(?<=\s)|^)\||\|(?=\s|$)")


def _side(text: str) -> str:
    """One language's text; a bar that could be read as the separator is escaped."""
    return _LOOSE_BAR.sub(r"\\|", escape(text))


def join_bilingual(text: dict[str, str]) -> str:
    """One GIFT text for a bilingual one, escaped; ``[moodle]`` guards a text that starts with ``[``."""
    zh, en = text["zh"], text["en"]
    joined = _side(zh) if zh == en else _side(zh) + SEPARATOR + _side(en)
    return "[moodle]" + joined if joined.startswith("[") else joined
