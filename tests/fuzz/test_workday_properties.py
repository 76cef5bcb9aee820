"""Working-day arithmetic as properties, for both implementations (day by day, ``working_days_after``, and the
bisecting ``WorkdayTable.add``) and the command line.

The rule (lms/calendars/workdays.py): "N working days after DATE" counts working days strictly after DATE, whatever DATE
itself is; N < 0 counts strictly before; N = 0 is DATE itself, working day or not. A date in a year the calendar has
no data for is an error (``CalendarCoverageError``), never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lms.calendars.official import statutory_holidays
from lms.calendars.workdays import (
    CalendarCoverageError,
    ChinaCalendar,
    WorkdayCalendar,
    WorkdayTable,
    library_china_years,
    working_days_after,
)
from lms.config import CalendarConfig, OfficialYear
from tests.fuzz.conftest import FUZZ, TRIED

D = dt.date
CHINA = ChinaCalendar()
TABLE = WorkdayTable(CHINA)
YEARS = library_china_years()
FIRST, LAST = D(YEARS[0], 1, 1), D(YEARS[-1], 12, 31)
COVERED = st.dates(min_value=FIRST, max_value=LAST)
# Mostly days off around the Spring Festival and National Day (where 调休 moves weekends), and the edges of coverage.
AWKWARD = st.sampled_from(
    [D(2026, 2, 14), D(2026, 2, 15), D(2026, 2, 28), D(2026, 10, 1), D(2026, 10, 7), D(2026, 10, 10), FIRST, LAST]
)
STARTS = st.one_of(COVERED, AWKWARD)
COUNTS = st.one_of(st.integers(min_value=-60, max_value=60), st.integers(min_value=-7000, max_value=7000))

Add = Callable[[dt.date, int], dt.date]
IMPLEMENTATIONS: dict[str, Add] = {
    "day by day": lambda start, count: working_days_after(CHINA, start, count),
    "table": TABLE.add,
}


def add_or_none(add: Add, start: dt.date, count: int) -> dt.date | None:
    """The result, or None when it lies beyond the covered years (the coverage error, checked to be one)."""
    try:
        return add(start, count)
    except CalendarCoverageError:
        return None


def oracle(calendar: WorkdayCalendar, start: dt.date, count: int) -> dt.date | None:
    """Counting by hand: step one day at a time, count working days; None where the calendar has no data."""
    step, day, remaining = (1 if count > 0 else -1), start, abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if day.year not in calendar.covered_years():
            return None
        remaining -= calendar.is_working_day(day)
    return day


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
@FUZZ
@given(start=STARTS, count=COUNTS)
def test_both_agree_with_counting_by_hand(name: str, start: dt.date, count: int) -> None:
    TRIED[f"workdays oracle ({name})"] += 1
    assert add_or_none(IMPLEMENTATIONS[name], start, count) == oracle(CHINA, start, count)


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
@FUZZ
@given(start=STARTS, count=st.integers(min_value=1, max_value=300), backwards=st.booleans())
def test_there_and_back(name: str, start: dt.date, count: int, backwards: bool) -> None:
    """From a working day, N then -N returns to it. From a day off, the way back stops at the working day on the
    near side of it: strictly-after counting skips the day off itself."""
    TRIED[f"workdays round trip ({name})"] += 1
    add = IMPLEMENTATIONS[name]
    count = -count if backwards else count
    there = add_or_none(add, start, count)
    assume(there is not None)
    assert there is not None
    back = add_or_none(add, there, -count)
    if CHINA.is_working_day(start):
        assert back == start
    else:
        assert back == add_or_none(add, start, -1 if count > 0 else 1)


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
@FUZZ
@given(start=STARTS, count=st.integers(min_value=1, max_value=400), backwards=st.booleans())
def test_the_result_is_a_working_day_exactly_n_working_days_away(
    name: str, start: dt.date, count: int, backwards: bool
) -> None:
    TRIED[f"workdays result ({name})"] += 1
    result = add_or_none(IMPLEMENTATIONS[name], start, -count if backwards else count)
    assume(result is not None)
    assert result is not None
    assert CHINA.is_working_day(result)
    if backwards:
        assert result < start and TABLE.count_between(result, start - dt.timedelta(days=1)) == count
    else:
        assert result > start and TABLE.count_between(start + dt.timedelta(days=1), result) == count


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
@FUZZ
@given(start=STARTS, counts=st.lists(st.integers(min_value=-120, max_value=120), min_size=2, max_size=6, unique=True))
def test_more_working_days_is_strictly_later(name: str, start: dt.date, counts: list[int]) -> None:
    """Monotone in N over all integers, through 0 (DATE itself) and the days off next to it."""
    TRIED[f"workdays monotone ({name})"] += 1
    results = [(count, add_or_none(IMPLEMENTATIONS[name], start, count)) for count in sorted(counts)]
    known = [(count, day) for count, day in results if day is not None]
    assert all(earlier[1] < later[1] for earlier, later in zip(known, known[1:], strict=False))


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
@FUZZ
@given(start=STARTS)
def test_adding_zero_is_the_date_itself_even_a_day_off(name: str, start: dt.date) -> None:
    TRIED[f"workdays zero ({name})"] += 1
    assert IMPLEMENTATIONS[name](start, 0) == start


OUTSIDE = st.one_of(
    st.dates(max_value=FIRST - dt.timedelta(days=1)),
    st.dates(min_value=LAST + dt.timedelta(days=1)),
)


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
@FUZZ
@given(start=OUTSIDE, count=st.one_of(st.integers(-400, 400), st.sampled_from([0, 10**12, -(10**12)])))
def test_a_date_outside_the_covered_years_is_an_error_never_an_answer(name: str, start: dt.date, count: int) -> None:
    TRIED[f"workdays outside ({name})"] += 1
    with pytest.raises(CalendarCoverageError, match=start.isoformat()):
        IMPLEMENTATIONS[name](start, count)


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
@FUZZ
@given(start=STARTS, count=st.sampled_from([10**6, -(10**6), 10**18, -(10**18)]))
def test_running_off_the_covered_years_is_an_error(name: str, start: dt.date, count: int) -> None:
    TRIED[f"workdays run off ({name})"] += 1
    with pytest.raises(CalendarCoverageError, match=str(LAST.year + 1) if count > 0 else str(FIRST.year - 1)):
        IMPLEMENTATIONS[name](start, count)


# An administrator adds 2028's schedule but not 2027's: counting across the gap must stop at 2027, not skip it.
GAPPED = ChinaCalendar(
    CalendarConfig(official={2028: OfficialYear(holidays=[*statutory_holidays(2028), D(2028, 1, 3)], working_days=[])})
)
GAPPED_TABLE = WorkdayTable(GAPPED)


@FUZZ
@given(start=st.one_of(st.dates(D(2026, 11, 1), D(2026, 12, 31)), st.dates(D(2028, 1, 1), D(2028, 2, 28))))
def test_a_missing_year_between_covered_ones_is_an_error_not_a_jump(start: dt.date) -> None:
    TRIED["workdays gap (both)"] += 1
    count = 300 if start.year == 2026 else -300
    for add in (lambda day, n: working_days_after(GAPPED, day, n), GAPPED_TABLE.add):
        with pytest.raises(CalendarCoverageError, match="2027"):
            add(start, count)
    assert add_or_none(GAPPED_TABLE.add, start, 1 if count > 0 else -1) == oracle(GAPPED, start, 1 if count > 0 else -1)


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (("2026-10-03", "0"), "2026-10-03"),  # a holiday, N = 0: the date itself
        (("2026-10-03", "1"), "2026-10-08"),
        (("2026-10-08", "-1"), "2026-09-30"),
    ],
)
def test_the_command_line_follows_the_same_rule(cli, args: tuple[str, str], out: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("calendar", "workdays", *args)
    assert (result.code, result.out.strip()) == (0, out)


@pytest.mark.parametrize(
    "args",
    [("2026-12-30", "99999999999999999999"), ("2001-01-02", "-5"), ("1999-06-01", "0"), ("9999-12-31", "1")],
)
def test_the_command_line_refuses_with_one_line(cli, args: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    result = cli("calendar", "workdays", *args)
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    # A year nobody plans in (9999) is refused as typed, before the calendar is asked.
    assert "outside the working-day calendar" in result.err or "check the year" in result.err
