"""Chinese working days: holidays, 调休 make-up weekends, the strictly-after rule, coverage errors, configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lms.calendars.official import statutory_holidays
from lms.calendars.workdays import CalendarCoverageError, ChinaCalendar, WorkdayTable, working_days_after
from lms.config import CalendarConfig, OfficialYear, load_settings
from lms.errors import LmsError

D = dt.date


@pytest.fixture(scope="module")
def china() -> ChinaCalendar:
    return ChinaCalendar()


def test_national_day_week_and_its_makeup_saturday(china: ChinaCalendar) -> None:
    assert not china.is_working_day(D(2026, 10, 1))  # National Day
    assert not china.is_working_day(D(2026, 10, 7))  # a weekday inside the holiday
    assert china.is_working_day(D(2026, 10, 8))  # first working day after it
    assert china.is_working_day(D(2026, 2, 28))  # Saturday, 调休 for the Spring Festival
    assert china.is_working_day(D(2026, 10, 10))  # Saturday, 调休 working day
    assert china.is_working_day(D(2026, 9, 30))
    assert not china.is_working_day(D(2026, 11, 21))  # ordinary Saturday


def test_counting_starts_strictly_after_the_date(china: ChinaCalendar) -> None:
    assert working_days_after(china, D(2026, 9, 30), 1) == D(2026, 10, 8)
    # DATE on a holiday: the first working day after it counts as one, not zero
    assert working_days_after(china, D(2026, 10, 3), 1) == D(2026, 10, 8)
    assert working_days_after(china, D(2026, 10, 3), 3) == D(2026, 10, 10)
    # DATE on a working day: that day is not counted
    assert working_days_after(china, D(2026, 11, 20), 2) == D(2026, 11, 24)


def test_negative_counts_go_backwards(china: ChinaCalendar) -> None:
    assert working_days_after(china, D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert working_days_after(china, D(2026, 10, 4), -1) == D(2026, 9, 30)
    assert working_days_after(china, D(2026, 11, 23), -1) == D(2026, 11, 20)


def test_years_outside_the_data_are_errors_not_guesses(china: ChinaCalendar) -> None:
    with pytest.raises(CalendarCoverageError, match="2027"):
        working_days_after(china, D(2026, 12, 30), 5)
    with pytest.raises(CalendarCoverageError, match="outside"):
        china.is_working_day(D(1999, 1, 4))


def test_an_administrator_can_enter_a_new_years_schedule() -> None:
    whole_year = [*statutory_holidays(2027), D(2027, 10, 4)]  # a partial year is refused (test_holiday_notices)
    config = CalendarConfig(official={2027: OfficialYear(holidays=whole_year, working_days=[D(2027, 1, 9)])})
    calendar = ChinaCalendar(config)
    assert 2027 in calendar.covered_years()
    assert not calendar.is_working_day(D(2027, 1, 1))
    assert calendar.is_working_day(D(2027, 1, 9))  # a Saturday made a working day
    assert working_days_after(calendar, D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert not calendar.is_working_day(D(2027, 10, 4))


def test_company_closures_and_extra_working_days() -> None:
    config = CalendarConfig(closures=[D(2026, 12, 31)], extra_working_days=[D(2026, 12, 26)])
    calendar = ChinaCalendar(config)
    assert not calendar.is_working_day(D(2026, 12, 31))
    assert calendar.is_working_day(D(2026, 12, 26))


def test_configuration_file_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("calendar:\n  official:\n    2027:\n      holidays: [2027-13-01]\n", encoding="utf-8")
    with pytest.raises(LmsError) as caught:
        load_settings(path)
    assert f"{path}:4" in str(caught.value)


def test_the_table_agrees_with_day_by_day_counting(china: ChinaCalendar) -> None:
    table = WorkdayTable(china)
    start = D(2025, 12, 20)
    for count in (-40, -3, -1, 1, 2, 5, 17, 60, 200):
        assert table.add(start, count) == working_days_after(china, start, count)
    assert table.count_between(D(2026, 10, 1), D(2026, 10, 10)) == 3  # 10-8, 10-9 and the 调休 Saturday 10-10
    with pytest.raises(CalendarCoverageError):
        table.add(D(2026, 12, 30), 5)


def test_cli_workdays(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("calendar", "workdays", "2026-09-30", "3").out.strip() == "2026-10-10"
    assert cli("calendar", "workdays", "2026-10-08", "-1").out.strip() == "2026-09-30"
    bad = cli("calendar", "workdays", "2026-02-30", "1")
    assert bad.code == 1 and "not a date" in bad.err
    outside = cli("calendar", "workdays", "2041-03-01", "1")  # beyond the provisional years too
    assert outside.code == 1 and "2041-03-01 is outside" in outside.err


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

COVERED_DAYS = st.dates(min_value=D(2005, 3, 1), max_value=D(2026, 9, 30))
COUNTS = st.integers(min_value=-40, max_value=40)
CHINA = ChinaCalendar()


@settings(max_examples=300, deadline=None)
@given(COVERED_DAYS, COUNTS)
def test_result_is_a_working_day_and_adding_then_subtracting_returns(start: dt.date, count: int) -> None:
    result = working_days_after(CHINA, start, count)
    if count == 0:
        assert result == start
        return
    assert CHINA.is_working_day(result)
    back = working_days_after(CHINA, result, -count)
    if CHINA.is_working_day(start):
        assert back == start
    else:  # from a day off, the way back lands on the working day next to it in the direction of travel
        assert CHINA.is_working_day(back) and abs((back - start).days) < 15


@settings(max_examples=200, deadline=None)
@given(COVERED_DAYS, st.integers(min_value=0, max_value=39))
def test_more_working_days_is_later(start: dt.date, count: int) -> None:
    assert working_days_after(CHINA, start, count + 1) > working_days_after(CHINA, start, count)
