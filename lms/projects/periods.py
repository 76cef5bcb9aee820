"""Obligation periods: statuses, windows (once, by deadline, by cadence over the warranty) and what a period's status
holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session, select

from lms.calendars.dates import add_months
from lms.calendars.workdays import (
    WorkdayCalendar,
    working_days_after,
)
from lms.i18n import _
from lms.models import (
    Milestone,
    Obligation,
    Project,
)

AT_RISK_WORKING_DAYS = 5
DEFAULT_WINDOW_DAYS = 30


class Status(StrEnum):
    waiting = "waiting"
    planned = "planned"
    at_risk = "at_risk"
    overdue = "overdue"
    met = "met"
    partly_met = "partly_met"


def status_label(status: str, scans_missing: bool = False) -> str:
    """The status as people read it; a ``met`` period without its signed sign-in scans says so."""
    if status == "met" and scans_missing:
        return _("met (sign-in scans missing)")
    labels = {
        "waiting": lambda: _("waiting"),
        "planned": lambda: _("planned"),
        "at_risk": lambda: _("at risk"),
        "overdue": lambda: _("overdue"),
        "met": lambda: _("met"),
        "partly_met": lambda: _("partly met"),
    }
    label = labels.get(status)
    return label() if label else status


def cadence_label(cadence: str) -> str:
    """How often a duty repeats, as people read it."""
    return {
        "once": _("once"),
        "monthly": _("every month"),
        "quarterly": _("every quarter"),
        "semiannual": _("every half-year"),
        "spring_autumn": _("every spring and autumn"),
        "yearly": _("every year"),
    }.get(cadence, cadence)


def month_name(month: int) -> str:
    return (
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    )[month - 1]


def period_name(code: str | None) -> str:
    """THE way a period is shown to people, in every screen, table and document: its code (``once``, ``2026-05``,
    ``2026-Q1``, ``2026-H2``, ``2027-spring``, ``Y2``, as stored and as JSON/CSV give it) in words, 一次性,
    2026年第一季度, 2027年春季... A code it does not know is shown as it is."""
    if not code:
        return ""
    if code == "once":
        return _("one-off")
    if code.startswith("Y") and code[1:].isdigit():
        return _("year {number} of the warranty").format(number=code[1:])
    year, _sep, part = code.partition("-")
    if not (year.isdigit() and len(year) == 4):
        return code
    parts = {
        "Q1": _("Q1"),
        "Q2": _("Q2"),
        "Q3": _("Q3"),
        "Q4": _("Q4"),
        "H1": _("first half"),
        "H2": _("second half"),
        "spring": _("spring"),
        "autumn": _("autumn"),
    }
    if part in parts:
        return _("{year} {part}").format(year=year, part=parts[part])
    if part.isdigit() and 1 <= int(part) <= 12:
        return _("{month} {year}").format(month=month_name(int(part)), year=year)
    return code


@dataclass(frozen=True)
class Period:
    """One window in which a duty must be served: the whole duty for ``once``, a quarter, a half, a season..."""

    label: str
    start: dt.date
    end: dt.date


@dataclass
class SessionCheck:
    """How one session measures up against the clause: what it satisfies and what it lacks."""

    code: str
    status: str
    first_day: dt.date
    last_day: dt.date
    problems: list[str] = field(default_factory=list)
    problem_kinds: list[str] = field(default_factory=list)
    present_per_day: list[int] = field(default_factory=list)

    def add(self, kind: str, message: str) -> None:
        """Record a shortfall: ``kind`` is stable (window, mode, place, duration, hours, course, curricula,
        trainer_mix, trainees, assessment, certificates), ``message`` is for people."""
        self.problem_kinds.append(kind)
        self.problems.append(message)

    @property
    def satisfies(self) -> bool:
        return not self.problems


@dataclass
class PeriodStatus:
    project: str
    obligation: str
    clause: str
    period: str
    window_start: dt.date | None
    window_end: dt.date | None
    provisional: bool
    status: Status
    reason: str
    working_days_left: int | None
    sessions: list[SessionCheck] = field(default_factory=list)
    calendar_provisional: bool = False  # the window rests on a year planned before its holiday notice
    scans_missing: list[dt.date] = field(default_factory=list)  # days of the session that met it without a scan

    @property
    def label(self) -> str:
        return status_label(self.status.value, bool(self.scans_missing))

    def as_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "obligation": self.obligation,
            "clause": self.clause,
            "period": self.period,
            "window_start": self.window_start,
            "window_end": self.window_end,
            "provisional": self.provisional,
            "calendar_provisional": self.calendar_provisional,
            "status": self.status.value,
            "reason": self.reason,
            "status_label": self.label,
            "period_name": period_name(self.period),
            "signin_scans_missing": self.scans_missing,
            "working_days_left": self.working_days_left,
            "sessions": [
                {
                    "code": s.code,
                    "status": s.status,
                    "first_day": s.first_day,
                    "last_day": s.last_day,
                    "problems": s.problems,
                    "present_per_day": s.present_per_day,
                }
                for s in self.sessions
            ],
        }


def anchor_date(session: Session, obligation: Obligation) -> tuple[dt.date | None, bool]:
    """The anchor milestone's date and whether it is only planned (provisional)."""
    milestone = session.exec(
        select(Milestone).where(Milestone.project_id == obligation.project_id, Milestone.kind == obligation.anchor)
    ).first()
    if milestone is None:
        return None, True
    if milestone.actual_date:
        return milestone.actual_date, False
    return milestone.planned_date, True


