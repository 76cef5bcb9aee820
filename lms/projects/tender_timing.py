"""When a duty falls due, read from the tender: a milestone with an offset (验收合格后2个工作日内, 交付前7天), an
absolute date (2022年03月底前) or a cadence (每季度, 每半年, 每年2次, 春、秋两季, 每月)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from lms.i18n import _
from lms.projects.tender_terms import MILESTONE, MILESTONE_TAIL, MILESTONE_WORDS, milestone_note
from lms.projects.tender_text import NUMERAL, to_number

UNIT = r"(?P<unit>工作日|日历日|自然日|天|日|周|星期|个月|月)"
AMOUNT = rf"(?:(?P<n>{NUMERAL})\s*个?\s*{UNIT})"
PLACE_AFTER_MILESTONE = r"(?:[^，。；,;]{0,8}?现场)?"
AFTER = re.compile(
    rf"(?P<ms>{MILESTONE}){PLACE_AFTER_MILESTONE}{MILESTONE_TAIL}(?:后|之后|以后|起)(?:的)?\s*{AMOUNT}?\s*(?:内|之内|以内)?"
)
# The number of days a little later in the same sentence, closed by 内: 「…后，中标人应在30个日历日内」.
LATER_AMOUNT = re.compile(rf"[^。；;]{{0,16}}?(?:在|于)\s*{AMOUNT}\s*(?:内|之内|以内)")
BEFORE = re.compile(rf"(?P<ms>{MILESTONE}){MILESTONE_TAIL}(?:前|之前|以前)(?:的)?\s*{AMOUNT}?")
DEADLINE = re.compile(
    rf"(?P<year>[0-9]{{4}})\s*年(?:(?P<month>{NUMERAL})\s*月)?(?:(?P<end>底|末)|(?P<day>{NUMERAL})\s*[日号])?\s*(?:之前|以前|前)"
)
EVERY_YEAR = re.compile(rf"每年(?:度)?(?:至少|不少于|不低于)?\s*(?P<n>{NUMERAL})\s*次")
CADENCES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"春[、,，和及与]?\s*秋|春季[、,，和及与]?\s*秋季"), "spring_autumn"),
    (re.compile(r"每个?季度?|每三个月"), "quarterly"),
    (re.compile(r"每半年|每六个月|每6个月"), "semiannual"),
    (re.compile(r"每个?月"), "monthly"),
    (re.compile(r"每年|每一年|每个年度"), "yearly"),
)
TIMES_A_YEAR = {1: "yearly", 2: "semiannual", 4: "quarterly", 12: "monthly"}
WARRANTY = re.compile(r"质保期|保修期|质量保证期|免费维保期|免费维护期|服务期")


@dataclass
class Timing:
    """What the parser found about when; ``span`` is where in the folded text it was read."""

    anchor: str | None = None
    offset: str | None = None
    deadline: dt.date | None = None
    cadence: str | None = None
    milestone_word: str | None = None
    span: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)
    repeats: bool = False  # a cadence was named, even one we cannot keep (每年3次)

    @property
    def found(self) -> bool:
        return bool(self.milestone_word or self.deadline or self.cadence or self.repeats)


def read_timing(text: str) -> Timing:
    """The first milestone rule, deadline and cadence the text names."""
    timing = Timing()
    _read_milestone(text, timing)
    _read_deadline(text, timing)
    _read_cadence(text, timing)
    return timing


def _read_milestone(text: str, timing: Timing) -> None:
    matches = [m for m in (AFTER.search(text), BEFORE.search(text)) if m]
    if not matches:
        return
    match = min(matches, key=lambda m: m.start())
    timing.milestone_word, timing.anchor, timing.span = match["ms"], MILESTONE_WORDS[match["ms"]], match.span()
    note = milestone_note(match["ms"])
    if note:
        timing.notes.append(note)
    direction = "after" if match.re is AFTER else "before"
    amount: re.Match[str] | None = match if match["n"] is not None else None
    if amount is None and direction == "after":  # 验收合格后，中标人应在30个日历日内…
        amount = LATER_AMOUNT.match(text, match.end())
        if amount is not None:
            timing.span = (match.start(), amount.end())
    if amount is None:
        if direction == "before":  # 验收前完成培训: due by the milestone itself
            timing.offset = "0 calendar days before"
        return
    days, unit = _days(to_number(amount["n"], amount[0]), amount["unit"])
    if days is None:
        timing.notes.append(
            _("{text!r}: an offset in months is not a number of days; give it in days").format(text=amount[0])
        )
        return
    timing.offset = f"{days} {unit} days {direction}"


def _days(amount: float, unit: str) -> tuple[int | None, str]:
    if unit in ("周", "星期"):
        return round(amount * 7), "calendar"
    if unit.endswith("月"):
        return None, "calendar"
    return round(amount), "working" if unit == "工作日" else "calendar"


def _read_deadline(text: str, timing: Timing) -> None:
    match = DEADLINE.search(text)
    if not match:
        return
    year = int(match["year"])
    month = int(to_number(match["month"], match[0])) if match["month"] else 12
    if not 1 <= month <= 12:
        timing.notes.append(_("{text!r} names no month").format(text=match[0]))
        return
    last = calendar.monthrange(year, month)[1]
    day = int(to_number(match["day"], match[0])) if match["day"] else last
    if not 1 <= day <= last:
        timing.notes.append(_("{text!r} names no day").format(text=match[0]))
        return
    timing.deadline = dt.date(year, month, day)
    if timing.span is None:
        timing.span = match.span()


def _read_cadence(text: str, timing: Timing) -> None:
    per_year = EVERY_YEAR.search(text)
    if per_year:
        times = int(to_number(per_year["n"], per_year[0]))
        timing.cadence, timing.repeats = TIMES_A_YEAR.get(times), True
        if timing.cadence is None:
            timing.notes.append(
                _("{text!r}: {times} times a year is not a cadence we keep").format(text=per_year[0], times=times)
            )
        _warranty_anchor(text, timing)
        return
    for pattern, cadence in CADENCES:
        if pattern.search(text):
            timing.cadence = cadence
            _warranty_anchor(text, timing)
            return


def _warranty_anchor(text: str, timing: Timing) -> None:
    """A repeated duty over the warranty starts at acceptance, where the warranty starts, unless a milestone says
    otherwise."""
    if timing.milestone_word is None and WARRANTY.search(text):
        timing.anchor, timing.offset = "acceptance", "0 calendar days after"
        timing.notes.append(_("the warranty is taken to start at acceptance"))
