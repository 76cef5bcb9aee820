"""Working-day calendars: China by default (public holidays and 调休 make-up weekends), company closures and
extra working days from configuration, other countries through the ``lms_workday_calendars`` hook.

Rule: "N working days after DATE" counts working days strictly after DATE, whatever DATE itself is; N<0
counts strictly before. A date in a year the calendar has no data for is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from typing import TYPE_CHECKING, Protocol

import holidays
from holidays.countries import china

from lms.calendars.official import YearSchedule, checked_schedule, provisional_schedule
from lms.config import CalendarConfig
from lms.errors import LmsError
from lms.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session


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
    """Mainland China working days: official years (the ``holidays`` package's data, the configuration's
    ``calendar.official`` and imported notices, newest first), provisional years after them up to
    ``provisional_through``, and company days from configuration."""

    code = "CN"

    def __init__(
        self,
        config: CalendarConfig | None = None,
        notices: Mapping[int, YearSchedule] | None = None,
        provisional_through: int | None = None,
    ) -> None:
        self.config = config or CalendarConfig()
        self.official: dict[int, YearSchedule] = {
            year: checked_schedule(
                year, entry.holidays, entry.working_days, where=f"calendar.official.{year}", file=_config_file()
            )
            for year, entry in self.config.official.items()
        }
        self.official.update(notices or {})
        known = set(library_china_years()) | set(self.official)
        self._provisional = frozenset(range(max(known) + 1, (provisional_through or 0) + 1))

    def covered_years(self) -> list[int]:
        return sorted(set(library_china_years()) | set(self.official) | self._provisional)

    def provisional_years(self) -> list[int]:
        """Years planned on the statutory holidays alone, until their notice is imported."""
        return sorted(self._provisional)

    @cached_property
    def _covered(self) -> frozenset[int]:
        return frozenset(self.covered_years())

    def schedule(self, year: int) -> YearSchedule:
        """The year's days off and make-up days before company closures: official, provisional or the library's."""
        if year in self.official:
            return self.official[year]
        if year in self._provisional:
            return provisional_schedule(year)
        table = holidays.China(years=year)
        days_off = frozenset(day for day in table if day.year == year)
        return YearSchedule(year, days_off, frozenset(day for day in table.weekend_workdays if day.year == year))

    @cached_property
    def _year_tables(self) -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
        """Per year: days off that fall on weekdays, and weekend days that are working days."""
        tables: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = {}
        for year in self.covered_years():
            schedule = self.schedule(year)
            days_off, makeup = set(schedule.days_off), set(schedule.working_days)
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


def _config_file() -> str | None:
    from lms.config import config_path

    path = config_path()
    return str(path) if path.exists() else None


def provisional_years(calendar: WorkdayCalendar) -> frozenset[int]:
    """Years a calendar only estimates (a plugin calendar without ``provisional_years`` has none)."""
    years = getattr(calendar, "provisional_years", None)
    return frozenset(years()) if callable(years) else frozenset()


def provisional_mark() -> str:
    """The words every date resting on a provisional year carries (「日历为暂定」)."""
    return _("provisional calendar")


def depends_on_provisional(calendar: WorkdayCalendar, first: dt.date | None, last: dt.date | None = None) -> bool:
    """Whether dates from ``first`` to ``last`` (or counted across them) rest on a provisional year."""
    if first is None:
        return False
    estimated = provisional_years(calendar)
    last = last or first
    return any(year in estimated for year in range(min(first, last).year, max(first, last).year + 1))


def coverage_error(calendar: WorkdayCalendar, day: dt.date) -> CalendarCoverageError:
    years = calendar.covered_years()
    span = f"{years[0]}–{years[-1]}" if years else "-"
    return CalendarCoverageError(
        _(
            "{day} is outside the working-day calendar {code} (it covers {span}); import that year's holiday "
            "notice: lms calendar import-notice FILE"
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


PROVISIONAL_YEARS_AHEAD = 2  # this year and the next two can be planned before their notices


@cache
def china_calendar(
    config_json: str, notices: tuple[YearSchedule, ...] = (), provisional_through: int = 0
) -> ChinaCalendar:
    """One calendar per configuration and set of notices: building the year tables takes ~17 ms, and screens ask
    for it often."""
    config = CalendarConfig.model_validate_json(config_json)
    return ChinaCalendar(config, {notice.year: notice for notice in notices}, provisional_through)


def calendars(
    pm: object | None = None,
    config: CalendarConfig | None = None,
    notices: Mapping[str, Mapping[int, YearSchedule]] | None = None,
    provisional_through: int = 0,
) -> dict[str, WorkdayCalendar]:
    """Every calendar known, from the ``lms_workday_calendars`` hook (the built-in China calendar is its fallback,
    answered directly when there is no plugin manager). Plugins override the fallback by code."""
    arguments = {
        "config": config or CalendarConfig(),
        "notices": dict(notices or {}),
        "provisional_through": provisional_through,
    }
    if pm is None:
        return builtin_calendars(**arguments)  # type: ignore[arg-type]
    known: dict[str, WorkdayCalendar] = {}
    for contributed in reversed(pm.hook.lms_workday_calendars(**arguments)):  # type: ignore[attr-defined]
        known.update(contributed)
    return known


def builtin_calendars(
    config: CalendarConfig, notices: Mapping[str, Mapping[int, YearSchedule]], provisional_through: int
) -> dict[str, WorkdayCalendar]:
    """The core's own calendar: China, with its imported notices."""
    china = tuple(sorted(notices.get("CN", {}).values(), key=lambda notice: notice.year))
    return {"CN": china_calendar(config.model_dump_json(), china, provisional_through)}


def get_calendar(
    code: str | None = None,
    pm: object | None = None,
    config: CalendarConfig | None = None,
    *,
    session: Session | None = None,
    pending: YearSchedule | None = None,
    today: dt.date | None = None,
) -> WorkdayCalendar:
    """The calendar by code (the configured country by default). With a database ``session`` the imported notices
    count, and a ``pending`` notice (not stored yet) on top; this year (``today``'s, the working today by default) and
    the next ``PROVISIONAL_YEARS_AHEAD`` are covered, provisionally where no notice is known."""
    from lms.calendars.dates import working_today
    from lms.calendars.notice_store import imported_notices
    from lms.config import settings

    config = config or settings().calendar
    code = (code or config.country).upper()
    notices = imported_notices(session) if session is not None else {}
    if pending is not None:
        notices.setdefault(code, {})[pending.year] = pending
    known = calendars(pm, config, notices, (today or working_today()).year + PROVISIONAL_YEARS_AHEAD)
    if code not in known:
        raise LmsError(
            _("unknown working-day calendar {code} (known: {known})").format(code=code, known=", ".join(known))
        )
    return known[code]
