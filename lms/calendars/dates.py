"""Calendar arithmetic that is not about working days (those are in :mod:`lms.calendars.workdays`)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept inside the month: 31 January + 1 month is 28 or 29 February."""
    moved: dt.date = day + relativedelta(months=months)
    return moved