def shift(calendar: WorkdayCalendar, day: dt.date, days: int, unit: str) -> dt.date:
    if unit == "working":
        return working_days_after(calendar, day, days)
    return day + dt.timedelta(days=days)


def once_window(obligation: Obligation, anchor: dt.date, calendar: WorkdayCalendar) -> Period:
    """After: from the day after the anchor to N (working) days after it. Before: a window ending N days before."""
    length = obligation.window_days
    if obligation.direction == "after":
        start = anchor + dt.timedelta(days=1) if obligation.offset_days else anchor
        end = shift(calendar, anchor, obligation.offset_days, obligation.offset_unit)
        if length:
            end = max(end, start + dt.timedelta(days=length - 1))
        return Period("once", start, max(start, end))
    end = shift(calendar, anchor, -obligation.offset_days, obligation.offset_unit)
    return Period("once", end - dt.timedelta(days=(length or DEFAULT_WINDOW_DAYS) - 1), end)


def deadline_window(obligation: Obligation, anchor: dt.date | None, calendar: WorkdayCalendar) -> Period:
    """A clause with an absolute deadline (「2022年03月底前」): its milestone window cut at the deadline, or the
    default window ending on the deadline when it names no milestone."""
    assert obligation.deadline is not None
    if anchor is None:
        return Period("once", obligation.deadline - dt.timedelta(days=DEFAULT_WINDOW_DAYS - 1), obligation.deadline)
    window = once_window(obligation, anchor, calendar)
    return Period("once", min(window.start, obligation.deadline), min(window.end, obligation.deadline))


def cadence_periods(cadence: str, warranty_start: dt.date, warranty_months: int) -> list[Period]:
    """Periods over the warranty: calendar months, quarters or halves, spring (Mar–May) and autumn (Sep–Nov), or
    warranty years; each clipped to the warranty."""
    warranty_end = add_months(warranty_start, warranty_months) - dt.timedelta(days=1)
    periods: list[Period] = []
    if cadence == "yearly":
        start, year = warranty_start, 1
        while start <= warranty_end:
            end = min(add_months(start, 12) - dt.timedelta(days=1), warranty_end)
            periods.append(Period(f"Y{year}", start, end))
            start, year = end + dt.timedelta(days=1), year + 1
        return periods
    for year in range(warranty_start.year, warranty_end.year + 1):
        spans: list[tuple[str, dt.date, dt.date]]
        if cadence == "monthly":
            spans = [
                (f"{year}-{m:02d}", dt.date(year, m, 1), add_months(dt.date(year, m, 1), 1) - dt.timedelta(days=1))
                for m in range(1, 13)
            ]
        elif cadence == "quarterly":
            spans = [
                (
                    f"{year}-Q{q + 1}",
                    dt.date(year, 3 * q + 1, 1),
                    add_months(dt.date(year, 3 * q + 1, 1), 3) - dt.timedelta(days=1),
                )
                for q in range(4)
            ]
        elif cadence == "semiannual":
            spans = [
                (f"{year}-H1", dt.date(year, 1, 1), dt.date(year, 6, 30)),
                (f"{year}-H2", dt.date(year, 7, 1), dt.date(year, 12, 31)),
            ]
        elif cadence == "spring_autumn":
            spans = [
                (f"{year}-spring", dt.date(year, 3, 1), dt.date(year, 5, 31)),
                (f"{year}-autumn", dt.date(year, 9, 1), dt.date(year, 11, 30)),
            ]
        else:
            raise ValueError(f"unknown cadence {cadence!r}")
        for label, start, end in spans:
            start, end = max(start, warranty_start), min(end, warranty_end)
            if start <= end:
                periods.append(Period(label, start, end))
    return periods


def obligation_periods(
    session: Session,
    obligation: Obligation,
    project: Project,
    calendar: WorkdayCalendar,
    anchored: tuple[dt.date | None, bool] | None = None,
) -> tuple[list[Period], bool]:
    """Every window the obligation opens, and whether they rest on a planned (not actual) date. Empty if unknown.

    ``anchored``: the anchor date and whether it is provisional, when the caller loaded every milestone at once.
    """
    anchor, provisional = anchored if anchored is not None else anchor_date(session, obligation)
    if obligation.deadline is not None and obligation.cadence == "once":
        return [deadline_window(obligation, anchor, calendar)], provisional and anchor is not None
    if anchor is None:
        return [], provisional
    if obligation.cadence == "once":
        return [once_window(obligation, anchor, calendar)], provisional
    start = (
        shift(calendar, anchor, obligation.offset_days, obligation.offset_unit) if obligation.offset_days else anchor
    )
    return cadence_periods(obligation.cadence, start, project.warranty_months), provisional
