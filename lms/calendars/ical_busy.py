"""Trainers' own calendars in: a .ics file expanded (RRULE/RDATE/EXDATE and moved instances, via
``recurring-ical-events``) into :class:`~lms.models.TrainerBusy` rows; importing the same file again replaces the rows
it gave before. The auto-scheduler keeps sessions off those times."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from lms.calendars.dates import working_today
from lms.calendars.ical_events import (
    DEFAULT_FUTURE_DAYS,
    DEFAULT_PAST_DAYS,
    MAX_BUSY_OCCURRENCES,
    TIME_PROPERTIES,
    site_timezone,
)
from lms.errors import LmsError
from lms.files.limits import CALENDARS
from lms.files.textfiles import decode_utf8, read_bytes
from lms.i18n import _
from lms.models import (
    TrainerBusy,
    TrainingSession,
)
from lms.models.lookup import person_by_code


@dataclass(frozen=True)
class BusyTime:
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC
    summary: str
    source_uid: str | None


@dataclass
class ParsedCalendar:
    path: Path
    calendars: list[Any]
    lines: list[str]
    #: (first line, last line) of each VEVENT, in document order (the order of ``walk("VEVENT")``).
    event_spans: list[tuple[int, int]]

    def property_line(self, event_index: int, name: str) -> int | None:
        if event_index >= len(self.event_spans):
            return None
        first, last = self.event_spans[event_index]
        pattern = re.compile(rf"^{re.escape(name)}[;:]", re.IGNORECASE)
        for number in range(first, last + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return first


@dataclass
class BusyImportResult:
    trainer_code: str
    source: str
    added: int
    replaced: int
    skipped_own_sessions: int
    skipped_free: int
    first: dt.date
    last: dt.date


_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:]")
# RFC 5545 expands a rule from its DTSTART, so a rule from long ago (or repeating every second) costs time before the
# chosen range even starts: refuse files that would expand to more occurrences than this, counted from DTSTART.
MAX_EXPANDED_OCCURRENCES = 1_000_000
_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}
_DAYS_PER_PERIOD = {"WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _scan_structure(text: str, path: Path) -> tuple[list[str], list[tuple[int, int]]]:
    """Check that the text is iCalendar (content lines, balanced BEGIN/END) and find where each VEVENT is.

    Errors name the line, which the icalendar parser cannot do.
    """
    lines = _LINE_BREAK.split(text)
    stack: list[tuple[str, int]] = []
    spans: list[tuple[int, int]] = []
    seen_calendar = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line[0] in " \t":  # folded continuation of the previous line
            if not stack:
                raise LmsError(_("not an iCalendar file"), file=path, line=number)
            continue
        if not _CONTENT_LINE.match(line):
            if not seen_calendar:
                raise LmsError(_("not an iCalendar file (it must begin with BEGIN:VCALENDAR)"), file=path, line=number)
            shown = " ".join(line[:60].split())  # a line may hold U+2028 and the like; errors are one line
            raise LmsError(_("not an iCalendar content line: {text}").format(text=shown), file=path, line=number)
        name, _sep, value = line.partition(":")
        keyword = name.split(";", 1)[0].upper()
        value = " ".join(value.split()).upper()  # one line in messages, whatever whitespace the file holds
        if not stack:
            if keyword != "BEGIN" or value != "VCALENDAR":
                raise LmsError(_("not an iCalendar file (it must begin with BEGIN:VCALENDAR)"), file=path, line=number)
            seen_calendar = True
        if keyword == "BEGIN":
            stack.append((value, number))
        elif keyword == "END":
            if not stack or stack[-1][0] != value:
                open_name = stack[-1][0] if stack else "—"
                raise LmsError(
                    _("END:{end} does not close BEGIN:{begin}").format(end=value, begin=open_name),
                    file=path,
                    line=number,
                )
            begun, begin_line = stack.pop()
            if begun == "VEVENT":
                spans.append((begin_line, number))
    if not seen_calendar:
        raise LmsError(_("not an iCalendar file (it is empty)"), file=path, line=1)
    if stack:
        begun, begin_line = stack[-1]
        raise LmsError(_("BEGIN:{name} is never closed").format(name=begun), file=path, line=begin_line)
    spans.sort()
    return lines, spans


def read_calendar_file(path: Path) -> ParsedCalendar:
    """Read and parse an .ics file: UTF-8 only; anything else is an ``LmsError`` naming the file (and line)."""
    from icalendar import Calendar

    text = decode_utf8(read_bytes(path, limit=CALENDARS), path)
    lines, spans = _scan_structure(text, path)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as error:  # ValueError mostly; a TZID given twice is an AttributeError inside the library
        message = (str(error).splitlines() or [error.__class__.__name__])[0]
        raise LmsError(_("not valid iCalendar: {reason}").format(reason=message), file=path) from None
    parsed = ParsedCalendar(path=path, calendars=list(calendars), lines=lines, event_spans=spans)
    index = 0
    for calendar in parsed.calendars:
        for event in calendar.walk("VEVENT"):
            for name, reason in getattr(event, "errors", []):
                if (name or "").upper() in TIME_PROPERTIES:
                    shown = " ".join(str(reason).split())  # it quotes the value, which may hold a form feed
                    raise LmsError(f"{name.upper()}: {shown}", file=path, line=parsed.property_line(index, name))
            if "DTSTART" not in event:
                raise LmsError(_("an event without DTSTART"), file=path, line=parsed.property_line(index, "BEGIN"))
            index += 1
    return parsed


def _to_utc(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Dates are local midnight, floating times are local time (site time zone)."""
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=tz) if value.tzinfo is None else value).astimezone(dt.UTC)
    return dt.datetime.combine(value, dt.time(0), tzinfo=tz).astimezone(dt.UTC)


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def busy_times(
    parsed: ParsedCalendar,
    *,
    first: dt.date,
    last: dt.date,
    tz: ZoneInfo,
    ignore_uids: Iterable[str] = (),
) -> tuple[list[BusyTime], int]:
    """Every busy occurrence that overlaps ``first``..``last`` (both days included, site time zone).

    Skipped: TRANSP:TRANSPARENT ("free") and STATUS:CANCELLED events, zero-length events, and events whose UID is
    in ``ignore_uids``. Returns the busy times and how many free/cancelled/empty occurrences were skipped.
    """
    import recurring_ical_events

    ignored = set(ignore_uids)
    margin = dt.timedelta(days=7)  # nothing happens near year 1 or 9999, and the margins below cannot overflow
    first, last = max(first, dt.date.min + margin), min(last, dt.date.max - margin)
    window_start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    window_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    _check_expansion(parsed, first=first, last=last)
    # Floating times and all-day dates compare in the library's own way; a margin each side, then our exact test.
    query_start, query_end = window_start - dt.timedelta(days=2), window_end + dt.timedelta(days=2)
    found: list[BusyTime] = []
    skipped = 0
    for calendar in parsed.calendars:
        try:
            occurrences = recurring_ical_events.of(calendar).between(query_start, query_end)
        except Exception as error:  # the library trips over a hostile file in many ways: say so, naming the file
            raise _expansion_error(parsed, error) from None
        try:
            for occurrence in occurrences:
                start, end = occurrence.start, occurrence.end
                starts_at, ends_at = _to_utc(start, tz), _to_utc(end, tz)
                if starts_at >= window_end or ends_at <= window_start:
                    continue
                uid = _text(occurrence.get("UID")) or None
                if uid in ignored:
                    continue
                transparent = _text(occurrence.get("TRANSP")).upper() == "TRANSPARENT"
                cancelled = _text(occurrence.get("STATUS")).upper() == "CANCELLED"
                if transparent or cancelled or ends_at <= starts_at:
                    skipped += 1
                    continue
                recurrence = occurrence.get("RECURRENCE-ID")
                source_uid = uid
                if uid and recurrence is not None:
                    source_uid = f"{uid}/{_to_utc(recurrence.dt, tz):%Y%m%dT%H%M%SZ}"
                found.append(
                    BusyTime(
                        starts_at=starts_at,
                        ends_at=ends_at,
                        summary=_text(occurrence.get("SUMMARY"))[:300],
                        source_uid=source_uid[:300] if source_uid else None,
                    )
                )
                if len(found) > MAX_BUSY_OCCURRENCES:
                    raise LmsError(
                        _("more than {limit} busy times in the chosen range: choose a shorter --from/--to").format(
                            limit=MAX_BUSY_OCCURRENCES
                        ),
                        file=parsed.path,
                    )
        except LmsError:
            raise
        except (ValueError, KeyError, TypeError, IndexError, OverflowError) as error:
            raise _expansion_error(parsed, error) from None
    found.sort(key=lambda busy: (busy.starts_at, busy.ends_at, busy.source_uid or ""))
    return found, skipped


