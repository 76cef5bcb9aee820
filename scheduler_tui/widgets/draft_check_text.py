"""What the session editor shows beside its fields after each check: the days and the conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text

from lms.calendars.workdays import WorkdayCalendar, provisional_mark, provisional_years
from lms.i18n import _
from lms.scheduling.calendar_view import DayKind, day_kind
from lms.scheduling.conflicts import kind_label
from lms.scheduling.session_forms import DraftCheck
from scheduler_tui.labels import day_kind_mark, weekday_name


def days_text(calendar: WorkdayCalendar, days: Sequence[dt.date]) -> Text:
    """The days, each with what kind of day it is, and the provisional mark on a year planned before its holiday
    notice (the calendar and the sessions list carry the same mark)."""
    text = Text()
    estimated = provisional_years(calendar)
    for day in days:
        kind = day_kind(calendar, day)
        style = "" if kind in (DayKind.working, DayKind.makeup) else "bold red"
        mark = day_kind_mark(kind) or (_("weekend") if kind == DayKind.weekend else "")
        text.append(f"{day} {weekday_name(day)} {mark}".rstrip(), style=style)
        if day.year in estimated:
            text.append(" · " + provisional_mark(), style="italic yellow")
        text.append("\n")
    return text


def conflicts_text(check: DraftCheck) -> Text:
    text = Text()
    if check.problems:
        text.append(_("Fix the fields marked in red to see conflicts."), style="yellow")
    elif not check.conflicts:
        text.append("✓ " + _("no conflicts"), style="bold green")
    for conflict in check.conflicts:
        text.append(f"✗ {kind_label(conflict.kind)}\n", style="bold red")
        text.append(f"  {conflict.message}\n")
    return text
