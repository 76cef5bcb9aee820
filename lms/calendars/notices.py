"""Reading the State Council's notice on the year's holidays (国务院办公厅关于YYYY年部分节假日安排的通知) as published.

Each numbered item (「二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
2月14日（周六）、2月28日（周六）上班。」) is read sentence by sentence: a sentence that says 放假 lists days off
(single days and ranges, across months too), one that says 上班 lists make-up working days, one that only
encourages time off (鼓励…) changes nothing. Stated weekdays (周X, 星期X) and day counts (共N天) are checked.
Anything not understood is refused with the item and the reason, never skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lms.calendars.official import YearSchedule, checked_schedule
from lms.errors import LmsError
from lms.i18n import _

# An item starts a line, or follows a full stop when the notice was pasted as one paragraph; its body runs to the
# end of the line or the next item.
ITEM = re.compile(
    r"(?:^|(?<=。))[ \t\u3000]*([一二三四五六七八九十]{1,3})、\s*([^：:\n。，（）()]{1,20})[：:]"
    r"(.*?)(?=$|。[ \t\u3000]*[一二三四五六七八九十]{1,3}、[^：:\n。，（）()]{1,20}[：:])",
    re.MULTILINE,
)
YEAR = re.compile(r"关于\s*(\d{4})\s*年部分节假日安排|现将\s*(\d{4})\s*年")
DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:[（(]([^）)]*)[）)])?")
RANGE_JOINS = frozenset({"至", "到", "-", "—", "–", "~", "～"})
WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
WEEKDAY_NUMBERS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
COUNT = re.compile(r"(?:共|放假)(\d+)天")
ENCOURAGES = "鼓励"


@dataclass
class NoticeItem:
    label: str  # 「二、春节」
    line: int
    days_off: list[dt.date] = field(default_factory=list)
    working_days: list[dt.date] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedNotice:
    schedule: YearSchedule
    items: list[NoticeItem]


class NoticeError(LmsError):
    """A notice that cannot be trusted: the item and the reason."""


def notice_year(text: str, year: int | None) -> int:
    """The year the notice is for, from its title or first sentence (never from its publication date)."""
    stated = {int(a or b) for a, b in YEAR.findall(text)}
    if len(stated) > 1:
        raise NoticeError(_("the notice names more than one year: {years}").format(years=sorted(stated)))
    if stated and year is not None and year not in stated:
        raise NoticeError(_("the notice is for {stated}, not {year}").format(stated=stated.pop(), year=year))
    if stated:
        return stated.pop()
    if year is None:
        raise NoticeError(_("the notice does not say which year it is for; give --year"))
    return year


def parse_notice(text: str, year: int | None = None, source: str | None = None) -> ParsedNotice:
    """The year's days off and make-up working days, or a ``NoticeError`` naming the item and the reason."""
    year = notice_year(text, year)
    items: list[NoticeItem] = []
    for match in ITEM.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        item = NoticeItem(f"{match.group(1)}、{match.group(2).strip()}", line)
        try:
            read_item(item, match.group(3), year)
        except NoticeError as error:
            raise NoticeError(f"「{item.label}」: {error.message}", file=source, line=line) from None
        items.append(item)
    if not items:
        raise NoticeError(_("no numbered items (一、元旦：…) found; paste the notice as published"), file=source)
    return ParsedNotice(whole_year(items, year, source), items)


def whole_year(items: list[NoticeItem], year: int, source: str | None) -> YearSchedule:
    """Every item together: no day both off and working, no working day outside the year, no holiday missing."""
    off: dict[dt.date, NoticeItem] = {}
    for item in items:
        off.update(dict.fromkeys(item.days_off, item))
    for item in items:
        for day in item.working_days:
            if day in off:
                raise NoticeError(
                    f"「{item.label}」: "
                    + _("{day} is listed both as a day off (「{other}」) and as a working day").format(
                        day=day.isoformat(), other=off[day].label
                    ),
                    file=source,
                    line=item.line,
                )
            if day.year != year:
                raise NoticeError(
                    f"「{item.label}」: " + _("{day} is not in {year}").format(day=day.isoformat(), year=year),
                    file=source,
                    line=item.line,
                )
    for day, item in off.items():
        # The New Year item of some notices starts on the last weekend of the year before (「2022年12月31日至
        # 2023年1月2日」): that Saturday is off anyway. A weekday of another year would change a year already set.
        if day.year != year and day.weekday() < 5:
            raise NoticeError(
                f"「{item.label}」: " + _("{day} is not in {year}").format(day=day.isoformat(), year=year),
                file=source,
                line=item.line,
            )
    days_off = {day for day in off if day.year == year}
    working = {day for item in items for day in item.working_days}
    return checked_schedule(year, days_off, working, where=_("notice for {year}").format(year=year), file=source)


