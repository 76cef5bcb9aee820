"""The .ics template writes exactly the bytes icalendar writes for the same sessions (export-ics uses the template)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from icalendar.parser.string import _foldline

from lms.calendars.ical_build import build_calendar
from lms.calendars.ical_events import Invitee, SessionDayTimes, SessionEvent
from lms.calendars.ical_template import calendar_bytes, fold

STAMP = dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC)
LEAD = Invitee("陈立峰", "陈立峰 Chen Lifeng", "chen@example.com", "lead")
ASSISTANT = Invitee("王, 芳; \\助教", "王芳 Wang Fang", None, "assistant")


def day(date: dt.date, start: int = 9, end: int = 17) -> SessionDayTimes:
    return SessionDayTimes(date, dt.time(start), dt.time(end))


BASE = SessionEvent(
    uid="s-0001@lms",
    code="S-0001",
    sequence=2,
    status="confirmed",
    updated_at=dt.datetime(2026, 11, 2, 8, 15, 30, 123456),  # naive: SQLite hands back UTC without a zone
    title_zh="太阳能集中热水系统运行与维护",
    title_en="Central solar hot-water system operation; maintenance, \\ and more",
    place="杭州市上城区解放路 261 号 住院楼",
    city="杭州",
    project_code="P-HZ",
    obligation_code="OB-1",
    days=(day(dt.date(2026, 11, 24)), day(dt.date(2026, 11, 25)), day(dt.date(2026, 11, 30))),
    trainers=(LEAD, ASSISTANT),
)

EVENTS = [
    BASE,
    replace(BASE, uid="s-2;x,y@lms", code="S-0002", status="planned", days=(day(dt.date(2027, 1, 4)),)),
    replace(BASE, uid="s-3", code="S-0003", status="cancelled", trainers=(ASSISTANT,), project_code=None),
    replace(BASE, uid="s-4", code="S-0004", status="held", calendar_provisional=True, city="宁波"),
    # Other hours on a later day, and hours the wrong way round (DTEND is then an hour after DTSTART).
    replace(BASE, uid="s-5", code="S-0005", days=(day(dt.date(2026, 12, 1), 17, 9), day(dt.date(2026, 12, 2), 8, 12))),
    replace(BASE, uid="s-6", code="S-0006", place="", city=""),  # no location: written by icalendar itself
    replace(BASE, uid="s-7", code="S-0007", title_zh="很长的课程名称" * 12, title_en="Line\nbreak\r\nand\rmore"),
    replace(BASE, uid="s-8", code="S-0008", trainers=(LEAD, replace(LEAD, email="CHEN@example.com"), ASSISTANT)),
]


@pytest.mark.parametrize("method", ["PUBLISH", "REQUEST", "CANCEL"])
@pytest.mark.parametrize("events", [EVENTS, EVENTS[:1], EVENTS[5:6], []], ids=["all", "one", "no-location", "none"])
def test_template_writes_the_bytes_icalendar_writes(method: str, events: list[SessionEvent]) -> None:
    expected = build_calendar(
        events, method=method, name="培训安排 Training, sessions", stamp=STAMP, calendar_uid="c@lms"
    ).to_ical()
    ours = calendar_bytes(events, method=method, name="培训安排 Training, sessions", stamp=STAMP, calendar_uid="c@lms")
    assert ours.decode() == expected.decode()


def test_template_files_pass_three_parsers() -> None:
    data = calendar_bytes(EVENTS, method="REQUEST", name="培训安排", stamp=STAMP, calendar_uid="c@lms")
    text = data.decode()
    parsed = Calendar.from_ical(text)
    assert [str(event["UID"]) for event in parsed.walk("VEVENT")] == [event.uid for event in EVENTS]
    assert len(list(vobject.readOne(text).vevent_list)) == len(EVENTS)
    assert len(IcsCalendarStream.calendar_from_ics(text).events) == len(EVENTS)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:" + "a" * 66 + "\\,b" * 10,  # an escape that would be cut at the fold
        "DESCRIPTION:" + "培训" * 60,
        "X:" + "é" * 40 + "^" + "x" * 80,
        "SHORT:ok",
        "EXACT:" + "x" * 68,
        "EXACT:" + "x" * 69,
    ],
)
def test_fold_matches_icalendar(line: str) -> None:
    assert fold(line) == _foldline(line)
