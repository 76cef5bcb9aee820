# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Week and month calendars: one lane per trainer or room, the session days in it, and what kind of day each is
(working, weekend, public holiday, 调休 make-up working day, or outside the calendar's years)."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Session, col

from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar
from lms.models import Course, CourseVersion, Person, Room, SessionDay, SessionTrainer, TrainingSession

BUYER_SITE_LANE = "@site"


class DayKind(StrEnum):
    working = "working"
    weekend = "weekend"
    holiday = "holiday"  # a weekday off
    makeup = "makeup"  # a Saturday or Sunday worked in exchange for a holiday (调休)
    unknown = "unknown"  # a year the calendar has no data for


class Span(StrEnum):
    week = "week"
    month = "month"


class LaneKind(StrEnum):
    trainer = "trainer"
    room = "room"


def day_kind(calendar: WorkdayCalendar, day: dt.date) -> DayKind:
    try:
        working = calendar.is_working_day(day)
    except CalendarCoverageError:
        return DayKind.unknown
    weekend = day.weekday() >= 5
    if working:
        return DayKind.makeup if weekend else DayKind.working
    return DayKind.weekend if weekend else DayKind.holiday


def span_of(anchor: dt.date, span: Span) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the anchor's week, or the first to the last of its month."""
    if span == Span.week:
        monday = anchor - dt.timedelta(days=anchor.weekday())
        return monday, monday + dt.timedelta(days=6)
    last = month_calendar.monthrange(anchor.year, anchor.month)[1]
    return anchor.replace(day=1), anchor.replace(day=last)


def step(anchor: dt.date, span: Span, count: int) -> dt.date:
    """The anchor moved by ``count`` weeks or months (clamped to the month's length)."""
    if span == Span.week:
        return anchor + dt.timedelta(weeks=count)
    index = anchor.month - 1 + count
    year, month = anchor.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(anchor.day, month_calendar.monthrange(year, month)[1]))


def opening_day(session: Session, today: dt.date) -> tuple[dt.date, str | None]:
    """The day a calendar opens on, and the session it jumped to (None: it stays on today).

    Today, while its week still holds a session running today or later. Once the week's sessions are over (a
    trainer looking on Friday evening or on Sunday), the first day of the next session, so that the calendar shows
    the work ahead rather than an empty week gone by. Today again when nothing is planned.
    """
    upcoming = session.exec(
        select(TrainingSession.code, TrainingSession.first_day)
        .where(TrainingSession.last_day >= today, TrainingSession.status != "cancelled")
        .order_by(col(TrainingSession.first_day), col(TrainingSession.code))
        .limit(1)
    ).first()
    if upcoming is None:
        return today, None
    code, first_day = upcoming
    if first_day <= span_of(today, Span.week)[1]:
        return today, None
    return first_day, code


@dataclass(frozen=True)
class LaneEntry:
    """One session day in a lane: which day of how many, for drawing multi-day sessions."""

    code: str
    course: str
    status: str
    index: int
    length: int


@dataclass
class Lane:
    key: str
    label: str
    days: dict[dt.date, list[LaneEntry]] = field(default_factory=dict)


@dataclass
class CalendarView:
    first: dt.date
    last: dt.date
    span: Span
    lanes_by: LaneKind
    kinds: dict[dt.date, DayKind]
    lanes: list[Lane]

    @property
    def dates(self) -> list[dt.date]:
        return sorted(self.kinds)


def calendar_view(
    session: Session, calendar: WorkdayCalendar, *, anchor: dt.date, span: Span, lanes_by: LaneKind
) -> CalendarView:
    """The week or month around ``anchor``: every trainer (or room) as a lane, with its active and held sessions."""
    first, last = span_of(anchor, span)
    kinds = {
        first + dt.timedelta(days=n): day_kind(calendar, first + dt.timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    lanes: dict[str, Lane] = {}
    if lanes_by == LaneKind.trainer:
        for code, name in session.execute(
            select(Person.code, Person.name).where(col(Person.kind).in_(("trainer", "engineer"))).order_by(Person.code)
        ):
            lanes[code] = Lane(code, f"{code} {name}")
        lane_key = Person.code
        joined = (
            select(lane_key)
            .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
            .join(TrainingSession, col(TrainingSession.id) == SessionTrainer.session_id)
        )
    else:
        for code, name in session.execute(select(Room.code, Room.name).order_by(Room.code)):
            lanes[code] = Lane(code, f"{code} {name}")
        lanes[BUYER_SITE_LANE] = Lane(BUYER_SITE_LANE, "")
        lane_key = Room.code
        joined = select(lane_key).select_from(TrainingSession).outerjoin(Room, col(Room.id) == TrainingSession.room_id)
    # Every day of every session touching the span, so that a session's day count is right at the span's edges.
    rows = session.execute(
        joined.add_columns(
            TrainingSession.id, TrainingSession.code, TrainingSession.status, Course.code, SessionDay.day
        )
        .join(SessionDay, col(SessionDay.session_id) == TrainingSession.id)
        .join(CourseVersion, col(CourseVersion.id) == TrainingSession.course_version_id)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .where(
            TrainingSession.first_day <= last,
            TrainingSession.last_day >= first,
            TrainingSession.status != "cancelled",
        )
        .order_by(TrainingSession.first_day, TrainingSession.code, SessionDay.day)
    ).all()
    days_of: dict[int, list[dt.date]] = {}
    for _key, session_id, _code, _status, _course, day in rows:
        days_of.setdefault(session_id, [])
        if day not in days_of[session_id]:
            days_of[session_id].append(day)
    for key, session_id, code, status, course, day in rows:
        if not first <= day <= last:
            continue
        lane = lanes.setdefault(key or BUYER_SITE_LANE, Lane(key or BUYER_SITE_LANE, key or ""))
        days = days_of[session_id]
        lane.days.setdefault(day, []).append(LaneEntry(code, course, status, days.index(day) + 1, len(days)))
    return CalendarView(first, last, span, lanes_by, kinds, list(lanes.values()))
