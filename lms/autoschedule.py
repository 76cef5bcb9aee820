# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Auto-scheduling: propose sessions for the obligation periods nobody serves yet, and say why for each one that
cannot be placed.

A period needs a session when its window is still open and no planned or confirmed session satisfies it (a missing
roster does not count: rosters are filled after planning, and counting it would re-propose every applied plan).
Each need becomes a :class:`~lms.autoschedule_cpsat.Demand` of N consecutive working days starting inside the
window, with the trainers who hold a skill the course grants (valid over those days) and are free on them (no other
session, no busy time from their own calendar between 09:00 and 17:00 site time), a technical lead or manufacturer
engineer when the clause asks, and a vendor room in the city big enough when it asks for a training centre. The
solvers in :mod:`lms.autoschedule_cpsat` then share people and rooms among the demands.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from lms.autoschedule_cpsat import Assignment, Demand, Problem, Solution, load_and_trips, solve_greedy
from lms.i18n import _
from lms.models import (
    Course,
    CourseSkillGrant,
    CourseVersion,
    Obligation,
    Organisation,
    Person,
    Project,
    ProjectCourse,
    Room,
    SessionDay,
    SessionTrainer,
    SkillRecord,
    TrainerBusy,
    TrainingSession,
)
from lms.obligations import PeriodStatus, Status, anchor_date, obligation_status
from lms.sessions import create_session
from lms.workdays import CalendarCoverageError, WorkdayCalendar

MAX_GAP_DAYS = 3  # a run of N working days may straddle a (long) weekend, not a week-long holiday
HOURS_PER_DAY = 6.0
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


def session_length(obligation: Obligation) -> int:
    """Working days the clause asks for: its minimum days, or its minimum hours at six teaching hours a day."""
    days = math.ceil(obligation.min_days) if obligation.min_days else 0
    hours = math.ceil(obligation.min_hours / HOURS_PER_DAY) if obligation.min_hours else 0
    return max(1, days, hours)


def served(period: PeriodStatus) -> bool:
    return any(c.status in ("planned", "confirmed") and set(c.problem_kinds) <= ROSTER_ONLY for c in period.sessions)


def find_needs(
    *, session: Session, calendar: WorkdayCalendar, today: dt.date, project_code: str | None = None
) -> tuple[list[Need], list[Unplaced]]:
    """Open periods without a session that serves them, and the periods scheduling cannot help, with reasons."""
    statement = select(Obligation, Project).join(Project, col(Project.id) == Obligation.project_id)
    if project_code:
        statement = statement.where(Project.code == project_code)
    needs: list[Need] = []
    lost: list[Unplaced] = []
    courses: dict[str, tuple[CourseVersion, Course] | None] = {}  # obligations mostly share a few courses
    for obligation, project in session.exec(statement.order_by(col(Project.code), col(Obligation.code))).all():
        course_key = obligation.course_codes[0] if obligation.course_codes else project.code
        if course_key not in courses:
            courses[course_key] = course_of(session, obligation, project)
        found = courses[course_key]
        for period in obligation_status(session, obligation, calendar, today):
            if period.status in (Status.met, Status.partly_met) or served(period):
                continue
            if period.status == Status.waiting or period.window_start is None or period.window_end is None:
                kind = "anchor_unknown" if anchor_date(session, obligation)[0] is None else "calendar"
                lost.append(unplaced(period, kind, period.reason))
                continue
            first = max(period.window_start, today + dt.timedelta(days=1))
            if period.status == Status.overdue or period.window_end < first:
                reason = _("the window already closed on {day}").format(day=period.window_end)
                lost.append(unplaced(period, "window_closed", reason))
            elif found is None:
                lost.append(unplaced(period, "no_course", _("the clause names no course and the project has none")))
            else:
                needs.append(Need(obligation, project, period, first, *found, session_length(obligation)))
    return needs, lost


def course_of(session: Session, obligation: Obligation, project: Project) -> tuple[CourseVersion, Course] | None:
    """The clause's first course, else the project's first; its newest version."""
    if obligation.course_codes:
        course = session.exec(select(Course).where(Course.code == obligation.course_codes[0])).first()
    else:
        course = session.exec(
            select(Course)
            .join(ProjectCourse, col(ProjectCourse.course_id) == Course.id)
            .where(ProjectCourse.project_id == project.id)
            .order_by(col(ProjectCourse.id))
        ).first()
    if course is None:
        return None
    version = session.exec(
        select(CourseVersion).where(CourseVersion.course_id == course.id).order_by(col(CourseVersion.version).desc())
    ).first()
    return (version, course) if version is not None else None


