"""The optimisation side of auto-scheduling, free of the database: the problem as plain numbers, the greedy
earliest-deadline-first baseline and the CP-SAT model that starts from it.

Time is counted in *working-day indices* (0 = the first working day of the horizon), so a session of N consecutive
working days is an interval of length N whatever weekends and 调休 lie between. Everything a single demand cannot
use (days a trainer is busy elsewhere, days outside a skill's validity, rooms already taken) is filtered out before
it gets here; what is left is the competition between demands for the same people and rooms.

The greedy plan lives next to the model on purpose: it is the model's warm start (``AddHint``) and the yardstick
the model is measured against, and :func:`solve_cpsat` never returns anything worse than it.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LOAD_WEIGHT = 10  # one session less on the busiest trainer is worth ten trips avoided
MAX_LITERALS = 150_000  # (demand, start, person or room) literals; beyond it, long windows keep their earliest starts


@dataclass(frozen=True)
class Demand:
    """One period of one obligation that needs a session; every option listed is feasible on its own."""

    key: int
    length: int
    starts: tuple[int, ...]  # allowed first-day indices, ascending (the deadline is the last one)
    leads: Mapping[int, frozenset[int]]  # person id -> starts at which they are qualified and free
    makers: Mapping[int, frozenset[int]] | None = None  # manufacturer engineers, when the clause asks for one
    rooms: Mapping[int, frozenset[int]] | None = None  # training rooms, when the clause asks for a training centre
    travel: Mapping[int, int] = field(default_factory=dict)  # person id -> 1 when they would travel to the city


@dataclass(frozen=True)
class Problem:
    demands: tuple[Demand, ...]
    base_load: Mapping[int, int] = field(default_factory=dict)  # sessions a person already teaches in the horizon
    room_capacity: Mapping[int, int] = field(default_factory=dict)

    @property
    def placement_weight(self) -> int:
        """Larger than anything load and travel can add up to, so placing one more demand always wins."""
        worst_load = max(self.base_load.values(), default=0) + len(self.demands)
        return LOAD_WEIGHT * worst_load + 2 * len(self.demands) + 1


@dataclass(frozen=True)
class Assignment:
    demand: int
    start: int
    lead: int
    maker: int | None = None
    room: int | None = None


@dataclass
class Solution:
    solver: str
    assignments: dict[int, Assignment]
    status: str
    objective: int
    bound: int | None
    wall_seconds: float
    placed_bound: int | None = None  # proven most demands any plan can place (CP-SAT), None when unknown

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        return (self.objective - self.bound) / max(1, abs(self.objective))


def load_and_trips(problem: Problem, assignments: Mapping[int, Assignment]) -> tuple[int, int]:
    """Sessions of the busiest person (those they already teach included) and trips out of people's home cities."""
    load = defaultdict(int, problem.base_load)
    trips = 0
    by_key = {d.key: d for d in problem.demands}
    for a in assignments.values():
        for person in (a.lead, a.maker):
            if person is not None:
                load[person] += 1
                trips += by_key[a.demand].travel.get(person, 0)
    return max(load.values(), default=0), trips


def objective(problem: Problem, assignments: Mapping[int, Assignment]) -> int:
    """What both solvers minimise: unplaced demands first, then the busiest person's load, then trips."""
    busiest, trips = load_and_trips(problem, assignments)
    unplaced = len(problem.demands) - len(assignments)
    return problem.placement_weight * unplaced + LOAD_WEIGHT * busiest + trips


def solve_greedy(problem: Problem) -> Solution:
    """Earliest deadline first (the most constrained first among equal deadlines); for each demand the earliest start
    with a free team, preferring local and less loaded people and the smallest room that fits. Milliseconds, but a
    tight early choice can starve a later one."""
    began = time.perf_counter()
    used: dict[tuple[str, int], set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int, problem.base_load)
    chosen: dict[int, Assignment] = {}

    def urgency(d: Demand) -> tuple[int, int, int, int]:  # deadline first; then the fewest (start, trainer) options
        return d.starts[-1], sum(len(allowed) for allowed in d.leads.values()), -d.length, d.key

    for d in sorted(problem.demands, key=urgency):
        people_rank = {p: (d.travel.get(p, 0), load[p]) for p in (*d.leads, *(d.makers or {}))}
        room_rank = {r: (problem.room_capacity.get(r, 0), 0) for r in d.rooms or {}}
        for s in d.starts:
            days = range(s, s + d.length)
            lead = _pick(d.leads, used, "p", s, days, people_rank)
            if lead is None:
                continue
            makers = {p: v for p, v in (d.makers or {}).items() if p != lead}
            maker = _pick(makers, used, "p", s, days, people_rank) if d.makers is not None else None
            room = _pick(d.rooms, used, "r", s, days, room_rank) if d.rooms is not None else None
            if (d.makers is not None and maker is None) or (d.rooms is not None and room is None):
                continue
            for kind, resource in (("p", lead), ("p", maker), ("r", room)):
                if resource is not None:
                    used[kind, resource].update(days)
            for person in (lead, maker):
                if person is not None:
                    load[person] += 1
            chosen[d.key] = Assignment(d.key, s, lead, maker, room)
            break
    value = objective(problem, chosen)
    return Solution("greedy", chosen, "FEASIBLE", value, None, time.perf_counter() - began)


