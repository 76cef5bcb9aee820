"""The auto-scheduler's vocabulary: what is needed, what is proposed, what cannot be placed, and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from lms.i18n import _
from lms.models import (
    Course,
    CourseVersion,
    Obligation,
    Project,
)
from lms.projects.periods import PeriodStatus

MAX_GAP_DAYS = 3  # a run of N working days may straddle a (long) weekend, not a week-long holiday
HOURS_PER_DAY = 6.0
LEAD_WORKING_DAYS = 3  # never propose a session sooner: trainees must be named and told (an empty roster tomorrow)
HORIZON_MARGIN_DAYS = 21  # runs that start at a window's end need a few days after it
DAY_HOURS = (dt.time(9), dt.time(17))  # site time; busy time overlapping these makes the day busy
ROSTER_ONLY = frozenset({"trainees"})


@dataclass(frozen=True)
class ProposedTrainer:
    person_id: int
    code: str
    name: str
    role: str  # lead (qualified, the technical lead when asked) or manufacturer


@dataclass(frozen=True)
class Proposal:
    """A session the plan would create, with the reason for its days, people and room."""

    project: str
    project_id: int
    obligation: str
    obligation_id: int
    period: str
    window_start: dt.date
    window_end: dt.date
    course: str
    course_version_id: int
    mode: str
    place: str
    city: str
    days: tuple[dt.date, ...]
    trainers: tuple[ProposedTrainer, ...]
    room_id: int | None
    room: str | None
    capacity: int
    reason: str
    moves: str | None = None  # the session that serves this period now and is moved here (roster kept)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Unplaced:
    """A period left without a proposal. ``kind`` is stable for programs (window_closed, anchor_unknown, calendar,
    no_course, window_too_short, no_qualified_trainer, no_manufacturer, no_room, no_trainer_free, no_room_free,
    capacity); ``reason`` is for people."""

    project: str
    obligation: str
    period: str
    window_start: dt.date | None
    window_end: dt.date | None
    kind: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def solver_name(code: str) -> str:
    """A solver as people read it; its code (``greedy``, ``cpsat``) stays what ``--solver`` takes and JSON gives."""
    return {"greedy": _("greedy"), "cpsat": _("constraint solver")}.get(code, code)


def solver_status_label(status: str) -> str:
    """CP-SAT's status name (``OPTIMAL``, ``FEASIBLE``...) in words."""
    return {
        "OPTIMAL": _("optimal"),
        "FEASIBLE": _("feasible"),
        "INFEASIBLE": _("infeasible"),
        "UNKNOWN": _("no answer in time"),
        "MODEL_INVALID": _("model invalid"),
    }.get(status, status)


@dataclass(frozen=True)
class SolverRun:
    solver: str
    status: str
    demands: int
    placed: int
    objective: int  # placement weight × unplaced + 10 × busiest + trips: lower is better
    bound: int | None  # no plan can do better than this (CP-SAT's proof), None for greedy
    gap: float | None
    placed_bound: int | None  # no plan places more than this
    busiest: int  # sessions of the busiest person, those already planned included
    trips: int  # people sent out of their home city
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    proposals: list[Proposal] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    runs: list[SolverRun] = field(default_factory=list)  # greedy first, then CP-SAT when it ran
    build_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "proposals": [p.as_dict() for p in self.proposals],
            "unplaced": [u.as_dict() for u in self.unplaced],
            "solvers": [r.as_dict() for r in self.runs],
            "build_seconds": round(self.build_seconds, 3),
        }


@dataclass
class Need:
    """One open period that asks for a session, with what the session must be."""

    obligation: Obligation
    project: Project
    period: PeriodStatus
    first: dt.date  # the earliest day a new session may start: tomorrow, or the window's start
    version: CourseVersion
    course: Course
    length: int

    @property
    def roles(self) -> list[str]:
        return self.obligation.required_trainer_roles or []

    @property
    def needs_room(self) -> bool:
        return self.obligation.place == "training_centre" and self.obligation.mode != "online"

    def unplaced(self, kind: str, reason: str) -> Unplaced:
        return unplaced(self.period, kind, reason)


def unplaced(period: PeriodStatus, kind: str, reason: str) -> Unplaced:
    return Unplaced(
        period.project, period.obligation, period.period, period.window_start, period.window_end, kind, reason
    )
