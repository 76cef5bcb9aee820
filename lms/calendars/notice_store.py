"""Imported holiday notices in the database: the newest notice of each calendar and year is the one in force."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from lms.calendars.official import YearSchedule
from lms.models import HolidayNotice


def imported_notices(session: Session) -> dict[str, dict[int, YearSchedule]]:
    """Per calendar code and year, the schedule of the newest imported notice."""
    found: dict[str, dict[int, YearSchedule]] = {}
    rows = session.exec(select(HolidayNotice).order_by(col(HolidayNotice.imported_at), col(HolidayNotice.id))).all()
    for row in rows:  # later rows overwrite earlier ones: the newest wins
        found.setdefault(row.calendar, {})[row.year] = YearSchedule(
            row.year,
            frozenset(dt.date.fromisoformat(day) for day in row.days_off or []),
            frozenset(dt.date.fromisoformat(day) for day in row.working_days or []),
        )
    return found