def working_axis(calendar: WorkdayCalendar, first: dt.date, last: dt.date) -> tuple[list[dt.date], set[int]]:
    """Working days from ``first`` to ``last``, and the years the calendar does not cover (left out: never guess)."""
    days: list[dt.date] = []
    uncovered: set[int] = set()
    day = first
    while day <= last:
        try:
            if calendar.is_working_day(day):
                days.append(day)
        except CalendarCoverageError:
            uncovered.add(day.year)
            day = dt.date(day.year + 1, 1, 1)
            continue
        day += dt.timedelta(days=1)
    return days, uncovered


def plan_schedule(
    *,
    session: Session,
    calendar: WorkdayCalendar,
    today: dt.date,
    project_code: str | None = None,
    solver: str = "cpsat",
    time_limit: float = 8.0,
    workers: int = 2,
) -> Plan:
    """Propose sessions for every open need (of one project, or all). ``solver``: ``greedy`` or ``cpsat`` (the
    greedy plan improved by CP-SAT; never fewer placements than greedy). ``time_limit`` bounds the whole call: CP-SAT
    searches for what is left after reading the database (at least a second), so the wait is predictable."""
    if solver not in ("greedy", "cpsat"):
        raise ValueError(f"unknown solver {solver!r}")
    began = time.perf_counter()
    needs, lost = find_needs(session=session, calendar=calendar, today=today, project_code=project_code)
    last = max((n.period.window_end or n.first for n in needs), default=today) + dt.timedelta(days=HORIZON_MARGIN_DAYS)
    axis, uncovered = working_axis(calendar, today + dt.timedelta(days=1), last)
    built = build_problem(session=session, needs=needs, axis=axis, uncovered=uncovered)
    plan = Plan(unplaced=lost + built.unplaced, build_seconds=time.perf_counter() - began)
    solutions: list[Solution] = [solve_greedy(built.problem)]
    if solver == "cpsat":
        from lms.autoschedule_cpsat import solve_cpsat

        budget = max(1.0, time_limit - (time.perf_counter() - began))
        solutions.append(solve_cpsat(built.problem, hint=solutions[0], time_limit=budget, workers=workers))
    for solution in solutions:
        plan.runs.append(run_of(built.problem, solution))
    chosen = solutions[-1]
    load: dict[int, int] = defaultdict(int)
    for assigned in chosen.assignments.values():
        for person in (assigned.lead, assigned.maker):
            if person is not None:
                load[person] += 1
    for demand in built.problem.demands:
        need = built.needs[demand.key]
        a = chosen.assignments.get(demand.key)
        if a is None:
            reason = _(
                "the qualified trainers (and rooms) free in the window are all taken by sessions proposed for other "
                "obligations"
            )
            plan.unplaced.append(need.unplaced("capacity", reason))
        else:
            plan.proposals.append(describe(built, need, demand, a, load))
    plan.proposals.sort(key=lambda p: (p.days[0], p.project, p.obligation, p.period))
    plan.unplaced.sort(key=lambda u: (u.project, u.obligation, u.window_start or dt.date.min))
    return plan


def run_of(problem: Problem, solution: Solution) -> SolverRun:
    busiest, trips = load_and_trips(problem, solution.assignments)
    return SolverRun(
        solution.solver,
        solution.status,
        len(problem.demands),
        len(solution.assignments),
        solution.objective,
        solution.bound,
        solution.gap,
        solution.placed_bound,
        busiest,
        trips,
        round(solution.wall_seconds, 3),
    )


def apply_plan(*, session: Session, plan: Plan, pm: Any = None) -> list[TrainingSession]:
    """Create the proposed sessions as ``planned`` (each fires ``lms_session_changed``); nothing is deleted or
    moved, so a plan applied twice only adds: re-plan first. The caller commits."""
    created = []
    for proposal in plan.proposals:
        version = session.get(CourseVersion, proposal.course_version_id)
        assert version is not None
        trainers = [(session.get(Person, t.person_id), t.role) for t in proposal.trainers]
        training = create_session(
            session,
            course_version=version,
            days=proposal.days,
            mode=proposal.mode,
            place=proposal.place,
            city=proposal.city,
            trainers=[(person, role) for person, role in trainers if person is not None],
            room=session.get(Room, proposal.room_id) if proposal.room_id is not None else None,
            project_id=proposal.project_id,
            obligation_id=proposal.obligation_id,
            period_label=proposal.period,
            capacity=proposal.capacity,
            status="planned",
            pm=pm,
        )
        training.notes = _("auto-scheduled: {reason}").format(reason=proposal.reason)
        session.add(training)
        created.append(training)
    session.flush()
    return created