def _pick(
    pool: Mapping[int, frozenset[int]],
    used: Mapping[tuple[str, int], set[int]],
    kind: str,
    start: int,
    days: range,
    rank: Mapping[int, tuple[int, int]],
) -> int | None:
    """The best-ranked resource of ``pool`` that may start at ``start`` and is not yet used on ``days``."""
    free = [r for r, allowed in pool.items() if start in allowed and used.get((kind, r), set()).isdisjoint(days)]
    return min(free, key=lambda r: (*rank.get(r, (0, 0)), r)) if free else None


def solve_cpsat(
    problem: Problem, *, hint: Solution | None = None, time_limit: float = 8.0, workers: int = 2, seed: int = 1
) -> Solution:
    """Lexicographic, as :func:`objective` ranks plans: first place as many demands as possible (only searched when
    the hint leaves some out; stops as soon as all are placed), then keep that many and minimise load and travel.
    Afterwards :func:`left_shift` moves sessions earlier where the same team is free, so a session starts later only
    for a reason. Time-indexed: one literal per (demand, start, person or room), at most one literal per person-day
    and room-day; its LP relaxation gives a usable bound where an interval model's did not. Hinted with ``hint`` (the
    greedy plan by default) and never worse than it. ``time_limit`` covers building the model too."""
    from ortools.sat.python import cp_model

    began = time.perf_counter()
    hint = hint or solve_greedy(problem)
    n = len(problem.demands)
    model = TimeIndexed(problem, keep=hint)
    best, placed_bound, status = dict(hint.assignments), n, "FEASIBLE"

    def left(share: float = 1.0) -> float:
        return max(0.1, share * (time_limit - (time.perf_counter() - began)))

    if len(best) < n:
        model.model.maximize(cp_model.LinearExpr.sum(list(model.placed.values())))
        found, bound, status = model.run(best, left(0.6), workers, seed, stop_at=n)
        best = found if len(found) > len(best) else best
        if status == "OPTIMAL":
            placed_bound = len(best)
        elif bound is not None:
            placed_bound = max(len(best), min(n, math.floor(bound)))
    model.model.clear_objective()
    model.model.add(cp_model.LinearExpr.sum(list(model.placed.values())) >= len(best))
    model.model.minimize(LOAD_WEIGHT * model.busiest + cp_model.LinearExpr.sum(model.trips))
    found, cost_bound, status = model.run(best, left(), workers, seed)
    if found and objective(problem, found) <= objective(problem, best):
        best = found
    best = left_shift(problem, best)
    weight, value = problem.placement_weight, objective(problem, best)
    proven = placed_bound == len(best) and cost_bound is not None
    bound = weight * (n - placed_bound) + (math.ceil(cost_bound) if proven and cost_bound is not None else 0)
    return Solution("cpsat", best, status, value, min(bound, value), time.perf_counter() - began, placed_bound)


def left_shift(problem: Problem, assignments: Mapping[int, Assignment]) -> dict[int, Assignment]:
    """Move each session to the earliest start at which its own people and room are allowed and free: the same
    load and travel, so never worse, and no session later than it need be (CP-SAT is indifferent to the day)."""
    by_key = {d.key: d for d in problem.demands}
    used: dict[tuple[str, int], set[int]] = defaultdict(set)
    for a in assignments.values():
        for kind, resource in (("p", a.lead), ("p", a.maker), ("r", a.room)):
            if resource is not None:
                used[kind, resource].update(range(a.start, a.start + by_key[a.demand].length))
    shifted = {}
    for a in sorted(assignments.values(), key=lambda a: a.start):
        d = by_key[a.demand]
        team = [
            (kind, r, pool)
            for kind, r, pool in (("p", a.lead, d.leads), ("p", a.maker, d.makers), ("r", a.room, d.rooms))
            if r is not None and pool is not None
        ]
        for kind, resource, _pool in team:
            used[kind, resource].difference_update(range(a.start, a.start + d.length))
        start = next(
            s
            for s in d.starts
            if s == a.start
            or all(s in pool[r] and used[kind, r].isdisjoint(range(s, s + d.length)) for kind, r, pool in team)
        )
        for kind, resource, _pool in team:
            used[kind, resource].update(range(start, start + d.length))
        shifted[a.demand] = Assignment(a.demand, start, a.lead, a.maker, a.room)
    return shifted


