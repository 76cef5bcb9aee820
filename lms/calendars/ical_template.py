"""Fast serialisation of session events into the same bytes icalendar writes (``export-ics`` over 10,000 sessions).

icalendar builds a property object per value and folds every line character by character; for a calendar of many
similar events that costs more than twice a plain ``Event.new``. Here the calendar frame (VCALENDAR properties,
VTIMEZONE, ORGANIZER) is still built by icalendar, once per file, and each VEVENT is written from a template in
icalendar's property order, escaping and folding. The first event of every file is also built by icalendar and the
two are compared: on any difference (a new icalendar release, an unusual time zone) the whole file falls back to
icalendar. Events of an unusual shape (no location, no status) always go through icalendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from lms.calendars.ical_build import (
    _as_utc,
    _local,
    build_calendar,
    build_event,
    event_description,
    event_location,
    event_summary,
    organizer_address,
)
from lms.calendars.ical_events import ICS_STATUS, SessionEvent, site_timezone

FOLD_LIMIT = 75  # octets, as icalendar counts them (a line is folded before it reaches the limit)


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping, in icalendar's order."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> str:
    """Fold a content line the way icalendar does (never after a lone backslash or caret)."""
    if len(line) < FOLD_LIMIT // 4 or len(line.encode()) < FOLD_LIMIT:
        return line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = 1 if char < "\x80" else len(char.encode())
        if current and count + size >= FOLD_LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, count = [carried], 1
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    folded.append("".join(current))
    return "\r\n ".join(folded)


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


class EventTemplate:
    """Writes one VEVENT per session for one file (same time zone, stamp, organizer and invitation mode)."""

    def __init__(self, *, tz_name: str, tz: ZoneInfo, stamp: dt.datetime, organizer: Any, invite: bool) -> None:
        self.tz, self.stamp, self.organizer, self.invite = tz, stamp, organizer, invite
        self.local_prefix = f";TZID={tz_name}:"
        self.stamp_line = f"DTSTAMP:{_stamp(stamp)}"
        self.organizer_line = self._property_line("ORGANIZER", organizer) if organizer is not None else None
        self.attendee_lines: dict[tuple[str, str], str] = {}

    @staticmethod
    def _property_line(name: str, value: Any) -> str:
        from icalendar import Event

        line: bytes = Event().content_line(name, value).to_ical()
        return line.decode()

    def _attendees(self, event: SessionEvent) -> list[str]:
        from icalendar import vCalAddress

        seen: set[str] = set()
        lines = []
        for trainer in event.trainers:
            if trainer.email and trainer.email.lower() not in seen:
                seen.add(trainer.email.lower())
                key = (trainer.email, trainer.name)
                if key not in self.attendee_lines:
                    address = vCalAddress.new(
                        trainer.email, cn=trainer.name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True
                    )
                    self.attendee_lines[key] = self._property_line("ATTENDEE", address)
                lines.append(self.attendee_lines[key])
        return lines

    def fits(self, event: SessionEvent) -> bool:
        """Whether the template writes this event (the others go through icalendar)."""
        return bool(event_location(event)) and event.status in ICS_STATUS

    def vevent(self, event: SessionEvent) -> str:
        first = event.days[0]
        start = _local(first.day, first.start, self.tz)
        end = _local(first.day, first.end, self.tz)
        if end <= start:  # as build_event: RFC 5545 wants DTEND after DTSTART
            end = start + dt.timedelta(hours=1)
        local = self.local_prefix
        lines = [
            "BEGIN:VEVENT",
            fold("SUMMARY:" + escape_text(event_summary(event))),
            f"DTSTART{local}{start:%Y%m%dT%H%M%S}",
            f"DTEND{local}{end:%Y%m%dT%H%M%S}",
            self.stamp_line,
            fold("UID:" + escape_text(event.uid)),
            f"SEQUENCE:{event.sequence}",
        ]
        if len(event.days) > 1:
            later = ",".join(f"{day.day:%Y%m%d}T{day.start:%H%M%S}" for day in event.days[1:])
            lines.append(fold(f"RDATE{local}{later}"))
        if self.invite:
            lines.extend(self._attendees(event))
        lines.append(fold("DESCRIPTION:" + escape_text(event_description(event))))
        lines.append(f"LAST-MODIFIED:{_stamp(_as_utc(event.updated_at))}")
        lines.append(fold("LOCATION:" + escape_text(event_location(event))))
        if self.organizer_line is not None:
            lines.append(self.organizer_line)
        lines.append(f"STATUS:{ICS_STATUS[event.status]}")
        lines.append("END:VEVENT\r\n")
        return "\r\n".join(lines)

    def icalendar_vevent(self, event: SessionEvent) -> str:
        built: bytes = build_event(
            event, tz=self.tz, stamp=self.stamp, organizer=self.organizer, invite=self.invite
        ).to_ical()
        return built.decode()


def calendar_bytes(
    events: Sequence[SessionEvent], *, method: str, name: str, stamp: dt.datetime, calendar_uid: str | None = None
) -> bytes:
    """The bytes of ``build_calendar(...).to_ical()`` for these events, written from the template."""
    if not events:
        data: bytes = build_calendar(events, method=method, name=name, stamp=stamp, calendar_uid=calendar_uid).to_ical()
        return data
    tz_name, tz = site_timezone()
    invite = method in ("REQUEST", "CANCEL")
    template = EventTemplate(
        tz_name=tz_name, tz=tz, stamp=stamp, organizer=organizer_address(required=invite), invite=invite
    )
    sample = next((event for event in events if template.fits(event)), None)
    if sample is None or template.vevent(sample) != template.icalendar_vevent(sample):
        fallback: bytes = build_calendar(
            events, method=method, name=name, stamp=stamp, calendar_uid=calendar_uid
        ).to_ical()
        return fallback
    head, tail = _frame(events, method=method, name=name, stamp=stamp, calendar_uid=calendar_uid)
    body = "".join(
        template.vevent(event) if template.fits(event) else template.icalendar_vevent(event) for event in events
    )
    return head + body.encode() + tail


def _frame(
    events: Sequence[SessionEvent], *, method: str, name: str, stamp: dt.datetime, calendar_uid: str | None
) -> tuple[bytes, bytes]:
    """The calendar's bytes before and after its events (VCALENDAR properties, VTIMEZONE; END:VCALENDAR), from
    icalendar with one event that spans the days of all of them, so the VTIMEZONE covers the same years."""
    first = min((event.days[0] for event in events), key=lambda day: day.day)
    last = max((event.days[-1] for event in events), key=lambda day: day.day)
    data: bytes = build_calendar(
        [replace(events[0], days=(first, last))], method=method, name=name, stamp=stamp, calendar_uid=calendar_uid
    ).to_ical()
    begin = data.index(b"BEGIN:VEVENT\r\n")
    end = data.index(b"END:VEVENT\r\n") + len(b"END:VEVENT\r\n")
    return data[:begin], data[end:]