@dataclass
class Built:
    """The solvers' problem and what turns their numbers back into people, rooms and days."""

    problem: Problem
    needs: dict[int, Need]
    unplaced: list[Unplaced]
    axis: list[dt.date]
    people: dict[int, Person]
    makers: set[int]
    rooms: dict[int, Room]
    records: dict[int, list[SkillRecord]]
    grants: dict[int, set[int]]


def build_problem(*, session: Session, needs: list[Need], axis: list[dt.date], uncovered: set[int]) -> Built:
    """One demand per need that has at least one feasible day, team and room; the others explained."""
    rows = session.exec(
        select(Person, Organisation)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(col(Person.kind).in_(("trainer", "engineer")))
    ).all()
    people = {p.id: p for p, _org in rows if p.id is not None}
    room_rows = session.exec(
        select(Room, Organisation).outerjoin(Organisation, col(Organisation.id) == Room.organisation_id)
    )
    records: dict[int, list[SkillRecord]] = defaultdict(list)
    for record in session.exec(select(SkillRecord).where(col(SkillRecord.person_id).in_(list(people)))):
        records[record.person_id].append(record)
    grants: dict[int, set[int]] = defaultdict(set)
    for version_id, skill_id in session.exec(select(CourseSkillGrant.course_version_id, CourseSkillGrant.skill_id)):
        grants[version_id].add(skill_id)
    built = Built(
        Problem(()),
        {},
        [],
        axis,
        people,
        {p.id for p, org in rows if org.kind == "manufacturer" and p.id is not None},
        {r.id: r for r, org in room_rows if r.id is not None and (org is None or org.kind != "buyer")},
        records,
        grants,
    )
    busy, base_load = busy_days(session, axis, people)
    demands = []
    for key, need in enumerate(needs):
        result = demand_for(built, key, need, busy, uncovered)
        if isinstance(result, Unplaced):
            built.unplaced.append(result)
        else:
            demands.append(result)
            built.needs[key] = need
    capacity = {r.id: r.capacity for r in built.rooms.values() if r.id is not None}
    built.problem = Problem(tuple(demands), base_load, capacity)
    return built


def busy_days(
    session: Session, axis: list[dt.date], people: dict[int, Person]
) -> tuple[dict[tuple[str, int], set[int]], dict[int, int]]:
    """Day indices each person ("p", id) and room ("r", id) is taken (sessions not cancelled, and busy time from
    the person's own calendar overlapping 09:00–17:00 site time), and how many sessions each person already has."""
    from lms.ical import site_timezone

    busy: dict[tuple[str, int], set[int]] = defaultdict(set)
    if not axis:
        return busy, {}
    index = {day: i for i, day in enumerate(axis)}
    first, last = axis[0], axis[-1]
    in_horizon = (col(TrainingSession.status) != "cancelled", SessionDay.day >= first, SessionDay.day <= last)
    sessions_of: dict[int, set[int]] = defaultdict(set)
    for person_id, day, session_id in session.exec(
        select(SessionTrainer.person_id, SessionDay.day, SessionDay.session_id)
        .join(SessionDay, col(SessionDay.session_id) == SessionTrainer.session_id)
        .join(TrainingSession, col(TrainingSession.id) == SessionDay.session_id)
        .where(*in_horizon)
    ):
        busy["p", person_id].add(index.get(day, -1))
        sessions_of[person_id].add(session_id)
    for room_id, day in session.exec(
        select(TrainingSession.room_id, SessionDay.day)
        .join(TrainingSession, col(TrainingSession.id) == SessionDay.session_id)
        .where(col(TrainingSession.room_id).is_not(None), *in_horizon)
    ):
        busy["r", room_id].add(index.get(day, -1))
    _name, tz = site_timezone()
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    for row in session.exec(
        select(TrainerBusy).where(
            col(TrainerBusy.person_id).in_(list(people)), TrainerBusy.ends_at > start, TrainerBusy.starts_at < end
        )
    ):
        busy_from, busy_to = max(row.starts_at.astimezone(tz), start), min(row.ends_at.astimezone(tz), end)
        day = busy_from.date()
        while day <= busy_to.date():
            opens, closes = (dt.datetime.combine(day, t, tzinfo=tz) for t in DAY_HOURS)
            if busy_from < closes and busy_to > opens and day in index:
                busy["p", row.person_id].add(index[day])
            day += dt.timedelta(days=1)
    return busy, {person: len(ids) for person, ids in sessions_of.items()}