def read_item(item: NoticeItem, body: str, year: int) -> None:
    """One item's sentences into its days off and working days."""
    *sentences, tail = body.split("。")
    if "放假" in tail or "上班" in tail:  # a last sentence without its full stop; not a signature's date
        sentences.append(tail)
    for sentence in filter(None, (part.strip() for part in sentences)):
        if ENCOURAGES in sentence:
            continue
        days = sentence_days(sentence, year)
        if not days:
            if "放假" in sentence or "上班" in sentence:
                raise NoticeError(_("no date in 「{sentence}」").format(sentence=sentence))
            continue
        if "上班" in sentence and "放假" not in sentence:
            item.working_days.extend(days)
        elif "放假" in sentence and "上班" not in sentence:
            check_count(sentence, days)
            item.days_off.extend(days)
        else:
            raise NoticeError(
                _("cannot tell whether 「{sentence}」 gives days off or working days").format(sentence=sentence)
            )


def sentence_days(sentence: str, year: int) -> list[dt.date]:
    """Every date of a sentence, ranges (「5月31日至6月2日」, 「15日至23日」) expanded; weekdays checked."""
    days: list[dt.date] = []
    previous: dt.date | None = None
    joined_by_range = False
    position = 0
    month: int | None = None
    for match in DATE.finditer(sentence):
        between = sentence[position : match.start()]
        if previous is not None:
            joined_by_range = between.strip() in RANGE_JOINS
        if re.search(r"\d", between):
            raise NoticeError(_("cannot read 「{text}」").format(text=between.strip()))
        position = match.end()
        day, month = read_date(match, year, month, previous if joined_by_range else None)
        if joined_by_range and previous is not None:
            if day <= previous:
                raise NoticeError(_("the range {first}–{last} runs backwards").format(first=previous, last=day))
            days.extend(previous + dt.timedelta(days=n) for n in range(1, (day - previous).days + 1))
        else:
            days.append(day)
        previous = day
    if re.search(r"\d+\s*[月日]", sentence[position:]):
        raise NoticeError(_("cannot read 「{text}」").format(text=sentence[position:].strip()))
    return days


def read_date(match: re.Match[str], year: int, month: int | None, range_start: dt.date | None) -> tuple[dt.date, int]:
    """One date: the year and month carry over from the item's previous date; a stated weekday must be right."""
    stated_year, stated_month, stated_day, note = match.groups()
    month = int(stated_month) if stated_month else month
    if month is None:
        raise NoticeError(_("「{text}」 has no month").format(text=match.group(0)))
    if stated_year:
        year = int(stated_year)
    elif range_start is not None:
        year = range_start.year + (1 if month < range_start.month else 0)  # 「12月31日至1月2日」
    try:
        day = dt.date(year, month, int(stated_day))
    except ValueError:
        raise NoticeError(_("「{text}」 is not a date").format(text=match.group(0))) from None
    weekday = WEEKDAY.search(note or "")
    if weekday and WEEKDAY_NUMBERS[weekday.group(1)] != day.weekday():
        raise NoticeError(
            _("{day} is a {actual}, not {stated}").format(
                day=day.isoformat(), actual=weekday_name(day), stated=weekday.group(0)
            )
        )
    return day, month


def weekday_name(day: dt.date) -> str:
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    return names[day.weekday()]


def check_count(sentence: str, days: list[dt.date]) -> None:
    """「共9天」 or 「放假1天」 must match the days the sentence lists."""
    stated = COUNT.search(sentence)
    if stated and int(stated.group(1)) != len(set(days)):
        raise NoticeError(
            _("the item says {stated} days but lists {listed}").format(stated=stated.group(1), listed=len(set(days)))
        )
