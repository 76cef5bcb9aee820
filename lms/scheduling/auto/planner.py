# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Auto-scheduling: propose sessions for the obligation periods nobody serves yet, and say why for each one that
cannot be placed.

A period needs a session when its window is still open and no planned or confirmed session satisfies it (a missing
roster does not count: rosters are filled after planning, and counting it would re-propose every applied plan).
Each need becomes a :class:`~lms.scheduling.auto.cpsat.Demand` of N consecutive working days starting inside the
window, with the trainers who hold a skill the course grants (valid over those days) and are free on them (no other
session, no busy time from their own calendar between 09:00 and 17:00 site time), a technical lead or manufacturer
engineer when the clause asks, and a vendor room in the city big enough when it asks for a training centre. The
solvers in :mod:`lms.scheduling.auto.cpsat` then share people and rooms among the demands.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.edits import claim_version
from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar, working_days_after
from lms.credentials.qualification import covered_until
from lms.i18n import _
from lms.models import (
    Course,
    CourseVersion,
    Obligation,
    Person,
    Project,
    ProjectCourse,
    Room,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import find_by_code, same_code, session_by_code
from lms.projects.obligations import obligation_status
from lms.projects.periods import PeriodStatus, Status, anchor_date
from lms.scheduling.auto.build import Built, away, build_problem
from lms.scheduling.auto.cpsat import Assignment, Demand, Problem, Solution, load_and_trips, solve_greedy
from lms.scheduling.auto.types import (
    HORIZON_MARGIN_DAYS,
    HOURS_PER_DAY,
    LEAD_WORKING_DAYS,
    ROSTER_ONLY,
    Need,
    Plan,
    Proposal,
    ProposedTrainer,
    SolverRun,
    Unplaced,
    unplaced,
)
from lms.scheduling.sessions import create_session, move_session, set_trainers


def session_length(obligation: Obligation) -> int:
    """Working days the clause asks for: its minimum days, or its minimum hours at six teaching hours a day."""
    days = math.ceil(obligation.min_days) if obligation.min_days else 0
    hours = math.ceil(obligation.min_hours / HOURS_PER_DAY) if obligation.min_hours else 0
    return max(1, days, hours)


def served(period: PeriodStatus) -> bool:
    return any(c.status in ("planned", "confirmed") and set(c.problem_kinds) <= ROSTER_ONLY for c in period.sessions)


def find_needs(
    *,
    session: Session,
    calendar: WorkdayCalendar,
    today: dt.date,
    project_code: str | None = None,
    lead_days: int = LEAD_WORKING_DAYS,
) -> tuple[list[Need], list[Unplaced]]:
    """Open periods without a session that serves them, and the periods scheduling cannot help, with reasons.
    Nothing starts sooner than ``lead_days`` working days after today."""
    earliest = earliest_start(calendar, today, lead_days)
    statement = select(Obligation, Project).join(Project, col(Project.id) == Obligation.project_id)
    if project_code:
        statement = statement.where(same_code(Project.code, project_code))
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
            first = max(period.window_start, earliest)
            if period.status == Status.overdue or period.window_end < first:
                reason = _("the window already closed on {day}").format(day=period.window_end)
                lost.append(unplaced(period, "window_closed", reason))
            elif found is None:
                lost.append(unplaced(period, "no_course", _("the clause names no course and the project has none")))
            else:
                needs.append(Need(obligation, project, period, first, *found, session_length(obligation)))
    return needs, lost


def earliest_start(calendar: WorkdayCalendar, today: dt.date, lead_days: int) -> dt.date:
    """The first day a proposal may start: ``lead_days`` working days after today (at least tomorrow)."""
    try:
        return working_days_after(calendar, today, max(1, lead_days))
    except CalendarCoverageError:
        return today + dt.timedelta(days=max(1, lead_days))


def course_of(session: Session, obligation: Obligation, project: Project) -> tuple[CourseVersion, Course] | None:
    """The clause's first course, else the project's first; its newest version."""
    if obligation.course_codes:
        course = find_by_code(session, Course, obligation.course_codes[0])
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
    time_limit: float = 7.0,
    workers: int = 2,
    lead_days: int = LEAD_WORKING_DAYS,
) -> Plan:
    """Propose sessions for every open need (of one project, or all). ``solver``: ``greedy`` or ``cpsat`` (the
    greedy plan improved by CP-SAT; never fewer placements than greedy). ``time_limit`` bounds the whole call: CP-SAT
    searches for what is left after reading the database (at least a second), so the wait is predictable."""
    if solver not in ("greedy", "cpsat"):
        raise ValueError(f"unknown solver {solver!r}")
    began = time.perf_counter()
    needs, lost = find_needs(
        session=session, calendar=calendar, today=today, project_code=project_code, lead_days=lead_days
    )
    last = max((n.period.window_end or n.first for n in needs), default=today) + dt.timedelta(days=HORIZON_MARGIN_DAYS)
    axis, uncovered = working_axis(calendar, today + dt.timedelta(days=1), last)
    built = build_problem(session=session, needs=needs, axis=axis, uncovered=uncovered)
    plan = Plan(unplaced=lost + built.unplaced, build_seconds=time.perf_counter() - began)
    solutions: list[Solution] = [solve_greedy(built.problem)]
    if solver == "cpsat":
        from lms.scheduling.auto.cpsat import solve_cpsat

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
    """Create the proposed sessions as ``planned``, or move the session a proposal ``moves`` onto its days with its
    team (roster kept; trainers taken off get a CANCEL). Each change fires ``lms_session_changed`` and raises the
    session's SEQUENCE. The caller commits."""
    changed = []
    for proposal in plan.proposals:
        trainers = [(session.get(Person, t.person_id), t.role) for t in proposal.trainers]
        team = [(person, role) for person, role in trainers if person is not None]
        if proposal.moves is not None:
            changed.append(move_to_proposal(session, proposal, team, pm))
            continue
        version = session.get(CourseVersion, proposal.course_version_id)
        assert version is not None
        training = create_session(
            session,
            course_version=version,
            days=proposal.days,
            mode=proposal.mode,
            place=proposal.place,
            city=proposal.city,
            trainers=team,
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
        changed.append(training)
    session.flush()
    return changed


def move_to_proposal(session: Session, proposal: Proposal, team: list[tuple[Person, str]], pm: Any) -> TrainingSession:
    """The existing session on the proposal's days and room, taught by the proposal's (re-checked) team."""
    training = session_by_code(session, proposal.moves or "")
    claim_version(session, training, None, what=training.code)
    move_session(session, training, list(proposal.days), pm)
    current = {
        link.person_id: link.role
        for link in session.exec(select(SessionTrainer).where(SessionTrainer.session_id == training.id))
    }
    # the solver's team, re-checked for the new days; one already on the session keeps their role (a technical
    # lead stays one); anyone else is taken off and gets a CANCEL
    wanted = [(person, current.get(person.id or 0, role)) for person, role in team]
    if {person.id for person, _role in wanted} != set(current):
        set_trainers(session, training, wanted, pm)
    training.room_id = proposal.room_id if proposal.room_id is not None else training.room_id
    training.notes = _("moved by the auto-scheduler: {reason}").format(reason=proposal.reason)
    session.add(training)
    audit.record(
        session,
        action="session.move",
        entity="session",
        key=training.code,
        before=None,
        after={"days": [day.isoformat() for day in proposal.days], "trainers": [p.code for p, _r in wanted]},
    )
    return training


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
    skills = built.grants.get(need.course.id or 0, {})
    until = covered_until(built.records.get(a.lead, []), skills, days[0])
    about = [
        _("{name} ({code}) holds every skill {course} grants").format(
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
    moving = [check for check in need.period.sessions if check.status in ("planned", "confirmed")]
    if moving:  # the session that serves this period moves here, its roster with it: no new session beside it
        text = _("moves {code} (now {problems}), its roster kept")
        parts.append(text.format(code=moving[0].code, problems="; ".join(moving[0].problems)))
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
        moving[0].code if moving else None,
    )


def whereabouts(person: Person, need: Need, load: dict[int, int]) -> list[str]:
    where = _("travels from {city}") if away(person, need.project.city) else _("based in {city}")
    return [
        where.format(city=person.home_city or need.project.city),
        _("sessions in this plan: {count}").format(count=load[person.id or 0]),
    ]