def demand_for(
    built: Built, key: int, need: Need, busy: dict[tuple[str, int], set[int]], uncovered: set[int]
) -> Demand | Unplaced:
    axis, n, end = built.axis, need.length, need.period.window_end or need.first
    window = {"first": need.first, "end": end, "course": need.course.code, "city": need.project.city}
    lo, hi = bisect_right(axis, need.first - dt.timedelta(days=1)), min(bisect_right(axis, end), len(axis) - n + 1)
    starts = [i for i in range(lo, hi) if (axis[i + n - 1] - axis[i]).days <= n - 1 + MAX_GAP_DAYS]
    if not starts:
        spill = (end + dt.timedelta(days=HORIZON_MARGIN_DAYS)).year  # a run may spill past the window's end
        years = [y for y in sorted(uncovered) if need.first.year <= y <= end.year]
        years = years or [y for y in sorted(uncovered) if need.first.year <= y <= spill]
        if years:
            text = _(
                "the working-day calendar does not cover {years}; add that year's official schedule under "
                "calendar.official in the configuration"
            )
            return need.unplaced("calendar", text.format(years=", ".join(map(str, years))))
        text = _("no {days} consecutive working days can start between {first} and {end}")
        return need.unplaced("window_too_short", text.format(days=n, **window))

    def free(pool: dict[int, list[int]], kind: str) -> dict[int, frozenset[int]]:
        taken = {r: busy.get((kind, r), set()) for r in pool}
        found = {r: frozenset(s for s in v if taken[r].isdisjoint(range(s, s + n))) for r, v in pool.items()}
        return {r: v for r, v in found.items() if v}

    skills = built.grants.get(need.version.id or 0, set())
    holders = {p: [r for r in records if r.skill_id in skills] for p, records in built.records.items()}
    qualified = {
        p: [s for s in starts if valid_record(records, skills, axis[s], axis[s + n - 1])]
        for p, records in holders.items()
        if records
    }
    qualified = {p: v for p, v in qualified.items() if v}
    if not qualified:
        return need.unplaced(
            "no_qualified_trainer",
            _("nobody holds a valid skill for {course} between {first} and {end}").format(**window),
        )
    if "technical_lead" in need.roles:
        qualified = {p: v for p, v in qualified.items() if built.people[p].is_technical_lead}
        if not qualified:
            return need.unplaced(
                "no_qualified_trainer", _("no technical lead holds a valid skill for {course}").format(**window)
            )
    pools: list[dict[int, frozenset[int]] | None] = [free(qualified, "p"), None, None]
    if not pools[0]:
        return need.unplaced(
            "no_trainer_free",
            _("every qualified trainer is busy on every possible day from {first} to {end}").format(**window),
        )
    if "manufacturer" in need.roles:
        if not built.makers:
            return need.unplaced("no_manufacturer", _("the clause asks for a manufacturer engineer and there is none"))
        pools[1] = free(dict.fromkeys(built.makers, starts), "p")
        if not pools[1]:
            return need.unplaced(
                "no_trainer_free", _("no manufacturer engineer is free from {first} to {end}").format(**window)
            )
    if need.needs_room:
        seats = max(1, need.obligation.min_trainees)
        fitting = {
            r.id: starts
            for r in built.rooms.values()
            if r.id is not None and r.city == need.project.city and r.capacity >= seats
        }
        if not fitting:
            return need.unplaced("no_room", _("no training room in {city} seats {seats}").format(seats=seats, **window))
        pools[2] = free(fitting, "r")
        if not pools[2]:
            return need.unplaced(
                "no_room_free",
                _("every training room in {city} that fits is taken from {first} to {end}").format(**window),
            )
    joint = set(starts)
    for pool in pools:
        if pool is not None:
            joint &= set().union(*pool.values())
    if not joint:
        return need.unplaced(
            "no_trainer_free",
            _("no day from {first} to {end} when the trainer, engineer and room it needs are all free").format(
                **window
            ),
        )
    leads, makers, rooms = (
        {r: v & joint for r, v in pool.items() if v & joint} if pool is not None else None for pool in pools
    )
    assert leads is not None
    travel = {
        p: 1
        for p in (*leads, *(makers or {}))
        if need.obligation.mode != "online" and away(built.people[p], need.project.city)
    }
    return Demand(key, n, tuple(sorted(joint)), leads, makers, rooms, travel)


