"""Answers and keys as people type them: letters for choices, ``;`` between several, T/F, numbers.

Letters name options as the trainee's paper printed them:

* single and multiple choice: when the trainee has a paper (an attempt in progress, whose ``seed`` fixed the order
  its options were shown in), A, B, C… are the options in that shown order — the letters on the trainee's screen
  and printed paper (``question_views.display_order``). Without a paper, and in a key typed for a regrade, they
  are the choices in the order of the course file (choice index);
* matching (right-hand side) and ordering (items): the letters of ``question_views.item_tokens`` — a permutation
  fixed per question id, because the course order of those *is* the key. Printed papers show these letters beside
  the texts, whatever order the attempt shows them in.

Several letters are separated by ``;`` (full-width ``；``, ``,`` and ``、`` work too); ``ACD`` also works for
multiple choice. Errors are ``ValueError`` with a message for the user; callers add file, line and field.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from lms.i18n import _
from lms.models import Question
from lms.questions.grading import parse_number
from lms.questions.views import display_order, item_tokens, letters

TRUE_WORDS = {"T", "TRUE", "Y", "YES", "对", "是", "正确", "√", "✓"}
FALSE_WORDS = {"F", "FALSE", "N", "NO", "错", "否", "错误", "×", "✗", "X"}
_SEPARATORS = re.compile(r"[;,、\s]+")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _letter_list(text: str, allow_run: bool) -> list[str]:
    parts = [part for part in _SEPARATORS.split(_clean(text).upper()) if part]
    if allow_run and len(parts) == 1 and parts[0].isalpha() and len(parts[0]) > 1:
        return list(parts[0])
    return parts


def _choice_ids(question: Question, text: str, allow_run: bool, seed: int | None = None) -> list[str]:
    choices = (question.data or {})["choices"]
    order = range(len(choices)) if seed is None else display_order(seed, question.code, len(choices))
    by_letter = dict(zip(letters(len(choices)), (choices[index]["id"] for index in order), strict=True))
    picked = []
    for letter in _letter_list(text, allow_run):
        if letter not in by_letter:
            raise ValueError(
                _("{letter!r} is not a choice letter (A–{last})").format(letter=letter, last=letters(len(choices))[-1])
            )
        picked.append(by_letter[letter])
    return picked


def _token_indexes(question: Question, text: str, count: int) -> list[int | None]:
    index = {token: position for position, token in enumerate(item_tokens(question.code, count))}
    parts = [part.strip() for part in re.split(r"[;,、]", _clean(text).upper())]
    result: list[int | None] = []
    for part in parts:
        if part and part not in index:
            raise ValueError(
                _("{letter!r} is not one of the letters A–{last}").format(letter=part, last=letters(count)[-1])
            )
        result.append(index[part] if part else None)
    return result


def truth(text: str) -> bool:
    word = _clean(text).upper()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("{text!r} is not true or false (T or F)").format(text=text))


def typed_answer(question: Question, text: str, seed: int | None = None) -> Any:
    """The stored response for an answer typed from a paper; None for an empty cell.

    ``seed`` is that of the trainee's paper (their attempt in progress): choice letters then name the options in the
    order the paper showed them; without it, in course-file order.
    """
    if not _clean(text):
        return None
    data = question.data or {}
    kind = question.qtype
    if kind == "single":
        picked = _choice_ids(question, text, allow_run=False, seed=seed)
        if len(picked) != 1:
            raise ValueError(_("give one choice letter"))
        return picked[0]
    if kind == "multiple":
        return sorted(set(_choice_ids(question, text, allow_run=True, seed=seed)))
    if kind == "truefalse":
        return truth(text)
    if kind == "numeric":
        if parse_number(text, data.get("unit")) is None:
            raise ValueError(_("{text!r} is not a number").format(text=text))
        return _clean(text)
    if kind == "matching":
        count = len(data["pairs"]) + len(data.get("distractors") or [])
        return _token_indexes(question, text, count)
    if kind == "ordering":
        return _token_indexes(question, text, len(data["items"]))
    if kind == "checklist":
        known = {item["id"] for item in data["items"]}
        ticked = [part for part in re.split(r"[;,、\s]+", _clean(text)) if part]
        unknown = [item for item in ticked if item not in known]
        if unknown:
            raise ValueError(_("{item!r} is not an item of this checklist").format(item=unknown[0]))
        return ticked
    if kind == "description":
        raise ValueError(_("a description takes no answer"))
    return text.strip()


def corrected_key(question: Question, text: str) -> dict[str, Any]:
    """The key fields a regrade puts into the question's data, from a typed key (see the module docstring)."""
    data = question.data or {}
    kind = question.qtype
    if kind == "single":
        picked = _choice_ids(question, text, allow_run=False)
        if len(picked) != 1:
            raise ValueError(_("give one choice letter"))
        return {"answer": picked[0], "weights": None}
    if kind == "multiple":
        return {"weights": _multiple_weights(question, text)}
    if kind == "truefalse":
        return {"answer": truth(text)}
    if kind == "numeric":
        return _numeric_key(_clean(text), data.get("unit"))
    if kind == "shortanswer":
        accepted = [part.strip() for part in re.split(r"[;；]", text) if part.strip()]
        if not accepted:
            raise ValueError(_("give at least one accepted answer"))
        return {"answers": [{"text": item, "weight": 100} for item in accepted]}
    raise ValueError(
        _("a {kind} question's key cannot be corrected by a regrade; import a new version").format(kind=kind)
    )


def _multiple_weights(question: Question, text: str) -> dict[str, float]:
    parts = [part for part in re.split(r"[;,、\s]+", _clean(text).upper()) if part]
    if parts and all(":" in part for part in parts):
        weights = {}
        for part in parts:
            letter, _sep, weight = part.partition(":")
            number = parse_number(weight)
            if number is None:
                raise ValueError(_("{text!r} is not a number").format(text=weight))
            weights[_choice_ids(question, letter, allow_run=False)[0]] = number
        return weights
    right = _choice_ids(question, text, allow_run=True)
    if not right:
        raise ValueError(_("give the letters of the right choices"))
    return {choice: round(100 / len(right), 4) for choice in right}


def _numeric_key(text: str, unit: str | None) -> dict[str, Any]:
    if ".." in text:
        low, _sep, high = text.partition("..")
        bounds = (parse_number(low, unit), parse_number(high, unit))
        if None in bounds:
            raise ValueError(_("{text!r} is not a range like 91..95").format(text=text))
        return {"answer": None, "tolerance": 0.0, "range": list(bounds)}
    value, _sep, tolerance = text.partition(":")
    number, margin = parse_number(value, unit), parse_number(tolerance or "0")
    if number is None or margin is None:
        raise ValueError(_("{text!r} is not a number like 93 or 93:2").format(text=text))
    return {"answer": number, "tolerance": abs(margin), "range": None}
