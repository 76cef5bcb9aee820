"""Trainers' .ics files against hostile input: whatever the bytes and the recurrence rules, ``schedule import-busy``
returns or raises one LmsError line naming the file, in bounded time (no rule expands for ever)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, func, select

from lms.calendars.ical_busy import busy_times, import_busy, read_calendar_file
from lms.errors import LmsError
from lms.models import TrainerBusy
from tests.fuzz.conftest import FUZZ, SEEDS, assert_cli_refuses, hostile, survives, write
from tests.lms.test_ical import WEEKLY

pytestmark = pytest.mark.filterwarnings("ignore:Using both 'count' and 'until':DeprecationWarning")
SHANGHAI = ZoneInfo("Asia/Shanghai")
ALL_DAY = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//t//t//EN\r
BEGIN:VTIMEZONE\r
TZID:Asia/Shanghai\r
BEGIN:STANDARD\r
DTSTART:19700101T000000\r
TZOFFSETFROM:+0800\r
TZOFFSETTO:+0800\r
TZNAME:CST\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:leave@example.com\r
DTSTAMP:20260101T000000Z\r
DTSTART;VALUE=DATE:20261201\r
DTEND;VALUE=DATE:20261203\r
SUMMARY:年假\r
STATUS:CONFIRMED\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:daily@example.com\r
DTSTAMP:20260101T000000Z\r
DTSTART;TZID=Asia/Shanghai:20261102T090000\r
DURATION:PT30M\r
RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20261130T000000Z;BYDAY=MO,WE,FR\r
RDATE;TZID=Asia/Shanghai:20261107T090000\r
SUMMARY:晨会\r
END:VEVENT\r
END:VCALENDAR\r
"""
SEEDS["ics"] = [WEEKLY.encode(), ALL_DAY.encode()]

RULE_PARTS = [
    "FREQ=HOURLY",
    "FREQ=DAILY",
    "FREQ=WEEKLY",
    "FREQ=MONTHLY",
    "FREQ=YEARLY",
    "FREQ=MINUTELY",
    "FREQ=SECONDLY",
    "INTERVAL=3",
    "COUNT=5",
    "COUNT=2147483647",
    "UNTIL=20261130T000000Z",
    "UNTIL=20270101",
    "BYDAY=MO,TU,WE,TH,FR,SA,SU",
    "BYDAY=-1FR",
    "BYMONTHDAY=31",
    "BYMONTH=2",
    "BYYEARDAY=366",
    "BYWEEKNO=53",
    "BYHOUR=" + ",".join(str(hour) for hour in range(24)),
    "BYMINUTE=0,15,30,45",
    "BYSECOND=0,30",
    "BYSETPOS=1",
    "WKST=SU",
]
BAD_RULE_PARTS = [
    "FREQ=BOGUS",
    "INTERVAL=0",
    "INTERVAL=-1",
    "INTERVAL=99999999999",
    "COUNT=0",
    "COUNT=-1",
    "UNTIL=19000101",
    "UNTIL=garbage",
    "BYDAY=99MO",
    "BYMONTHDAY=0",
    "BYMONTH=13",
    "BYSETPOS=999999",
]
STARTS = [
    "20261102T090000",
    "20261102T090000Z",
    "20261102",
    "19000101T000000",
    "00010101T000000",
    "99991231T230000",
    "20260229T000000",
    "garbage",
    "",
]
STRUCTURE = [
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nEND:VALARM",
    "BEGIN:VALARM",
    "END:VALARM",
    "BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+9999\r\n"
    "TZOFFSETTO:+0800\r\nEND:STANDARD\r\nEND:VTIMEZONE",
    "BEGIN:VTIMEZONE",
    "END:VTIMEZONE",
    "BEGIN:VTODO",
    "END:VTODO",
    "no colon at all",
    "X-\u2028:1",
]
LINES = [
    "UID:u@example.com",
    "SUMMARY:培训 \u2028 x",
    "TRANSP:TRANSPARENT",
    "STATUS:CANCELLED",
    "DURATION:PT1H",
    "DURATION:-P1D",
    "RDATE;VALUE=PERIOD:20261102T090000Z/PT1H",
    "RDATE:20261103T090000,20261104T090000",
    "EXDATE:20261104T090000",
    "RECURRENCE-ID:20261102T090000",
    "BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nEND:VALARM",
    "X-WR-CALNAME:日历",
]
BAD_LINES = [
    "VERSION:2.0",
    "UID:",
    "DURATION:P99999999W",
    "DURATION:garbage",
    "TRIGGER:-PT15M",
    "TZID:Nowhere/City",
    "TZOFFSETFROM:+9999",
    "DTSTART;TZID=Nowhere/City:20261102T090000",
    'DTSTART;TZID="unterminated:20261102T090000',
    "DTSTART;VALUE=DATE:20261102",
    "DTSTART;VALUE=PERIOD:20261102T090000/PT1H",
    "EXDATE:garbage",
    " folded continuation",
    "\tfolded with a tab",
    "DTSTART;TZID=X:20261102T090000",
    "",
]