def valid_record(records: list[SkillRecord], skills: set[int], first: dt.date, last: dt.date) -> SkillRecord | None:
    """The record (of a skill the course grants) valid over the whole session, the longest-lasting one first."""
    valid = [
        r
        for r in records
        if r.skill_id in skills and r.valid_from <= first and (r.valid_until is None or r.valid_until >= last)
    ]
    return max(valid, key=lambda r: r.valid_until or dt.date.max, default=None)


def away(person: Person, city: str) -> bool:
    return bool(person.home_city) and person.home_city != city


def describe(built: Built, need: Need, demand: Demand, a: Assignment, load: dict[int, int]) -> Proposal:
    """The proposal with its reasons: why these days, this trainer (and engineer), this room."""
    days = tuple(built.axis[a.start : a.start + demand.length])
    start, end = need.period.window_start or days[0], need.period.window_end or days[0]
    when = f"{days[0]}" if len(days) == 1 else f"{days[0]}–{days[-1]}"
    parts = [_("{days} lies inside the window {start}–{end}").format(days=when, start=start, end=end)]
    if a.start == demand.starts[0]:
        parts.append(_("the earliest day the team is free"))
    else:
        first = built.axis[demand.starts[0]]
        parts.append(
            _("the first free day, {day}, went to other proposals or to less load and travel").format(day=first)
        )
    skills = built.grants.get(need.version.id or 0, set())
    record = valid_record(built.records.get(a.lead, []), skills, days[0], days[-1])
    until = record.valid_until if record else None
    about = [
        _("{name} ({code}) holds a skill for {course}").format(
            name=built.people[a.lead].name, code=built.people[a.lead].code, course=need.course.code
        ),
        _("valid until {day}").format(day=until) if until else _("without expiry"),
    ]
    if "technical_lead" in need.roles:
        about.append(_("the technical lead the clause asks for"))
    parts.append(", ".join([*about, *whereabouts(built.people[a.lead], need, load)]))
    trainers = [ProposedTrainer(a.lead, built.people[a.lead].code, built.people[a.lead].name, "lead")]
    if a.maker is not None:
        maker = built.people[a.maker]
        trainers.append(ProposedTrainer(a.maker, maker.code, maker.name, "manufacturer"))
        text = _("{name} ({code}) is the manufacturer engineer the clause asks for")
        parts.append(", ".join([text.format(name=maker.name, code=maker.code), *whereabouts(maker, need, load)]))
    room = built.rooms[a.room] if a.room is not None else None
    if room is not None:
        text = _("room {name} seats {capacity}, the clause asks for at least {minimum}")
        parts.append(text.format(name=room.name, capacity=room.capacity, minimum=need.obligation.min_trainees))
    for check in need.period.sessions:
        if check.status in ("planned", "confirmed"):
            text = _("{code} is planned for this period but {problems}: move or cancel it")
            parts.append(text.format(code=check.code, problems="; ".join(check.problems)))
    assert need.obligation.id is not None and need.project.id is not None and need.version.id is not None
    return Proposal(
        need.project.code,
        need.project.id,
        need.obligation.code,
        need.obligation.id,
        need.period.period,
        start,
        end,
        need.course.code,
        need.version.id,
        need.obligation.mode,
        room.name if room is not None else need.project.site,
        need.project.city,
        days,
        tuple(trainers),
        a.room,
        room.name if room is not None else None,
        room.capacity if room is not None else max(30, need.obligation.min_trainees),
        "; ".join(parts),
    )


def whereabouts(person: Person, need: Need, load: dict[int, int]) -> list[str]:
    where = _("travels from {city}") if away(person, need.project.city) else _("based in {city}")
    return [
        where.format(city=person.home_city or need.project.city),
        _("sessions in this plan: {count}").format(count=load[person.id or 0]),
    ]
