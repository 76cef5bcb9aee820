"""Grading rules of the built-in question types, written for speed: each ``compile`` function turns a question's
data into a one-argument grader once, and the grader is called for every response (plain dicts, no I/O).

A grader returns the fraction earned (0..1) or None when a trainer must grade the response.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
Grader = Callable[[Any], float | None]


def normalise_text_answer(text: str) -> str:
    """Full-width to half-width (NFKC), case folded, spaces removed: 'ＰＬＣ ' matches 'plc'."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_number(value: Any, unit: str | None = None) -> float | None:
    """A number as trainees type it: full-width digits, 。 or a lone comma as the decimal point, thousands
    separators, a trailing unit, the minus sign U+2212. None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("\u2212", "-").replace("。", ".")
    text = "".join(text.split()).casefold()
    if unit:
        folded = "".join(unicodedata.normalize("NFKC", unit).split()).casefold()
        text = text.removesuffix(folded)
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def by_data(compile_: Callable[[Data], Grader]) -> Callable[[Data, Any], float | None]:
    """The two-argument ``grade(data, response)`` form of a compiled grader (for callers grading one response)."""
    return lambda data, response: compile_(data)(response)


def single(data: Data) -> Grader:
    answer = data["answer"]
    partial = {key: max(0.0, weight / 100) for key, weight in (data.get("weights") or {}).items()}

    def grade(response: Any) -> float:
        if response == answer:
            return 1.0
        if partial and isinstance(response, str):
            return partial.get(response, 0.0)
        return 0.0

    return grade


def multiple(data: Data) -> Grader:
    weights = {key: weight / 100 for key, weight in data["weights"].items()}

    def grade(response: Any) -> float:
        if not response:
            return 0.0
        chosen = {response} if isinstance(response, str) else set(response)
        total = sum(weights.get(key, 0.0) for key in chosen if isinstance(key, str))
        return 0.0 if total < 0 else (1.0 if total > 1 else total)

    return grade


def truefalse(data: Data) -> Grader:
    answer = bool(data["answer"])

    def grade(response: Any) -> float:
        return 1.0 if isinstance(response, bool) and response is answer else 0.0

    return grade


def _accepts(value: float | None, tolerance: float, span: Any) -> Callable[[float], bool]:
    if span:
        low, high = float(span[0]), float(span[1])
        slack = 1e-9 * max(1.0, abs(low), abs(high))
        return lambda number: low - slack <= number <= high + slack
    assert value is not None
    slack = float(tolerance) + 1e-9 * max(1.0, abs(value))
    return lambda number: abs(number - value) <= slack


def numeric(data: Data) -> Grader:
    main = _accepts(data.get("answer"), data.get("tolerance", 0), data.get("range"))
    others = [
        (_accepts(extra.get("value"), extra.get("tolerance", 0), extra.get("range")), extra.get("weight", 100) / 100)
        for extra in data.get("answers") or []
    ]
    unit = data.get("unit")

    def grade(response: Any) -> float:
        number = parse_number(response, unit)
        if number is None:
            return 0.0
        if main(number):
            return 1.0
        return max((weight for accepts, weight in others if accepts(number)), default=0.0)

    return grade


def _pattern(text: str) -> re.Pattern[str] | None:
    """A Moodle short-answer wildcard (``*`` any characters, ``\\*`` a star) as a regex, or None if there is none."""
    parts = re.split(r"(\\\*|\*)", text)
    if "*" not in parts:
        return None
    return re.compile("".join(".*" if part == "*" else re.escape("*" if part == "\\*" else part) for part in parts))


def shortanswer(data: Data) -> Grader:
    exact: dict[str, float] = {}
    patterns: list[tuple[re.Pattern[str], float]] = []
    for accepted in data["answers"]:
        text, weight = normalise_text_answer(accepted["text"]), accepted.get("weight", 100) / 100
        pattern = _pattern(text)
        if pattern is not None:
            patterns.append((pattern, weight))
        else:
            key = text.replace("\\*", "*")
            exact[key] = max(weight, exact.get(key, 0.0))

    def grade(response: Any) -> float:
        if response is None:
            return 0.0
        given = normalise_text_answer(str(response))
        if not given:
            return 0.0
        best = exact.get(given, 0.0)
        for pattern, weight in patterns:
            if weight > best and pattern.fullmatch(given):
                best = weight
        return best

    return grade


def _text_key(text: dict[str, str]) -> tuple[str, str]:
    return normalise_text_answer(text["zh"]), normalise_text_answer(text["en"])


def matching(data: Data) -> Grader:
    pairs = data["pairs"]
    rights = [_text_key(pair["right"]) for pair in pairs] + [_text_key(t) for t in data.get("distractors") or []]
    count = len(pairs)

    def grade(response: Any) -> float:
        if not isinstance(response, list | tuple):
            return 0.0
        right = 0
        for index, picked in enumerate(response[:count]):
            # Two stems may share an answer text: either copy of it is right.
            if (
                type(picked) is int
                and 0 <= picked < len(rights)
                and (picked == index or rights[picked] == rights[index])
            ):
                right += 1
        return right / count

    return grade


def ordering(data: Data) -> Grader:
    count = len(data["items"])

    def grade(response: Any) -> float:
        """Absolute position: one share of the points for each item in its right place."""
        if not isinstance(response, list | tuple):
            return 0.0
        return sum(1 for position, picked in enumerate(response[:count]) if picked == position) / count

    return grade


def checklist(data: Data) -> Grader:
    items = data["items"]
    total = sum(item["points"] for item in items)
    critical = [item["id"] for item in items if item.get("critical")]

    def grade(response: Any) -> float | None:
        """The trainer's ticks; None until the trainer has scored it. A missed critical item scores 0."""
        if response is None:
            return None
        achieved = set(response)
        if any(item not in achieved for item in critical):
            return 0.0
        return sum(item["points"] for item in items if item["id"] in achieved) / total

    return grade


def manual(data: Data) -> Grader:
    return lambda response: None
