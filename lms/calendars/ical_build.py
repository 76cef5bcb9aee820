"""Sessions as iCalendar events (RFC 5545): summary, place, description, times in the site's zone, organizer and
attendees, one calendar per file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from lms.calendars.ical_events import ICS_STATUS, PRODID, STATUS_TEXT, SessionDayTimes, SessionEvent, site_timezone
from lms.config import settings
from lms.errors import LmsError
from lms.i18n import _


def event_summary(event: SessionEvent) -> str:
    """``培训：<中文课程名> / Training: <English title> (S-XXXXX)``."""
    zh = f"培训：{event.title_zh}" if event.title_zh else "培训"
    en = f"Training: {event.title_en}" if event.title_en else "Training"
    return f"{zh} / {en} ({event.code})"


def event_location(event: SessionEvent) -> str:
    if not event.city or event.city in event.place:
        return event.place
    return f"{event.place}（{event.city}）"


def _day_times(day: SessionDayTimes) -> str:
    return f"{day.day.isoformat()} {day.start:%H:%M}–{day.end:%H:%M}"


def event_description(event: SessionEvent) -> str:
    first = event.days[0]
    same_hours = all((day.start, day.end) == (first.start, first.end) for day in event.days)
    if same_hours:
        days = ", ".join(day.day.isoformat() for day in event.days)
        hours = f"{first.start:%H:%M}–{first.end:%H:%M}"
    else:
        days = ", ".join(_day_times(day) for day in event.days)
        hours = ""
    trainers = ", ".join(f"{trainer.display} ({trainer.role})" for trainer in event.trainers) or "—"
    lines = [
        f"场次 Session: {event.code}",
        f"项目 Project: {event.project_code or '—'}",
        f"培训义务 Obligation: {event.obligation_code or '—'}",
        f"讲师 Trainers: {trainers}",
        f"状态 Status: {STATUS_TEXT.get(event.status, event.status)}",
        f"培训日期 Days: {days}",
    ]
    if hours:
        lines.append(f"时间 Hours: {hours}")
    if event.calendar_provisional and not event.cancelled:
        lines.append(
            "日历 Calendar: 日历为暂定，以国务院节假日安排通知为准 provisional calendar, until the holiday notice"
        )
    return "\n".join(lines)


def _local(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=tz)


def build_event(
    event: SessionEvent,
    *,
    tz: ZoneInfo,
    stamp: dt.datetime,
    organizer: Any = None,
    invite: bool = False,
) -> Any:
    """One VEVENT for a session (see the module docstring for multi-day sessions)."""
    from icalendar import Event, vCalAddress
    from icalendar.enums import STATUS

    first = event.days[0]
    start = _local(first.day, first.start, tz)
    end = _local(first.day, first.end, tz)
    if end <= start:  # bad hours in the database: RFC 5545 wants DTEND after DTSTART
        end = start + dt.timedelta(hours=1)
    attendees = None
    if invite:
        seen: set[str] = set()
        attendees = []
        for trainer in event.trainers:
            if trainer.email and trainer.email.lower() not in seen:
                seen.add(trainer.email.lower())
                attendees.append(
                    vCalAddress.new(
                        trainer.email, cn=trainer.name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True
                    )
                )
    vevent = Event.new(
        uid=event.uid,
        stamp=stamp,
        sequence=event.sequence,
        start=start,
        end=end,
        summary=event_summary(event),
        location=event_location(event),
        description=event_description(event),
        status=STATUS(ICS_STATUS[event.status]) if event.status in ICS_STATUS else None,
        last_modified=_as_utc(event.updated_at),
        organizer=organizer,
        attendees=attendees or None,
    )
    if len(event.days) > 1:
        vevent.add("RDATE", [_local(day.day, day.start, tz) for day in event.days[1:]])
    return vevent


def _as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite may hand back naive datetimes; they are UTC (``utc_now``)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def organizer_address(required: bool) -> Any:
    from icalendar import vCalAddress

    branding = settings().branding
    if not branding.organizer_email:
        if required:
            raise LmsError(_("invitations need an organizer e-mail address"), field="branding.organizer_email")
        return None
    return vCalAddress.new(branding.organizer_email, cn=branding.organizer_name or None)


def build_calendar(
    events: Sequence[SessionEvent],
    *,
    method: str,
    name: str,
    stamp: dt.datetime | None = None,
    calendar_uid: str | None = None,
) -> Any:
    """A VCALENDAR with METHOD ``method`` (PUBLISH, REQUEST or CANCEL) and a VTIMEZONE for the site zone."""
    from icalendar import Calendar, Timezone

    tz_name, tz = site_timezone()
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    invite = method in ("REQUEST", "CANCEL")
    organizer = organizer_address(required=invite)
    calendar = Calendar.new(prodid=PRODID, method=method, name=name, uid=calendar_uid)
    for event in events:
        calendar.add_component(build_event(event, tz=tz, stamp=stamp, organizer=organizer, invite=invite))
    # A VTIMEZONE for the years the events span (small, and valid for every DTSTART/RDATE in the file).
    if events:
        first_year = min(event.days[0].day for event in events).year
        last_year = max(event.days[-1].day for event in events).year
    else:
        first_year = last_year = stamp.astimezone(tz).year
    first_date, last_date = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    if events:
        calendar.add_missing_timezones(first_date, last_date)
    else:
        # RFC 5545 wants at least one component in a calendar: an empty export still carries the time zone.
        calendar.add_component(Timezone.from_tzid(tz_name, first_date=first_date, last_date=last_date))
    return calendar