def _expansion_error(parsed: ParsedCalendar, error: Exception) -> LmsError:
    reason = (str(error).splitlines() or [error.__class__.__name__])[0]
    return LmsError(_("cannot expand the recurring events: {reason}").format(reason=reason), file=parsed.path)


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _first_start(event: Any) -> dt.date | None:
    """The day of the event's (earliest) DTSTART, however odd the file: DTSTART twice, or a PERIOD."""
    values = event.get("DTSTART")
    days = []
    for value in values if isinstance(values, list) else [values]:
        start = getattr(value, "dt", value)
        start = start[0] if isinstance(start, tuple) else start
        if isinstance(start, dt.date):
            days.append(_day(start))
    return min(days, default=None)


def _occurrence_bound(event: Any, begin: dt.date, end: dt.date) -> tuple[int, str | None]:
    """At most how many occurrences the event has from ``begin`` to ``end`` (both included), counting every
    candidate its RRULEs can make; and the problem that stops it being expanded at all (INTERVAL below 1 loops)."""
    bound = 1
    rdates = event.get("RDATE", [])
    for item in rdates if isinstance(rdates, list) else [rdates]:
        bound += len(getattr(item, "dts", []))
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        if freq not in _FREQ_SECONDS:
            continue  # the expansion refuses it with the library's own reason
        interval = int((rule.get("INTERVAL") or [1])[0])
        if interval < 1:
            return bound, _("RRULE INTERVAL must be 1 or more")
        until = (rule.get("UNTIL") or [None])[0]
        last = min(end, _day(until)) if isinstance(until, dt.date) else end
        periods = max(0, ((last - begin).days + 1) * 86400 // (_FREQ_SECONDS[freq] * interval) + 1)
        per_period = _DAYS_PER_PERIOD.get(freq, 1) if any(rule.get(part) for part in _DAY_PARTS) else 1
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_period *= max(1, len(rule.get(part) or []))
        count = (rule.get("COUNT") or [None])[0]
        rule_bound = periods * per_period
        bound += min(rule_bound, int(count)) if isinstance(count, int) and count > 0 else rule_bound
    return bound, None


def _check_expansion(parsed: ParsedCalendar, *, first: dt.date, last: dt.date) -> None:
    """Refuse, before expanding, a file whose rules would make too many occurrences (from DTSTART, or in the range)."""
    from_start = in_range = 0
    index = 0
    for calendar in parsed.calendars:
        for event in calendar.walk("VEVENT"):
            start = _first_start(event)
            if start is None:
                index += 1
                continue  # the expansion refuses it with the library's own reason
            end = last + dt.timedelta(days=3)
            bound, problem = _occurrence_bound(event, start, end)
            line = parsed.property_line(index, "RRULE")
            if problem:
                raise LmsError(problem, file=parsed.path, line=line)
            from_start += bound
            in_range += _occurrence_bound(event, max(start, first - dt.timedelta(days=3)), end)[0]
            if from_start > MAX_EXPANDED_OCCURRENCES:
                message = _("RRULE repeats more than {limit} times from DTSTART {start} to {last}; refusing").format(
                    limit=MAX_EXPANDED_OCCURRENCES, start=start.isoformat(), last=last.isoformat()
                )
                raise LmsError(message, file=parsed.path, line=line)
            if in_range > MAX_BUSY_OCCURRENCES:
                raise LmsError(
                    _("more than {limit} busy times in the chosen range: choose a shorter --from/--to").format(
                        limit=MAX_BUSY_OCCURRENCES
                    ),
                    file=parsed.path,
                    line=line,
                )
            index += 1


def busy_source(path: Path) -> str:
    """What ``TrainerBusy.source`` records for a file: its absolute path (the tail, if very long)."""
    source = str(path.expanduser().resolve())
    return source if len(source) <= 300 else "…" + source[-299:]


def _own_session_uids(session: Session, uids: set[str]) -> set[str]:
    found: set[str] = set()
    pending = sorted(uids)
    for start in range(0, len(pending), 500):
        chunk = pending[start : start + 500]
        found.update(session.exec(select(TrainingSession.uid).where(col(TrainingSession.uid).in_(chunk))))
    return found


def import_busy(
    session: Session,
    *,
    path: Path,
    trainer_code: str,
    first: dt.date | None = None,
    last: dt.date | None = None,
    today: dt.date | None = None,
) -> BusyImportResult:
    """Replace ``trainer_code``'s busy times that came from ``path`` with the file's events between ``first`` and
    ``last`` (default: today − 30 days to today + 400 days). Training sessions of ours found in the file (our own
    export, re-imported into the trainer's calendar) are not busy time. Nothing changes when the file is bad."""
    person = person_by_code(session, trainer_code, field="--trainer")
    _tz_name, tz = site_timezone()
    today = today or working_today()
    first = first or today - dt.timedelta(days=DEFAULT_PAST_DAYS)
    last = last or today + dt.timedelta(days=DEFAULT_FUTURE_DAYS)
    if last < first:
        raise LmsError(_("the last day comes before --from {first}").format(first=first.isoformat()), field="--to")

    parsed = read_calendar_file(path)
    uids = {
        _text(event.get("UID")) for calendar in parsed.calendars for event in calendar.walk("VEVENT") if "UID" in event
    }
    own = _own_session_uids(session, uids)
    found, skipped_free = busy_times(parsed, first=first, last=last, tz=tz, ignore_uids=own)
    source = busy_source(path)

    replaced = session.exec(
        delete(TrainerBusy).where(col(TrainerBusy.person_id) == person.id, col(TrainerBusy.source) == source)
    ).rowcount
    if found:
        session.exec(
            insert(TrainerBusy),
            params=[
                {
                    "person_id": person.id,
                    "starts_at": busy.starts_at,
                    "ends_at": busy.ends_at,
                    "summary": busy.summary,
                    "source": source,
                    "source_uid": busy.source_uid,
                }
                for busy in found
            ],
        )
    session.flush()
    return BusyImportResult(
        trainer_code=trainer_code,
        source=source,
        added=len(found),
        replaced=replaced or 0,
        skipped_own_sessions=len(own),
        skipped_free=skipped_free,
        first=first,
        last=last,
    )