@st.composite
def event(draw: st.DrawFn) -> str:
    lines = ["BEGIN:VEVENT", "UID:" + draw(st.sampled_from(["a", "b", ""]))]
    starts = st.one_of(st.sampled_from(STARTS[:4]), st.sampled_from(STARTS[:4]), st.sampled_from(STARTS))
    lines.append("DTSTART:" + draw(starts))
    if draw(st.booleans()):
        lines.append("DTEND:" + draw(starts))
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        frequency = draw(st.sampled_from([part for part in RULE_PARTS if part.startswith("FREQ")]))
        parts = draw(st.lists(st.sampled_from(RULE_PARTS), max_size=4))
        if draw(st.integers(0, 4)) == 0:
            parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(BAD_RULE_PARTS)))
        lines.append("RRULE:" + ";".join([frequency, *parts] if draw(st.integers(0, 9)) else parts))
    lines += draw(st.lists(st.sampled_from(LINES), max_size=4))
    if draw(st.integers(0, 4)) == 0:
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(BAD_LINES)))
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(STRUCTURE)))
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


@st.composite
def calendar_like(draw: st.DrawFn) -> bytes:
    """A calendar of generated events: recurrence rules of every kind, odd dates, broken and stray lines."""
    body = draw(st.lists(event(), max_size=6))
    if draw(st.integers(0, 9)) == 0:
        body.insert(draw(st.integers(0, len(body))), draw(st.sampled_from(STRUCTURE + BAD_LINES)))
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *body, "END:VCALENDAR", ""]).encode("utf-8")


WINDOWS = st.one_of(
    st.tuples(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)), st.integers(min_value=0, max_value=430)).map(
        lambda start: (start[0], start[0] + dt.timedelta(days=start[1]))
    ),
    st.sampled_from([(dt.date(1, 1, 1), dt.date(9999, 12, 31)), (dt.date(2026, 11, 1), dt.date(2026, 12, 31))]),
)


def import_file(engine: Any, target: str, path: Path, window: tuple[dt.date, dt.date]) -> None:
    first, last = window
    with Session(engine) as session:
        try:
            result = survives(
                target, path, lambda: import_busy(session, path=path, trainer_code="T001", first=first, last=last)
            )
            if result is None:  # refused before writing: nothing stored for the trainer from this file
                assert session.exec(select(func.count()).select_from(TrainerBusy)).one() == 0
        finally:
            session.rollback()


@FUZZ
@given(data=hostile("ics"), window=WINDOWS)
def test_any_file_imports_or_names_the_file(
    workdir: Path, fuzz_engine: Any, data: bytes, window: tuple[dt.date, dt.date]
) -> None:
    import_file(fuzz_engine, "ics (bytes)", write(workdir, "busy.ics", data), window)


@FUZZ
@given(data=calendar_like(), window=WINDOWS)
def test_any_recurrence_imports_or_names_the_file(
    workdir: Path, fuzz_engine: Any, data: bytes, window: tuple[dt.date, dt.date]
) -> None:
    import_file(fuzz_engine, "ics (recurrences)", write(workdir, "rules.ics", data), window)


def test_the_seeds_give_busy_times(tmp_path: Path) -> None:
    for number, seed in enumerate(SEEDS["ics"]):
        parsed = read_calendar_file(write(tmp_path, f"seed-{number}.ics", seed))
        found, _skipped = busy_times(parsed, first=dt.date(2026, 11, 1), last=dt.date(2026, 12, 31), tz=SHANGHAI)
        assert found


