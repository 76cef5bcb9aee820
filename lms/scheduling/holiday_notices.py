# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Importing the State Council's holiday notice: the year becomes official, and the planner learns what it moved —
planned or confirmed sessions now on a day off, obligation windows whose working-day ends changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.access.audit import current_actor, record
from lms.access.roles import Permission, require
from lms.calendars.notices import parse_notice
from lms.calendars.official import YearSchedule
from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar, get_calendar
from lms.models import HolidayNotice, Obligation, Project, SessionDay, TrainingSession

ACTIVE = ("planned", "confirmed")


@dataclass(frozen=True)
class SessionOnDayOff:
    code: str
    status: str
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class MovedWindow:
    project: str
    obligation: str
    period: str
    before: tuple[dt.date, dt.date] | None
    after: tuple[dt.date, dt.date] | None


@dataclass(frozen=True)
class NoticeImport:
    schedule: YearSchedule
    stored: bool
    sessions_on_days_off: list[SessionOnDayOff]
    moved_windows: list[MovedWindow]

    def as_dict(self) -> dict[str, Any]:
        return self.schedule.as_dict() | {
            "stored": self.stored,
            "sessions_on_days_off": [asdict(found) for found in self.sessions_on_days_off],
            "moved_windows": [asdict(moved) for moved in self.moved_windows],
        }


def import_notice(
    text: str,
    *,
    session: Session,
    pm: Any = None,
    year: int | None = None,
    source: str | None = None,
    dry_run: bool = False,
) -> NoticeImport:
    """Read a notice as published; unless ``dry_run``, store it (admin only; the caller commits) so its year becomes
    official.

    Returns the schedule, the active sessions on its days off and the obligation windows it moves.
    Raises:
        NoticeError: an item that does not parse, a date outside the year, a day both off and working, a wrong
            weekday, a statutory holiday missing.
    """
    schedule = parse_notice(text, year, source).schedule
    if not dry_run:
        require(Permission.administer)
    before = get_calendar(pm=pm, session=session)
    after = get_calendar(pm=pm, session=session, pending=schedule)
    result = NoticeImport(
        schedule,
        not dry_run,
        sessions_on_days_off(session, after, schedule.year),
        moved_windows(session, before, after),
    )
    if not dry_run:
        actor = current_actor()
        notice = HolidayNotice(
            calendar=after.code,
            year=schedule.year,
            days_off=[day.isoformat() for day in sorted(schedule.days_off)],
            working_days=[day.isoformat() for day in sorted(schedule.working_days)],
            source_text=text,
            imported_by=actor,
            note={"source": source} if source else None,
        )
        session.add(notice)
        record(
            session,
            action="import_holiday_notice",
            entity="HolidayNotice",
            key=f"{after.code}/{schedule.year}",
            before=None,
            after=schedule.as_dict(),
            actor=actor,
        )
        session.flush()  # the caller commits: the notice and its audit entry land together
    return result


def sessions_on_days_off(session: Session, calendar: WorkdayCalendar, year: int) -> list[SessionOnDayOff]:
    """Planned and confirmed sessions that meet on a day off of ``year``."""
    rows = session.exec(
        select(TrainingSession.code, TrainingSession.status, SessionDay.day)
        .join(SessionDay, col(SessionDay.session_id) == TrainingSession.id)
        .where(
            col(TrainingSession.status).in_(ACTIVE),
            col(SessionDay.day) >= dt.date(year, 1, 1),
            col(SessionDay.day) <= dt.date(year, 12, 31),
        )
        .order_by(col(SessionDay.day), col(TrainingSession.code))
    ).all()
    found: dict[tuple[str, str], list[dt.date]] = {}
    for code, status, day in rows:
        if not calendar.is_working_day(day):
            found.setdefault((code, status), []).append(day)
    return [SessionOnDayOff(code, status, tuple(days)) for (code, status), days in found.items()]


def moved_windows(session: Session, before: WorkdayCalendar, after: WorkdayCalendar) -> list[MovedWindow]:
    """Obligation windows whose dates differ between the two calendars (counted in working days)."""
    from lms.projects.periods import obligation_periods

    moved: list[MovedWindow] = []
    for obligation, project in session.exec(
        select(Obligation, Project).join(Project, col(Project.id) == Obligation.project_id)
    ).all():
        windows = []
        for calendar in (before, after):
            try:
                periods, _provisional = obligation_periods(session, obligation, project, calendar)
            except CalendarCoverageError:
                periods = []
            windows.append({period.label: (period.start, period.end) for period in periods})
        for label in sorted(set(windows[0]) | set(windows[1])):
            if windows[0].get(label) != windows[1].get(label):
                moved.append(
                    MovedWindow(project.code, obligation.code, label, windows[0].get(label), windows[1].get(label))
                )
    return moved