class TimeIndexed:
    """The CP-SAT model and its literals; starts may be thinned (earliest first) to keep it under ``MAX_LITERALS``."""

    def __init__(self, problem: Problem, keep: Solution) -> None:
        from ortools.sat.python import cp_model

        self.problem, self.model = problem, cp_model.CpModel()
        self.placed: dict[int, Any] = {}
        self.options: dict[int, dict[int, tuple[Any, dict[tuple[str, int], Any]]]] = {}
        self.trips: list[Any] = []
        covers: dict[tuple[str, int, int], list[Any]] = defaultdict(list)
        loads: dict[int, list[Any]] = defaultdict(list)
        starts = thinned(problem, keep)
        for d in problem.demands:
            pools = [("lead", d.leads), ("maker", d.makers), ("room", d.rooms)]
            self.options[d.key] = {}
            for s in starts[d.key]:
                here = self.model.new_bool_var(f"d{d.key}s{s}")
                chosen: dict[tuple[str, int], Any] = {}
                for role, pool in pools:
                    if pool is None:
                        continue
                    literals = []
                    for resource in (r for r, allowed in pool.items() if s in allowed):
                        literal = chosen[role, resource] = self.model.new_bool_var(f"d{d.key}s{s}{role}{resource}")
                        literals.append(literal)
                        kind = "r" if role == "room" else "p"
                        for day in range(s, s + d.length):
                            covers[kind, resource, day].append(literal)
                        if kind == "p":
                            loads[resource].append(literal)
                            if d.travel.get(resource):
                                self.trips.append(literal)
                    self.model.add(cp_model.LinearExpr.sum(literals) == here)
                self.options[d.key][s] = (here, chosen)
            self.placed[d.key] = self.model.new_bool_var(f"placed{d.key}")
            here_all = [here for here, _chosen in self.options[d.key].values()]
            self.model.add(cp_model.LinearExpr.sum(here_all) == self.placed[d.key])
        for literals in covers.values():
            if len(literals) > 1:
                self.model.add_at_most_one(literals)
        base = max(problem.base_load.values(), default=0)
        self.busiest = self.model.new_int_var(base, base + len(problem.demands), "busiest")
        for person, literals in loads.items():
            self.model.add(cp_model.LinearExpr.sum(literals) + problem.base_load.get(person, 0) <= self.busiest)

    def hint(self, assignments: Mapping[int, Assignment]) -> None:
        """A complete hint (every literal, and the load it implies), so CP-SAT starts from this plan at once."""
        self.model.clear_hints()
        load = defaultdict(int, self.problem.base_load)
        for key, starts in self.options.items():
            a = assignments.get(key)
            self.model.add_hint(self.placed[key], a is not None)
            picked = {("lead", a.lead), ("maker", a.maker), ("room", a.room)} if a else set()
            for s, (here, chosen) in starts.items():
                self.model.add_hint(here, a is not None and a.start == s)
                for option, literal in chosen.items():
                    self.model.add_hint(literal, a is not None and a.start == s and option in picked)
            for person in (a.lead, a.maker) if a else ():
                if person is not None:
                    load[person] += 1
        self.model.add_hint(self.busiest, max(load.values(), default=0))

    def run(
        self, start_from: Mapping[int, Assignment], seconds: float, workers: int, seed: int, stop_at: int | None = None
    ) -> tuple[dict[int, Assignment], float | None, str]:
        """Solve from ``start_from``: the plan found and the objective's best bound (empty and None when nothing was
        found in time), and the status name."""
        from ortools.sat.python import cp_model

        self.hint(start_from)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed

        class StopWhenAllPlaced(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                if stop_at is not None and self.objective_value >= stop_at:
                    self.stop_search()

        status = solver.solve(self.model, StopWhenAllPlaced())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return {}, None, solver.status_name(status)
        found: dict[int, Assignment] = {}
        for key, starts in self.options.items():
            for s, (here, chosen) in starts.items():
                if solver.boolean_value(here):
                    picked = {role: r for (role, r), literal in chosen.items() if solver.boolean_value(literal)}
                    found[key] = Assignment(key, s, picked["lead"], picked.get("maker"), picked.get("room"))
        return found, solver.best_objective_bound, solver.status_name(status)


def thinned(problem: Problem, keep: Solution) -> dict[int, list[int]]:
    """Every demand's starts, or, when that would exceed ``MAX_LITERALS``, its earliest ones (and the hinted one)."""
    total = sum(len(a) for d in problem.demands for pool in (d.leads, d.makers, d.rooms) if pool for a in pool.values())
    result = {}
    for d in problem.demands:
        count = len(d.starts) if total <= MAX_LITERALS else max(3, len(d.starts) * MAX_LITERALS // total)
        chosen = set(d.starts[:count])
        if d.key in keep.assignments:
            chosen.add(keep.assignments[d.key].start)
        result[d.key] = sorted(chosen)
    return result
