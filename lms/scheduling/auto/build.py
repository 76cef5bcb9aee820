# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Turning needs into the solvers' problem: who may teach, which days each is free, which rooms fit."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lms.credentials.qualification import course_grants, lapses_in
from lms.i18n import _
from lms.models import (
    Organisation,
    Person,
    Room,
    SessionDay,
    SessionTrainer,
    SkillRecord,
    TrainerBusy,
    TrainingSession,
)
from lms.scheduling.auto.cpsat import Demand, Problem
from lms.scheduling.auto.types import DAY_HOURS, HORIZON_MARGIN_DAYS, MAX_GAP_DAYS, Need, Unplaced


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
    grants: dict[int, dict[int, str]]  # course id → the skills (id → code) a trainer must hold


def build_problem(*, session: Session, needs: list[Need], axis: list[dt.date], uncovered: set[int]) -> Built:
    """One demand per need that has at least one feasible day, team and room; the others explained."""
    rows = session.exec(
        select(Person, Organisation)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(col(Person.kind).in_(("trainer", "engineer")), col(Person.retired_at).is_(None))
    ).all()
    people = {p.id: p for p, _org in rows if p.id is not None}
    room_rows = session.exec(
        select(Room, Organisation)
        .outerjoin(Organisation, col(Organisation.id) == Room.organisation_id)
        .where(col(Room.retired_at).is_(None))
    )
    records: dict[int, list[SkillRecord]] = defaultdict(list)
    for record in session.exec(select(SkillRecord).where(col(SkillRecord.person_id).in_(list(people)))):
        records[record.person_id].append(record)
    grants = course_grants(session, {need.course.id for need in needs if need.course.id is not None})
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
    from lms.calendars.ical_events import site_timezone

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

    skills = built.grants.get(need.course.id or 0, {})
    holders = {p: [r for r in records if r.skill_id in skills] for p, records in built.records.items()}
    qualified = {
        p: [s for s in starts if not lapses_in(records, skills, axis[s], axis[s + n - 1])]
        for p, records in holders.items()
        if records or not skills
    }
    qualified = {p: v for p, v in qualified.items() if v}
    if not qualified:
        text = _(
            "nobody holds a valid skill for {course} between {first} and {end}; give a trainer the skill with "
            "`lms skills add --person CODE --skill {skills} --from DATE --issuer WHO`, or add the trainer first "
            "with `lms people add CODE --kind trainer --name NAME --org ORG`"
        )
        skill_codes = "|".join(sorted(skills.values())) or "SKILL"
        return need.unplaced("no_qualified_trainer", text.format(skills=skill_codes, **window))
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


def away(person: Person, city: str) -> bool:
    return bool(person.home_city) and person.home_city != city