HEAD = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:u\nDTSTAMP:20260101T000000Z\n"
TAIL = "END:VEVENT\nEND:VCALENDAR\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # each of these ran for minutes (or for ever) before
        ("DTSTART:20261101T000000\nDURATION:PT1S\nRRULE:FREQ=SECONDLY\nTRANSP:TRANSPARENT\n", "repeats more than"),
        ("DTSTART:19000101T000000\nDURATION:PT1S\nRRULE:FREQ=MINUTELY\n", "repeats more than"),
        ("DTSTART:20261101T000000\nDURATION:PT1S\nRRULE:FREQ=DAILY;INTERVAL=0\n", "INTERVAL must be 1 or more"),
        ("DTSTART:20261101T000000\nRRULE:FREQ=MINUTELY\n", "more than 100000 busy times"),
        # and these raised something other than LmsError
        ("DTSTART:20261101T000000\nDURATION:P99999999W\n", "cannot expand"),
        ("DTSTART:20261101T000000\nDTEND:20261101T010000\nRRULE:FREQ=MONTHLY;BYDAY=99MO\n", "cannot expand"),
        ('DTSTART;TZID="unterminated:20261101T000000\n', "without DTSTART"),
        ("DTSTART:20261101T000000\nX\u2028Y:1\n", "content line: X Y:1"),
        ("DTSTART:20261101T000000\nRRULE:FREQ=\x0cWEEKLY;COUNT=6\n", "got: WEEKLY"),
        ("DTSTART:20261101T000000\nBEGIN:VA\x0cLARM\nEND:VALARM\n", "END:VALARM does not close BEGIN:VA LARM"),
        (
            "DTSTART:20261101T000000\nEND:VEVENT\nBEGIN:VTIMEZONE\nTZID:A\nTZID:B\nEND:VTIMEZONE\nBEGIN:VEVENT\n"
            "DTSTART:20261101T000000\n",
            "not valid iCalendar",
        ),
    ],
    ids=[
        "transparent-secondly",
        "minutely-since-1900",
        "interval-0",
        "minutely",
        "huge-duration",
        "byday-99",
        "param",
        "u2028",
        "form-feed",
        "form-feed-in-begin",
        "tzid-twice",
    ],
)
def test_what_the_fuzzing_found_stays_fixed(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "found.ics", (HEAD + body + TAIL).encode())
    with pytest.raises(LmsError, match=message) as caught:
        parsed = read_calendar_file(path)
        busy_times(parsed, first=dt.date(2026, 10, 20), last=dt.date(2027, 11, 24), tz=SHANGHAI)
    assert str(caught.value).splitlines() == [str(caught.value)] and str(path) in str(caught.value)


def test_an_hourly_rule_over_the_default_range_is_expanded_once(tmp_path: Path) -> None:
    """~9,600 occurrences: read in one pass (they took ~30 s when the range was walked in growing steps)."""
    path = write(
        tmp_path, "hourly.ics", (HEAD + "DTSTART:20260101T000000\nDURATION:PT1S\nRRULE:FREQ=HOURLY\n" + TAIL).encode()
    )
    found, skipped = busy_times(
        read_calendar_file(path), first=dt.date(2026, 10, 20), last=dt.date(2027, 11, 24), tz=SHANGHAI
    )
    assert len(found) == 24 * 401 and skipped == 0


def test_import_busy_refuses_broken_files_in_one_line(cli, fuzz_engine: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    variants = {
        "gbk.ics": ALL_DAY.encode("gbk", errors="replace"),
        "utf16.ics": ALL_DAY.encode("utf-16"),
        "truncated.ics": ALL_DAY.encode()[: len(ALL_DAY.encode()) // 2],
        "secondly.ics": (HEAD + "DTSTART:20261101T000000\nDURATION:PT1S\nRRULE:FREQ=SECONDLY\n" + TAIL).encode(),
        "interval.ics": (HEAD + "DTSTART:20261101T000000\nRRULE:FREQ=DAILY;INTERVAL=0\n" + TAIL).encode(),
        "duration.ics": (HEAD + "DTSTART:20261101T000000\nDURATION:P99999999W\n" + TAIL).encode(),
        "u2028.ics": (HEAD + "DTSTART:20261101T000000\nX\u2028Y:1\n" + TAIL).encode(),
    }
    for name, data in variants.items():
        path = write(tmp_path, name, data)
        args = ("--trainer", "T001", "--from", "2026-11-01", "--to", "2026-12-31")
        assert_cli_refuses(cli, fuzz_engine, path, "schedule", "import-busy", str(path), *args)
