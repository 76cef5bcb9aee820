"""Tender text as the parser reads it: full-width folded, cut into sentences and comma-separated fragments, with
every fragment's position in the original so a proposal can quote its clause exactly."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import cn2an

from lms.errors import LmsError
from lms.i18n import _

# A numeral as tenders write it: Arabic (full-width folded first), Chinese (二、两、十五、一百), or a mix (2十).
NUMERAL = r"(?:[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)"
SENTENCE_END = "。；;！!？?\n"
FRAGMENT_END = "，,：:"
# Item numbers that open a line: 1、 2. （3） (4) 5.3 一、 ①
ITEM_NUMBER = re.compile(
    r"^\s*(?:[(]?[0-9一二三四五六七八九十]+[)]|[0-9]+(?:\.[0-9]+)*[、.](?![0-9])|[0-9]+\.[0-9]+\s|[一二三四五六七八九十]+、|[①-⑳])\s*"
)
HEADING_LENGTH = 12
HAS_CHINESE = re.compile(r"[\u4e00-\u9fff]")


class TenderTextError(LmsError):
    """Text the parser cannot read; the message quotes it."""


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms, one character for one (positions keep)."""
    folded = []
    for char in text:
        normal = unicodedata.normalize("NFKC", char)
        folded.append(normal if len(normal) == 1 else char)
    return "".join(folded)


def to_number(token: str, context: str) -> float:
    """A numeral token as a number, through cn2an; an error quoting ``context`` if it is not one."""
    if token == "半":  # 半天, 半年: cn2an reads numerals, not fractions
        return 0.5
    try:
        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, TypeError):
        raise TenderTextError(
            _("cannot read the number {token!r} in {text!r}").format(token=token, text=context), field="clause"
        ) from None


@dataclass(frozen=True)
class Fragment:
    """A piece of a sentence between commas; ``start``/``end`` index the original text."""

    start: int
    end: int
    text: str  # folded
    opens_sentence: bool
    heading: bool = False  # a short line of its own without numbers: 「五、培训要求」
    numbered: bool = False  # opens with an item number (1、 (2) 3.): a new item, so a new duty


def fragments(original: str) -> list[Fragment]:
    """Cut the text at sentence ends and commas; item numbers at the start of a sentence are left out."""
    folded = fold_width(original)
    pieces: list[Fragment] = []
    start, opens = 0, True
    for index, char in enumerate(folded + "\n"):
        if char in SENTENCE_END or char in FRAGMENT_END:
            line_end = char == "\n" or (char in ":：" and folded[index + 1 : index + 2] in ("\n", ""))
            _add_piece(pieces, folded, start, index, opens, line_end=line_end)
            opens = char in SENTENCE_END
            start = index + 1
    return pieces


def _add_piece(pieces: list[Fragment], folded: str, start: int, end: int, opens: bool, *, line_end: bool) -> None:
    text = folded[start:end]
    numbered = ITEM_NUMBER.match(text) if opens else None
    if numbered:
        if numbered.end() < len(text):
            start += numbered.end()
            text = folded[start:end]
    stripped = text.strip()
    if not stripped:
        return
    start += len(text) - len(text.lstrip())
    end = start + len(stripped)
    heading = opens and line_end and len(stripped) <= HEADING_LENGTH and not re.search(r"[0-9]", stripped)
    pieces.append(Fragment(start, end, stripped, opens, heading, numbered is not None))


def quote(original: str, start: int, end: int) -> str:
    """The exact clause: from ``start`` to ``end``, with the sentence's closing mark when one follows."""
    if end < len(original) and original[end] in "。；;！!":
        end += 1
    return original[start:end]


def require_readable(original: str) -> None:
    """Refuse text that holds no Chinese at all (not a tender clause as we know them)."""
    if not original.strip():
        raise TenderTextError(_("there is no text to read"), field="clause")
    if not HAS_CHINESE.search(original):
        shown = original.strip()[:40]
        raise TenderTextError(
            _("cannot read {text!r}: tender clauses are read in Chinese").format(text=shown), field="clause"
        )
