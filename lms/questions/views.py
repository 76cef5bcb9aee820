"""What a trainee sees of a question: prompt and options without any key, in an order fixed by the attempt's seed.

A view never carries an answer, a weight, a tolerance, accepted texts, feedback or a rubric. Options keep stable
ids, so grading never depends on the order shown: choices keep their course ids; the right-hand side of a matching
question and the items of an ordering question (whose course order *is* the key) get letters from a permutation
fixed per question (``item_tokens``), the same letters a typed-in answer sheet uses.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Data = dict[str, Any]
InputKind = Literal["choice", "choices", "truefalse", "number", "text", "essay", "match", "order", "none"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OptionView(Frozen):
    """One option as shown: a stable id to answer with, the letter shown beside it, its text."""

    id: str
    label: str
    text: dict[str, str]


class ViewBody(Frozen):
    """The type-specific part of a view: what to show and what kind of input to take."""

    input: InputKind
    options: list[OptionView] = []
    lefts: list[OptionView] = []
    rights: list[OptionView] = []
    unit: str | None = None


class QuestionView(Frozen):
    """One question of one attempt as the trainee's screen receives it (no key; see the module docstring)."""

    question_id: int
    number: int
    qtype: str
    points: float
    prompt: dict[str, str]
    body: ViewBody
    response: Any = None


def letters(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: labels for ``count`` options."""
    alphabet = string.ascii_uppercase
    return [alphabet[i] if i < 26 else alphabet[i // 26 - 1] + alphabet[i % 26] for i in range(count)]


def item_tokens(code: str, count: int) -> list[str]:
    """Letters for the items of a matching or ordering question, by course order; fixed per question id."""
    tokens = letters(count)
    random.Random(f"tokens:{code}").shuffle(tokens)
    return tokens


def display_order(seed: int, code: str, count: int) -> list[int]:
    """The order (indexes into the course order) in which an attempt shows ``count`` options."""
    order = list(range(count))
    random.Random(f"{seed}:{code}").shuffle(order)
    return order


def _bilingual(text: dict[str, str]) -> dict[str, str]:
    return {"zh": text["zh"], "en": text["en"]}


def _choices(code: str, data: Data, seed: int, kind: InputKind) -> ViewBody:
    choices = data["choices"]
    order = display_order(seed, code, len(choices))
    labels = letters(len(choices))
    options = [
        OptionView(id=choices[index]["id"], label=labels[shown], text=_bilingual(choices[index]["text"]))
        for shown, index in enumerate(order)
    ]
    return ViewBody(input=kind, options=options)


def _rights(data: Data) -> list[dict[str, str]]:
    return [pair["right"] for pair in data["pairs"]] + list(data.get("distractors") or [])


def _matching(code: str, data: Data, seed: int) -> ViewBody:
    rights = _rights(data)
    tokens, labels = item_tokens(code, len(rights)), letters(len(rights))
    lefts = [
        OptionView(id=str(index), label=str(index + 1), text=_bilingual(pair["left"]))
        for index, pair in enumerate(data["pairs"])
    ]
    shown = [
        OptionView(id=tokens[index], label=labels[position], text=_bilingual(rights[index]))
        for position, index in enumerate(display_order(seed, code, len(rights)))
    ]
    return ViewBody(input="match", lefts=lefts, rights=shown)


def _ordering(code: str, data: Data, seed: int) -> ViewBody:
    items = data["items"]
    tokens = item_tokens(code, len(items))
    options = [
        OptionView(id=tokens[index], label=str(position + 1), text=_bilingual(items[index]))
        for position, index in enumerate(display_order(seed, code, len(items)))
    ]
    return ViewBody(input="order", options=options)


TRUE_FALSE = (
    OptionView(id="T", label="A", text={"zh": "正确", "en": "True"}),
    OptionView(id="F", label="B", text={"zh": "错误", "en": "False"}),
)


def _tokens_to_indexes(code: str, count: int, response: Any) -> list[int | None] | None:
    if not response:
        return None
    index = {token: position for position, token in enumerate(item_tokens(code, count))}
    return [index.get(token) if isinstance(token, str) else None for token in response]


def _indexes_to_tokens(code: str, count: int, stored: Any) -> list[str | None] | None:
    if not stored:
        return None
    tokens = item_tokens(code, count)
    return [tokens[i] if isinstance(i, int) and 0 <= i < count else None for i in stored]


@dataclass(frozen=True)
class ViewSet:
    view: Callable[[str, Data, int], ViewBody]
    from_view: Callable[[str, Data, Any], Any] | None = None
    to_view: Callable[[str, Data, Any], Any] | None = None


def _same(code: str, data: Data, response: Any) -> Any:
    return response


def _text(code: str, data: Data, response: Any) -> Any:
    return None if response is None or str(response).strip() == "" else str(response)


def _truefalse_in(code: str, data: Data, response: Any) -> bool | None:
    return {"T": True, "F": False}.get(response) if isinstance(response, str) else None


def _truefalse_out(code: str, data: Data, stored: Any) -> str | None:
    return None if stored is None else ("T" if stored else "F")


BUILTIN_VIEWS: dict[str, ViewSet] = {
    "single": ViewSet(lambda c, d, s: _choices(c, d, s, "choice"), _same, _same),
    "multiple": ViewSet(lambda c, d, s: _choices(c, d, s, "choices"), lambda c, d, r: sorted(r) if r else None, _same),
    "truefalse": ViewSet(
        lambda c, d, s: ViewBody(input="truefalse", options=list(TRUE_FALSE)), _truefalse_in, _truefalse_out
    ),
    "numeric": ViewSet(lambda c, d, s: ViewBody(input="number", unit=d.get("unit")), _text, _same),
    "shortanswer": ViewSet(lambda c, d, s: ViewBody(input="text"), _text, _same),
    "essay": ViewSet(lambda c, d, s: ViewBody(input="essay"), _text, _same),
    "description": ViewSet(lambda c, d, s: ViewBody(input="none")),
    "checklist": ViewSet(lambda c, d, s: ViewBody(input="none")),
    "matching": ViewSet(
        _matching,
        lambda c, d, r: _tokens_to_indexes(c, len(_rights(d)), r),
        lambda c, d, r: _indexes_to_tokens(c, len(_rights(d)), r),
    ),
    "ordering": ViewSet(
        _ordering,
        lambda c, d, r: _tokens_to_indexes(c, len(d["items"]), r),
        lambda c, d, r: _indexes_to_tokens(c, len(d["items"]), r),
    ),
}
