"""The dashboard's data in parts, cheapest first, as the screen shows them: the same rows whether the app loads
them itself or ``scheduler_tui.dashboard_loader`` loads them in a forked process. Nothing here imports Textual, and
the domain modules are imported only when a part is loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lms.i18n import current_language

SHOWN_OBLIGATIONS = 200  # the most urgent rows that go into the table
PART_NAMES = ("sessions", "obligations", "conflicts", "history")


@dataclass(frozen=True)
class Part:
    """One part of the dashboard: its rows as the screen shows them, and how many there are in all.

    ``sessions``: upcoming sessions; ``obligations``: the obligation periods open now (most urgent first);
    ``conflicts``: open conflicts; ``history``: every obligation period, those closed long ago too.
    """

    name: str
    rows: list[dict[str, Any]]
    count: int


def load_parts(session: Any, calendar: Any, today: dt.date, stop: Callable[[], bool] | None = None) -> Iterator[Part]:
    """The dashboard's parts in the order they should appear; ``stop`` ends the slow last part early (a screen
    that went away), and then no ``history`` part is given."""
    from lms.scheduling.overview import attention_periods, upcoming_sessions

    sessions = session_rows(upcoming_sessions(session, today), calendar)
    yield Part("sessions", sessions, len(sessions))
    current = ranked(attention_periods(session, calendar, today))
    yield Part("obligations", [obligation_row(row) for row in current[:SHOWN_OBLIGATIONS]], len(current))
    conflicts = conflict_rows(session, calendar, today)
    yield Part("conflicts", conflicts, len(conflicts))
    settled = attention_periods(session, calendar, today, settled=True, stop=stop)
    if stop is not None and stop():
        return
    every = ranked(current + settled)
    yield Part("history", [obligation_row(row) for row in every[:SHOWN_OBLIGATIONS]], len(every))


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most urgent first: by status, then the window that closes first (a stable sort keeps the rest in order)."""
    from lms.scheduling.overview import STATUS_ORDER

    return sorted(rows, key=lambda p: (STATUS_ORDER.get(p["status"], 9), p["window_end"] or dt.date.max))


def obligation_row(row: dict[str, Any]) -> dict[str, Any]:
    """What the table and its detail line show of an obligation period (all a snapshot keeps of it), its period
    in words (一次性, 2027年春季) as well as its code."""
    from lms.projects.periods import period_name

    keep = ("status", "status_label", "project", "obligation", "period", "window_start", "window_end", "reason")
    return {key: row[key] for key in keep} | {
        "period_name": period_name(row["period"]),
        "working_days_left": row["working_days_left"],
    }


def session_rows(upcoming: list[dict[str, Any]], calendar: Any) -> list[dict[str, Any]]:
    """Upcoming sessions with their words looked up, so that a snapshot can show them without the domain."""
    from lms.calendars.workdays import depends_on_provisional, provisional_mark
    from scheduler_tui.labels import session_status_label

    english = current_language() == "en"
    return [
        {
            "code": row["code"],
            "project": row["project"],
            "first_day": row["first_day"],
            "last_day": row["last_day"],
            "course": row["course_en"] if english else row["course_zh"],
            "status": row["status"],
            "status_label": session_status_label(row["status"]),
            "provisional": provisional_mark()
            if depends_on_provisional(calendar, row["first_day"], row["last_day"])
            else "",
            "trainers": row["trainers"],
        }
        for row in upcoming
    ]


def conflict_rows(session: Any, calendar: Any, today: dt.date) -> list[dict[str, Any]]:
    from lms.scheduling.conflicts import find_conflicts, kind_label

    return [
        c.as_dict() | {"label": kind_label(c.kind), "sessions": list(c.sessions)}
        for c in find_conflicts(session, calendar, today)
    ]
