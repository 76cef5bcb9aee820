"""One year's holiday schedule for mainland China: official (a State Council notice, imported or typed into the
configuration) or provisional (the statutory days on their real dates, weekends off, no make-up days known).

An official year must be whole: every statutory holiday of that year off, no date of another year, no day both off
and working. A partial year is refused, never trusted: a missing National Day would be planned on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import holidays

from lms.errors import LmsError
from lms.i18n import _, current_language


@dataclass(frozen=True)
class YearSchedule:
    """A year's days off (weekends included when the notice lists them) and make-up working days."""

    year: int
    days_off: frozenset[dt.date]
    working_days: frozenset[dt.date]
    provisional: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "days_off": [day.isoformat() for day in sorted(self.days_off)],
            "working_days": [day.isoformat() for day in sorted(self.working_days)],
        }


@cache
def statutory_holidays(year: int, language: str = "en_US") -> dict[dt.date, str]:
    """The statutory holidays of ``year`` under the rules in force that year, on their real (lunar) dates.

    ``observed=False`` keeps the library's own guesses of bridging days out (for 2027 it invents Feb 9–10,
    May 3–4 and Oct 4–5); only the State Council's notice says which days are bridged.
    """
    table = holidays.China(years=year, observed=False, language=language)
    return {day: name for day, name in table.items() if day.year == year}


def provisional_schedule(year: int) -> YearSchedule:
    return YearSchedule(year, frozenset(statutory_holidays(year)), frozenset(), provisional=True)


def checked_schedule(
    year: int, days_off: Iterable[dt.date], working_days: Iterable[dt.date], *, where: str, file: str | None = None
) -> YearSchedule:
    """A whole official year, or an error naming ``where`` (a configuration field or a notice) and the reason."""
    off, working = frozenset(days_off), frozenset(working_days)

    def refuse(reason: str) -> LmsError:
        return LmsError(reason, field=where, file=file)

    for day in sorted(off | working):
        if day.year != year:
            raise refuse(_("{day} is not in {year}").format(day=day.isoformat(), year=year))
    both = sorted(off & working)
    if both:
        raise refuse(_("{day} is listed both as a day off and as a working day").format(day=both[0].isoformat()))
    names = statutory_holidays(year, "zh_CN" if current_language() == "zh" else "en_US")
    missing = [(day, name) for day, name in sorted(names.items()) if day not in off]
    if missing:
        day, name = missing[0]
        raise refuse(
            _("incomplete year: the statutory holiday {name} ({day}) is not a day off; enter the whole notice").format(
                name=name, day=day.isoformat()
            )
        )
    return YearSchedule(year, off, working)
