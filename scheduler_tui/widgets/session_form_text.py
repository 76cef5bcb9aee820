"""The session editor's words: its lists' options, and the days and conflicts it shows after each check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from lms.calendars.workdays import WorkdayCalendar, provisional_mark, provisional_years
from lms.i18n import _
from lms.scheduling.calendar_view import DayKind, day_kind
from lms.scheduling.conflicts import kind_label
from lms.scheduling.session_forms import DraftCheck
from scheduler_tui.labels import bilingual, clip, day_kind_mark, weekday_name

Options = list[tuple[str, str]]


def list_options(choices: dict[str, list[dict[str, Any]]]) -> dict[str, Options]:
    """The course, project and room lists' (label, code) pairs."""
    return {
        "course": [
            (f"{c['code']} {clip(bilingual(c['title_zh'], c['title_en']), 30)}", c["code"]) for c in choices["courses"]
        ],
        "project": [
            (f"{p['code']} {clip(bilingual(p['name_zh'], p['name_en']), 26)}", p["code"]) for p in choices["projects"]
        ],
        "room": [(f"{r['code']} {r['name']}", r["code"]) for r in choices["rooms"]],
    }


def trainer_options(people: list[dict[str, Any]]) -> Options:
    """Each trainer with ★ for a technical lead and ⚙ for a manufacturer's engineer."""
    marks = [" ★" if p["lead"] else " ⚙" if p["manufacturer"] else "" for p in people]
    return [(f"{p['code']} {p['name']}{mark}", p["code"]) for p, mark in zip(people, marks, strict=True)]


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
