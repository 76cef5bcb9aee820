"""How much and for whom, read from one training duty: minimum trainees, days and hours; audience, curricula, mode
and place. Each reader returns None when the text does not say (the parser lists it as unknown)."""

from __future__ import annotations

import re

from lms.projects.tender_terms import (
    AUDIENCE_WORDS,
    BUYER_SIDE,
    CURRICULA_FALSE_FRIENDS,
    CURRICULA_WORDS,
    MODE_WORDS,
    NO_TRAINEE_LIMIT,
    PLACE_WORDS,
    TRAINER_MENTION,
)
from lms.projects.tender_text import NUMERAL, to_number

AT_LEAST = r"(?:不少于|不低于|至少|最少|不小于|不得少于|为期|共|为)?"
TRAINEES = (
    re.compile(rf"{AT_LEAST}\s*(?P<n>{NUMERAL})\s*(?:名|人|位)(?:次)?(?:以上|及以上)?"),
    re.compile(rf"(?:参训|培训|受训)(?:人员|人数|学员)[^，。；0-9]{{0,6}}?(?P<n>{NUMERAL})\b"),
)
# A number of days or hours that is a length of training, not an offset (…内) nor a time before/after something.
DAY_UNIT = r"(?:工作日|工作天|日历日|自然日|天|日)(?!内|之内|以内|前|后|起|历)"
DAYS = re.compile(rf"{AT_LEAST}\s*(?P<n>{NUMERAL}|半)\s*个?\s*{DAY_UNIT}")
HOURS = re.compile(rf"{AT_LEAST}\s*(?P<n>{NUMERAL})\s*个?\s*(?:学时|课时|小时)(?!内|之内|以内|前|后)")
PER_DAY = re.compile(r"每(?:天|日)\s*$")
NOT_A_COUNT = re.compile(r"(?:每|前|后|第)\s*$")


def _outside(span: tuple[int, int] | None, match: re.Match[str]) -> bool:
    return span is None or match.end() <= span[0] or match.start() >= span[1]


def min_trainees(text: str) -> tuple[bool, int | None]:
    """(said, minimum): (True, None) for 不受人员限制/人数不限; (False, None) when the text does not say."""
    if NO_TRAINEE_LIMIT.search(text):
        return True, None
    for pattern in TRAINEES:
        for match in pattern.finditer(text):
            if NOT_A_COUNT.search(text[: match.start("n")]):
                continue
            return True, int(to_number(match["n"], match[0]))
    return False, None


def min_days(text: str, timing_span: tuple[int, int] | None) -> float | None:
    for match in DAYS.finditer(text):
        if _outside(timing_span, match) and not NOT_A_COUNT.search(text[: match.start("n")]):
            return to_number(match["n"], match[0])
    return None


def min_hours(text: str, timing_span: tuple[int, int] | None) -> float | None:
    """Hours of training; 每天N学时 with a number of days gives days × N."""
    for match in HOURS.finditer(text):
        if not _outside(timing_span, match):
            continue
        hours = to_number(match["n"], match[0])
        if PER_DAY.search(text[: match.start("n")].rstrip("不少于至低最")):
            days = min_days(text, timing_span)
            return hours * days if days else None
        if NOT_A_COUNT.search(text[: match.start("n")]) and not text[: match.start("n")].endswith("每次"):
            continue
        return hours
    return None


def words_found(text: str, table: dict[str, str], false_friends: re.Pattern[str] | None = None) -> list[str] | None:
    """The values of the table's words in the order they first appear, each once; None when there are none."""
    if false_friends is not None:
        text = false_friends.sub(lambda m: "□" * len(m[0]), text)
    found: list[tuple[int, str]] = []
    for word, value in table.items():
        position = text.find(word)
        if position >= 0:
            found.append((position, value))
    values: list[str] = []
    for _position, value in sorted(found):
        if value not in values:
            values.append(value)
    return values or None


def audience(text: str) -> list[str] | None:
    def mask_trainers(match: re.Match[str]) -> str:
        return match[0] if BUYER_SIDE.search(match["gap"]) else "□" * len(match[0])

    return words_found(TRAINER_MENTION.sub(mask_trainers, text), AUDIENCE_WORDS)


def curricula(text: str) -> list[str] | None:
    return words_found(text, CURRICULA_WORDS, CURRICULA_FALSE_FRIENDS)


def mode(text: str) -> str | None:
    return next((value for pattern, value in MODE_WORDS if pattern.search(text)), None)


def place(text: str) -> str | None:
    return next((value for pattern, value in PLACE_WORDS if pattern.search(text)), None)
