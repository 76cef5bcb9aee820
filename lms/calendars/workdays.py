"""Working-day calendars: China by default (public holidays and 调休 make-up weekends), company closures and
extra working days from configuration, other countries through the ``lms_workday_calendars`` hook.

Rule: "N working days after DATE" counts working days strictly after DATE, whatever DATE itself is; N<0
counts strictly before. A date in a year the calendar has no data for is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache, cached_property
from typing import Protocol

import holidays
from holidays.countries import china

from lms.config import CalendarConfig
from lms.errors import LmsError
from lms.i18n import _


class CalendarCoverageError(LmsError):
    """A date outside the years the calendar knows."""


class WorkdayCalendar(Protocol):
    code: str

    def covered_years(self) -> list[int]: ...

    def is_working_day(self, day: dt.date) -> bool: ...


def library_china_years() -> list[int]:
    """Years for which the ``holidays`` package carries China's official 调休 schedule (not guesses)."""
    years = china.ChinaStaticHolidays.special_public_holidays
    return list(range(min(years), max(years) + 1))


class ChinaCalendar:
    """Mainland China working days from ``holidays`` plus official years and company days from configuration."""

    code = "CN"

    def __init__(self, config: CalendarConfig | None = None) -> None:
        self.config = config or CalendarConfig()

    def covered_years(self) -> list[int]:
        return sorted(set(library_china_years()) | set(self.config.official))

    @cached_property
    def _covered(self) -> frozenset[int]:
        return frozenset(self.covered_years())

    @cached_property
    def _year_tables(self) -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
        """Per year: days off that fall on weekdays, and weekend days that are working days."""
        tables: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = {}
        for year in self.covered_years():
            if year in self.config.official:
                official = self.config.official[year]
                days_off, makeup = set(official.holidays), set(official.working_days)
            else:
                table = holidays.China(years=year)
                days_off = {day for day in table if day.year == year}
                makeup = {day for day in table.weekend_workdays if day.year == year}
            days_off |= {day for day in self.config.closures if day.year == year}
            makeup |= {day for day in self.config.extra_working_days if day.year == year}
            tables[year] = (frozenset(days_off - makeup), frozenset(makeup))
        return tables

    def is_working_day(self, day: dt.date) -> bool:
        if day.year not in self._covered:
            raise coverage_error(self, day)
        days_off, makeup = self._year_tables[day.year]
        if day in makeup:
            return True
        return day.weekday() < 5 and day not in days_off


def coverage_error(calendar: WorkdayCalendar, day: dt.date) -> CalendarCoverageError:
    years = calendar.covered_years()
    span = f"{years[0]}–{years[-1]}" if years else "-"
    return CalendarCoverageError(
        _(
            "{day} is outside the working-day calendar {code} (it covers {span}); add that year's official "
            "schedule under calendar.official in the configuration"
        ).format(day=day.isoformat(), code=calendar.code, span=span)
    )


class WorkdayTable:
    """Sorted working days of the covered years, for fast counting with bisect (deadlines in bulk)."""

    def __init__(self, calendar: WorkdayCalendar) -> None:
        self.calendar = calendar
        days: list[dt.date] = []
        for year in calendar.covered_years():
            day = dt.date(year, 1, 1)
            while day.year == year:
                if calendar.is_working_day(day):
                    days.append(day)
                day += dt.timedelta(days=1)
        self.days = days
        self._covered = frozenset(calendar.covered_years())

    def _check(self, day: dt.date) -> None:
        if day.year not in self._covered:
            raise coverage_error(self.calendar, day)

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        index = bisect_left(self.days, day)
        return index < len(self.days) and self.days[index] == day

    def add(self, start: dt.date, count: int) -> dt.date:
        """The date ``count`` working days after ``start`` (before it when negative), ``start`` excluded."""
        self._check(start)
        if count == 0:
            return start
        if count > 0:
            index = bisect_right(self.days, start) + count - 1
        else:
            index = bisect_left(self.days, start) + count
        if not 0 <= index < len(self.days) or not self._contiguous(start, self.days[index]):
            beyond = start + dt.timedelta(days=1 if count > 0 else -1)
            while beyond.year in self._covered:
                beyond = dt.date(beyond.year + (1 if count > 0 else -1), 1 if count > 0 else 12, 1)
            raise coverage_error(self.calendar, beyond)
        return self.days[index]

    def _contiguous(self, first: dt.date, second: dt.date) -> bool:
        low, high = sorted((first.year, second.year))
        return all(year in self._covered for year in range(low, high + 1))

    def count_between(self, first: dt.date, last: dt.date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        self._check(first)
        self._check(last)
        return max(0, bisect_right(self.days, last) - bisect_left(self.days, first))

    def working_days_in(self, days: Iterable[dt.date]) -> list[dt.date]:
        return [day for day in days if self.is_working_day(day)]


def working_days_after(calendar: WorkdayCalendar, start: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``start`` (before when negative), counting strictly after it."""
    step = dt.timedelta(days=1 if count > 0 else -1)
    day = start
    if start.year not in calendar.covered_years():
        raise coverage_error(calendar, start)
    remaining = abs(count)
    while remaining:
        day += step
        if calendar.is_working_day(day):
            remaining -= 1
    return day


@cache
def china_calendar(config_json: str) -> ChinaCalendar:
    """One calendar per configuration: building the year tables takes ~17 ms, and screens ask for it often."""
    return ChinaCalendar(CalendarConfig.model_validate_json(config_json))


def calendars(pm: object | None = None, config: CalendarConfig | None = None) -> dict[str, WorkdayCalendar]:
    """Every calendar known: the built-in China calendar and those plugins contribute."""
    known: dict[str, WorkdayCalendar] = {"CN": china_calendar((config or CalendarConfig()).model_dump_json())}
    if pm is not None:
        for contributed in pm.hook.lms_workday_calendars():  # type: ignore[attr-defined]
            known.update(contributed)
    return known


def get_calendar(
    code: str | None = None, pm: object | None = None, config: CalendarConfig | None = None
) -> WorkdayCalendar:
    from lms.config import settings

    config = config or settings().calendar
    code = (code or config.country).upper()
    known = calendars(pm, config)
    if code not in known:
        raise LmsError(
            _("unknown working-day calendar {code} (known: {known})").format(code=code, known=", ".join(known))
        )
    return known[code]
