"""iCalendar files: training sessions out (``export-ics``); trainers' own busy times come in through
lms.calendars.ical_busy.

Export: one VEVENT per :class:`~lms.models.TrainingSession`. UID is ``TrainingSession.uid`` (stable), SEQUENCE is
``TrainingSession.sequence`` (the services in :mod:`lms.scheduling.sessions` bump it on every change), DTSTAMP is the
time of
the export (UTC) and LAST-MODIFIED is ``updated_at``. A multi-day session is *one* event: DTSTART/DTEND are the first
day's hours in the site time zone and every further day is an RDATE with the same TZID (days need not be
consecutive: weekends and holidays are skipped). DESCRIPTION lists the days too, for clients that ignore RDATE.

Known limitation: an RDATE instance has the duration of the first day (RFC 5545 §3.8.5.2 gives RDATE DATE-TIME
instances the master's duration). When a later day has other hours, its RDATE carries that day's own start time,
but its end is start + the first day's length; the DESCRIPTION gives every day's real hours. RDATE;VALUE=PERIOD would
carry each end, but few clients read it, so it is not used.

iTIP (RFC 5546) allows one METHOD per calendar object: ``publish`` writes every selected session (cancelled ones with
STATUS:CANCELLED); ``request`` writes invitations (ORGANIZER + one ATTENDEE per trainer with an e-mail address) and
puts cancelled sessions into a second calendar with METHOD:CANCEL (see :func:`plan_export`).

The text inside the files (summaries, descriptions) is bilingual, Chinese first, whatever the UI language: the same
file goes to trainers and buyer contacts. This module imports neither textual nor weasyprint.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from lms.calendars.workdays import WorkdayCalendar, depends_on_provisional
from lms.config import settings
from lms.errors import LmsError
from lms.i18n import _
from lms.models import (
    Course,
    CourseVersion,
    Obligation,
    Person,
    Project,
    SessionDay,
    SessionStatus,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import person_by_code, project_by_code

PRODID = "-//LMS//Training Scheduler//ZH"
CANCEL_SUFFIX = "-cancel"
MAX_BUSY_OCCURRENCES = 100_000
DEFAULT_PAST_DAYS = 30
DEFAULT_FUTURE_DAYS = 400
# Properties that decide when someone is busy; a broken one stops the import (the others are ignored).
TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")

ICS_STATUS: dict[str, str] = {
    SessionStatus.planned: "TENTATIVE",
    SessionStatus.confirmed: "CONFIRMED",
    SessionStatus.held: "CONFIRMED",
    SessionStatus.cancelled: "CANCELLED",
}
STATUS_TEXT: dict[str, str] = {
    SessionStatus.planned: "计划中 planned",
    SessionStatus.confirmed: "已确认 confirmed",
    SessionStatus.held: "已举办 held",
    SessionStatus.cancelled: "已取消 cancelled",
}


class IcsMethod(StrEnum):
    publish = "publish"
    request = "request"


# ---------------------------------------------------------------------------------------------------------------
# Export


@dataclass(frozen=True)
class SessionDayTimes:
    day: dt.date
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Invitee:
    name: str  # Person.name: the ATTENDEE's CN
    display: str  # "陈立峰 Chen Lifeng" for the description
    email: str | None
    role: str


@dataclass(frozen=True)
class SessionEvent:
    """Everything one VEVENT needs, loaded in a few queries for any number of sessions."""

    uid: str
    code: str
    sequence: int
    status: str
    updated_at: dt.datetime
    title_zh: str
    title_en: str
    place: str
    city: str
    project_code: str | None
    obligation_code: str | None
    days: tuple[SessionDayTimes, ...]
    trainers: tuple[Invitee, ...]
    calendar_provisional: bool = False  # its year is planned before the State Council's holiday notice

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.cancelled


@dataclass(frozen=True)
class Selection:
    """Which sessions to export: a trainer's, a project's, or all (both codes None)."""

    trainer_code: str | None = None
    project_code: str | None = None

    @property
    def label(self) -> str:
        if self.trainer_code:
            return f"trainer {self.trainer_code}"
        if self.project_code:
            return f"project {self.project_code}"
        return "all"


@dataclass
class PlannedFile:
    """One calendar file about to be written."""

    path: Path
    method: str
    sessions: list[SessionEvent]
    data: bytes = b""


@dataclass
class ExportResult:
    files: list[PlannedFile]
    #: session codes exported as invitations that have no trainer with an e-mail address (no ATTENDEE).
    without_attendees: list[str] = field(default_factory=list)


def site_timezone() -> tuple[str, ZoneInfo]:
    name = settings().timezone
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LmsError(_("unknown time zone {name!r}").format(name=name), field="timezone") from None


def load_session_events(session: Session, selection: Selection) -> list[SessionEvent]:
    """The selected sessions, ordered by first day; an unknown trainer or project code is a ``NotFoundError``."""
    conditions: list[Any] = []
    if selection.trainer_code:
        person = person_by_code(session, selection.trainer_code, field="--trainer")
        taught = select(SessionTrainer.session_id).where(SessionTrainer.person_id == person.id)
        conditions.append(col(TrainingSession.id).in_(taught))
    if selection.project_code:
        project = project_by_code(session, selection.project_code, field="--project")
        conditions.append(TrainingSession.project_id == project.id)

    # Plain columns rather than ORM objects: building 10,000s of instances costs more than the queries.
    sessions = session.execute(
        select_columns(
            col(TrainingSession.id),
            col(TrainingSession.uid),
            col(TrainingSession.code),
            col(TrainingSession.sequence),
            col(TrainingSession.status),
            col(TrainingSession.updated_at),
            col(TrainingSession.course_version_id),
            col(TrainingSession.place),
            col(TrainingSession.city),
            col(TrainingSession.project_id),
            col(TrainingSession.obligation_id),
            col(TrainingSession.first_day),
        )
        .where(*conditions)
        .order_by(col(TrainingSession.first_day), col(TrainingSession.code))
    ).all()
    if not sessions:
        return []
    # Related rows are fetched with the same filter as a subquery: no giant IN lists, a handful of queries in all.
    selected_ids = select(TrainingSession.id).where(*conditions)

    days: dict[int, list[SessionDayTimes]] = defaultdict(list)
    for session_id, day, start, end in session.execute(
        select_columns(
            col(SessionDay.session_id), col(SessionDay.day), col(SessionDay.start_time), col(SessionDay.end_time)
        )
        .where(col(SessionDay.session_id).in_(selected_ids))
        .order_by(col(SessionDay.session_id), col(SessionDay.day))
    ):
        days[session_id].append(SessionDayTimes(day, start, end))

    trainers: dict[int, list[Invitee]] = defaultdict(list)
    for session_id, role, name, name_en, email in session.execute(
        select_columns(
            col(SessionTrainer.session_id),
            col(SessionTrainer.role),
            col(Person.name),
            col(Person.name_en),
            col(Person.email),
        )
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(col(SessionTrainer.session_id).in_(selected_ids))
        .order_by(col(SessionTrainer.session_id), col(SessionTrainer.id))
    ):
        display = f"{name} {name_en}" if name_en else name
        trainers[session_id].append(Invitee(name=name, display=display, email=email or None, role=role))

    titles = {
        version_id: (title_zh, title_en)
        for version_id, title_zh, title_en in session.exec(
            select(CourseVersion.id, Course.title_zh, Course.title_en)
            .join(Course, col(Course.id) == CourseVersion.course_id)
            .where(col(CourseVersion.id).in_(select(TrainingSession.course_version_id).where(*conditions)))
        )
    }
    projects = dict(
        session.exec(
            select(Project.id, Project.code).where(
                col(Project.id).in_(select(TrainingSession.project_id).where(*conditions))
            )
        ).all()
    )
    obligations = dict(
        session.exec(
            select(Obligation.id, Obligation.code).where(
                col(Obligation.id).in_(select(TrainingSession.obligation_id).where(*conditions))
            )
        ).all()
    )

    events = []
    for (
        session_id,
        uid,
        code,
        sequence,
        status,
        updated_at,
        version_id,
        place,
        city,
        project_id,
        obligation_id,
        first_day,
    ) in sessions:
        session_days = days.get(session_id) or [SessionDayTimes(first_day, dt.time(9, 0), dt.time(17, 0))]
        title_zh, title_en = titles.get(version_id, ("", ""))
        events.append(
            SessionEvent(
                uid=uid,
                code=code,
                sequence=sequence,
                status=status,
                updated_at=updated_at,
                title_zh=title_zh,
                title_en=title_en,
                place=place,
                city=city,
                project_code=projects.get(project_id) if project_id else None,
                obligation_code=obligations.get(obligation_id) if obligation_id else None,
                days=tuple(session_days),
                trainers=tuple(trainers.get(session_id, ())),
            )
        )
    return events


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


def calendar_name(selection: Selection) -> str:
    if selection.trainer_code:
        return f"培训安排 Training sessions: {selection.trainer_code}"
    if selection.project_code:
        return f"培训安排 Training sessions: {selection.project_code}"
    return "培训安排 Training sessions"


def cancel_path(path: Path) -> Path:
    """``plan.ics`` → ``plan-cancel.ics`` next to it."""
    return path.with_name(f"{path.stem}{CANCEL_SUFFIX}{path.suffix or '.ics'}")


def plan_export(events: Sequence[SessionEvent], method: IcsMethod, output: Path) -> list[PlannedFile]:
    """Which sessions go into which file with which METHOD (RFC 5546: one METHOD per calendar object).

    - publish: everything in ``output`` with METHOD:PUBLISH; cancelled sessions carry STATUS:CANCELLED.
    - request, nothing cancelled: ``output`` with METHOD:REQUEST.
    - request, everything cancelled: ``output`` with METHOD:CANCEL.
    - request, mixed: ``output`` with METHOD:REQUEST for the others and ``<stem>-cancel.ics`` with METHOD:CANCEL.
    """
    if method == IcsMethod.publish:
        return [PlannedFile(output, "PUBLISH", list(events))]
    active = [event for event in events if not event.cancelled]
    cancelled = [event for event in events if event.cancelled]
    if cancelled and not active:
        return [PlannedFile(output, "CANCEL", cancelled)]
    files = [PlannedFile(output, "REQUEST", active)]
    if cancelled:
        files.append(PlannedFile(cancel_path(output), "CANCEL", cancelled))
    return files


def export_ics(
    session: Session,
    *,
    selection: Selection,
    output: Path,
    method: IcsMethod = IcsMethod.publish,
    stamp: dt.datetime | None = None,
    workdays: WorkdayCalendar | None = None,
) -> ExportResult:
    """Build the calendar file(s) for the selected sessions, then write each atomically. Nothing is written when
    the selection names an unknown trainer or project. With the working-day calendar, sessions in a year planned
    before its holiday notice say so in their DESCRIPTION."""
    events = load_session_events(session, selection)
    if workdays is not None:
        events = [
            replace(event, calendar_provisional=depends_on_provisional(workdays, event.days[0].day, event.days[-1].day))
            for event in events
        ]
    files = plan_export(events, method, output)
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    name = calendar_name(selection)
    for planned in files:
        calendar_uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"lms-calendar:{selection.label}:{planned.method}")) + "@lms"
        calendar = build_calendar(
            planned.sessions, method=planned.method, name=name, stamp=stamp, calendar_uid=calendar_uid
        )
        planned.data = calendar.to_ical()
    write_files_atomically([(planned.path, planned.data) for planned in files])
    without = []
    if method == IcsMethod.request:
        without = [event.code for event in events if not any(trainer.email for trainer in event.trainers)]
    return ExportResult(files=files, without_attendees=without)


def write_files_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary file beside it first, then move them all into place (``os.replace``)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            if path.is_dir():
                raise LmsError(_("is a folder, not a file"), file=path)
            folder = path.parent if str(path.parent) else Path(".")
            if not folder.is_dir():
                raise LmsError(_("the folder does not exist"), file=path)
            try:
                handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
                staged.append((temporary, path))
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
                mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
                os.chmod(temporary, mode)
            except OSError as error:
                raise LmsError(_("cannot write: {reason}").format(reason=error.strerror or error), file=path) from None
        for temporary, path in staged:
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise LmsError(_("cannot write: {reason}").format(reason=error.strerror or error), file=path) from None
    finally:
        for temporary, _path in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
