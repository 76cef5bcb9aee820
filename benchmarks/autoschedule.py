"""Auto-scheduling at scale: 500 obligations, 50 trainers, 20 rooms over 2026, greedy against CP-SAT.

The instance is feasible by construction: every obligation's window is drawn around a *planted* session (a start
day, a qualified trainer, a technical lead, manufacturer engineer or room when asked) that does not clash with any
other planted session or the trainer's own busy times, so a perfect plan places all 500. Acceptance dates bunch
up in a year-end rush, windows are a few working days, skills are spread thin and trainers have weekly busy slots
(rows in TrainerBusy, as ``lms schedule import-busy`` writes them), so the first free slot is often the wrong one.

Run: ``.venv/bin/python benchmarks/autoschedule.py [--seed 7] [--time-limit 7] [--rush 0.4]``.
Prints build, greedy and CP-SAT figures, CP-SAT's objective, best bound and gap, and the ratio to greedy; then
applies the CP-SAT plan and checks it with ``lms.scheduling.conflicts.find_conflicts``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session  # noqa: E402

from lms.calendars.workdays import ChinaCalendar  # noqa: E402
from lms.db import make_engine, upgrade_schema  # noqa: E402
from lms.models import (  # noqa: E402
    Course,
    CourseSkillGrant,
    CourseVersion,
    Milestone,
    Obligation,
    Organisation,
    Person,
    Project,
    ProjectCourse,
    Room,
    Skill,
    SkillRecord,
    TrainerBusy,
)
from lms.scheduling.auto.planner import Plan, apply_plan, plan_schedule  # noqa: E402
from lms.scheduling.conflicts import find_conflicts  # noqa: E402

CITIES = ["杭州", "上海", "南京", "苏州", "宁波"]
TODAY = dt.date(2025, 12, 31)
TZ = ZoneInfo("Asia/Shanghai")
BAD = {"trainer_double_booked", "room_double_booked", "trainer_unqualified", "non_working_day", "outside_window"}
# The four clauses of every project: length, place, and how often they ask for a technical lead / manufacturer.
CLAUSES: list[dict[str, Any]] = [
    {"days": 2, "place": "buyer_site", "lead": 0.35, "maker": 0.0},
    {"days": 1, "place": "training_centre", "lead": 0.0, "maker": 0.0},
    {"hours": 4, "place": "buyer_site", "lead": 0.0, "maker": 0.2},
    {"days": 3, "place": "buyer_site", "lead": 0.1, "maker": 0.0},
]


@dataclass
class Pools:
    """Who and what the planted sessions may use, and the day indices already taken."""

    qualified: dict[int, list[tuple[Person, dt.date | None]]] = field(default_factory=lambda: defaultdict(list))
    makers: list[Person] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    busy: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # own calendar and planted
    room_busy: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


@dataclass(frozen=True)
class Clause:
    course: int
    roles: list[str]
    city: str
    seats: int
    room: bool


def working_days(calendar: ChinaCalendar) -> list[dt.date]:
    day, days = dt.date(2026, 1, 1), []
    while day.year == 2026:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def generate(session: Session, rng: random.Random, rush: float) -> dict[str, int]:
    """Write the instance; returns its size. Planting keeps every window open around a conflict-free session."""
    calendar = ChinaCalendar()
    axis = working_days(calendar)
    vendor = Organisation(code="V", kind="vendor", name_zh="供应商", name_en="Vendor")
    maker_org = Organisation(code="M", kind="manufacturer", name_zh="厂家", name_en="Maker")
    buyers = [Organisation(code=f"B{i}", kind="buyer", name_zh=c, name_en=c, city=c) for i, c in enumerate(CITIES)]
    session.add_all([vendor, maker_org, *buyers])
    session.flush()
    versions: list[CourseVersion] = []
    skills: list[Skill] = []
    for n in range(10):
        course = Course(code=f"C{n}", title_zh=f"课程{n}", title_en=f"Course {n}")
        skill = Skill(code=f"SK{n}", name_zh=f"技能{n}", name_en=f"Skill {n}")
        session.add_all([course, skill])
        session.flush()
        version = CourseVersion(course_id=course.id, version=1, content_hash=f"{n:064}")
        session.add(version)
        session.flush()
        session.add(CourseSkillGrant(course_version_id=version.id, skill_id=skill.id))
        versions.append(version)
        skills.append(skill)
    people: list[Person] = []
    pools = Pools()
    for n in range(50):
        maker = n >= 46
        person = Person(
            code=f"T{n:02}",
            kind="engineer" if maker else "trainer",
            name=f"讲师{n}",
            organisation_id=(maker_org if maker else vendor).id,
            home_city=CITIES[n % 5],
            is_technical_lead=not maker and n % 8 == 0,
        )
        session.add(person)
        people.append(person)
    session.flush()
    for person in people[:46]:
        for number in rng.sample(range(10), 3 if person.is_technical_lead else 2):
            until = dt.date(2026, rng.randint(6, 12), 28) if rng.random() < 0.1 else None
            session.add(
                SkillRecord(person_id=person.id, skill_id=skills[number].id, valid_from=TODAY, valid_until=until)
            )
            pools.qualified[number].append((person, until))
    busy_rows = 0
    for person in people:
        weekday = rng.randrange(5)
        for i, day in enumerate(axis):
            if day.weekday() == weekday and rng.random() < 0.7:  # a weekly meeting, now and then skipped
                start = dt.datetime.combine(day, dt.time(rng.choice([9, 14])), tzinfo=TZ)
                session.add(TrainerBusy(person_id=person.id, starts_at=start, ends_at=start + dt.timedelta(hours=2)))
                pools.busy[person.id or 0].add(i)
                busy_rows += 1
    rooms = []
    for n in range(20):
        room = Room(code=f"R{n:02}", name=f"{CITIES[n % 5]} 教室 {n}", organisation_id=vendor.id, city=CITIES[n % 5])
        room.capacity = rng.choice([12, 16, 24, 30])
        rooms.append(room)
    session.add_all(rooms)
    session.flush()
    pools.makers, pools.rooms = people[46:], rooms
    obligations = 0
    for p in range(125):
        city = p % 5
        number = rng.randrange(10)  # the project's course
        if rng.random() < rush:  # year-end rush: acceptance in the second half of November
            accepted = rng.randrange(axis.index(dt.date(2026, 11, 16)), axis.index(dt.date(2026, 11, 27)))
        else:
            accepted = rng.randrange(5, len(axis) - 40)
        project = Project(
            code=f"P{p:03}", name_zh=f"项目{p}", name_en=f"Project {p}", buyer_id=buyers[city].id,
            site=f"{CITIES[city]} 现场 {p}", city=CITIES[city],
        )  # fmt: skip
        session.add(project)
        session.flush()
        session.add(ProjectCourse(project_id=project.id, course_id=versions[number].course_id))
        session.add(Milestone(project_id=project.id, kind="acceptance", actual_date=axis[accepted]))
        for k, clause in enumerate(CLAUSES):
            length = clause.get("days") or 1
            roles = [
                r for r, key in (("technical_lead", "lead"), ("manufacturer", "maker")) if rng.random() < clause[key]
            ]
            seats = rng.choice([8, 10, 12, 16, 20])
            offset = rng.randint(2, 6)
            while True:  # widen the window until a planted session fits
                starts = list(range(accepted + 1, min(accepted + offset + 1, len(axis) - length)))
                rng.shuffle(starts)
                wanted = Clause(number, roles, CITIES[city], seats, clause["place"] == "training_centre")
                if plant(starts, length, wanted, axis, pools, rng):
                    break
                offset += 2
                if offset > 20:  # nobody could ever serve it as drawn: relax the clause, keep the instance feasible
                    roles, seats = [], 8
                if offset > 80:
                    raise RuntimeError(f"cannot plant project {p} clause {k + 1}")
            session.add(
                Obligation(
                    project_id=project.id, code=f"OB-{k + 1}", clause_text=f"clause {k + 1}", anchor="acceptance",
                    offset_days=offset, mode="on_site" if clause["place"] == "buyer_site" else "centralised",
                    place=clause["place"], min_trainees=seats if clause["place"] == "training_centre" else 5,
                    min_days=clause.get("days", 0), min_hours=clause.get("hours", 0), course_codes=[f"C{number}"],
                    required_trainer_roles=roles or None,
                )
            )  # fmt: skip
            obligations += 1
    session.commit()
    return {"obligations": obligations, "trainers": len(people), "rooms": len(rooms), "busy rows": busy_rows}


def plant(
    starts: list[int],
    length: int,
    clause: Clause,
    axis: list[dt.date],
    pools: Pools,
    rng: random.Random,
) -> bool:
    """Find and mark a conflict-free session for one obligation; False when none fits these starts."""
    for s in starts:
        days = set(range(s, s + length))
        if (axis[s + length - 1] - axis[s]).days > length - 1 + 3:
            continue
        leads = [
            person for person, until in pools.qualified[clause.course]
            if not pools.busy[person.id or 0] & days and (until is None or until >= axis[s + length - 1])
            and (person.is_technical_lead or "technical_lead" not in clause.roles)
        ]  # fmt: skip
        makers = [m for m in pools.makers if not pools.busy[m.id or 0] & days]
        rooms = [r for r in pools.rooms if r.city == clause.city and r.capacity >= clause.seats]
        rooms = [r for r in rooms if not pools.room_busy[r.id or 0] & days]
        if not leads or ("manufacturer" in clause.roles and not makers) or (clause.room and not rooms):
            continue
        pools.busy[rng.choice(leads).id or 0] |= days
        if "manufacturer" in clause.roles:
            pools.busy[rng.choice(makers).id or 0] |= days
        if clause.room:
            pools.room_busy[rng.choice(rooms).id or 0] |= days
        return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--time-limit",
        type=float,
        default=7.0,
        help="planning budget in seconds: reading the database, greedy and CP-SAT",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rush", type=float, default=0.4, help="share of projects accepted in the year-end rush")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_schema(engine)
        with Session(engine, expire_on_commit=False) as session:
            began = time.perf_counter()
            size = generate(session, random.Random(args.seed), args.rush)
            print(f"instance: {size} (generated in {time.perf_counter() - began:.1f} s)")
            began = time.perf_counter()
            plan = plan_schedule(
                session=session, calendar=ChinaCalendar(), today=TODAY, solver="cpsat",
                time_limit=args.time_limit, workers=args.workers,
            )  # fmt: skip
            total = time.perf_counter() - began
            report(plan, total)
            created = apply_plan(session=session, plan=plan)
            bad = [c for c in find_conflicts(session, ChinaCalendar(), TODAY) if c.kind in BAD]
            print(f"applied {len(created)} sessions; conflicts of kinds {sorted(BAD)}: {len(bad)}")
        engine.dispose()


def report(plan: Plan, total: float) -> None:
    greedy, cpsat = plan.runs
    kinds: dict[str, int] = defaultdict(int)
    for item in plan.unplaced:
        kinds[item.kind] += 1
    unplaceable = len(plan.unplaced) - (cpsat.demands - cpsat.placed)
    print(f"needs: {greedy.demands} placeable, {unplaceable} not placeable at all; build {plan.build_seconds:.2f} s")
    print(f"{'solver':7} {'seconds':>7} {'placed':>6} {'missed':>6} {'busiest':>7} {'trips':>5} {'objective':>9} "
          f"{'bound':>6} {'gap':>6}")  # fmt: skip
    for run in (greedy, cpsat):
        bound = "-" if run.bound is None else str(run.bound)
        gap = "-" if run.gap is None else f"{run.gap:.1%}"
        print(f"{run.solver:7} {run.seconds:7.2f} {run.placed:6} {run.demands - run.placed:6} {run.busiest:7} "
              f"{run.trips:5} {run.objective:9} {bound:>6} {gap:>6}")  # fmt: skip
    print(f"CP-SAT: status {cpsat.status}; proves no plan places more than {cpsat.placed_bound} of {cpsat.demands}")
    print(f"CP-SAT vs greedy: placed {cpsat.placed} vs {greedy.placed}, objective ratio "
          f"{cpsat.objective / max(1, greedy.objective):.3f}")  # fmt: skip
    if cpsat.bound is not None:
        print(f"greedy's gap to CP-SAT's bound: {(greedy.objective - cpsat.bound) / max(1, greedy.objective):.1%}")
    print(f"solver part (build + greedy + CP-SAT): {total:.2f} s; unplaced by kind: {dict(kinds)}")


if __name__ == "__main__":
    main()
