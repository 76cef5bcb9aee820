"""Calendar arithmetic that is not about working days (those are in :mod:`lms.calendars.workdays`), and the one
"today" in the configured working time zone."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta

from lms.errors import LmsError
from lms.i18n import _

EARLIEST_DATE = dt.date(1950, 1, 1)  # an old outside certificate; nothing this system plans is earlier
LATEST_DATE = dt.date(2100, 12, 31)


def parse_date(value: str, field_name: str) -> dt.date:
    """A typed date as YYYY-MM-DD within the years people type on purpose, or an error naming the field.

    The command line and the screens both read typed dates through here, so 1900-01-01 is refused alike."""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise LmsError(_("{value!r} is not a date (YYYY-MM-DD)").format(value=value), field=field_name) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise LmsError(
            _("{day} is outside {first}–{last}; check the year").format(day=day, first=EARLIEST_DATE, last=LATEST_DATE),
            field=field_name,
        )
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept inside the month: 31 January + 1 month is 28 or 29 February."""
    moved: dt.date = day + relativedelta(months=months)
    return moved


def working_timezone() -> ZoneInfo:
    """The one configured working time zone (``timezone`` in the configuration, Asia/Shanghai by default)."""
    from lms.config import settings

    name = settings().timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LmsError(_("unknown time zone {name!r}").format(name=name), field="timezone") from None


def working_today() -> dt.date:
    """Today in the working time zone: the one "today" of every command, screen and document.

    ``LMS_TODAY=YYYY-MM-DD`` pins it (tests, demos and rehearsals); the machine's own zone never matters.
    """
    pinned = os.environ.get("LMS_TODAY")
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise LmsError(_("LMS_TODAY is not a date (YYYY-MM-DD): {value!r}").format(value=pinned)) from None
    return dt.datetime.now(working_timezone()).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The working-zone calendar date of a stored moment (stored in UTC; SQLite hands it back without a zone)."""
    aware = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return aware.astimezone(working_timezone()).date()
