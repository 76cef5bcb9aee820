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

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

LOAD_WEIGHT = 10  # one session less on the busiest trainer is worth ten trips avoided


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


def objective(problem: Problem, assignments: Mapping[int, Assignment]) -> int:
    """What both solvers minimise: unplaced demands first, then the busiest person's load, then trips."""
    load = defaultdict(int, problem.base_load)
    trips = 0
    by_key = {d.key: d for d in problem.demands}
    for a in assignments.values():
        for person in (a.lead, a.maker):
            if person is not None:
                load[person] += 1
                trips += by_key[a.demand].travel.get(person, 0)
    unplaced = len(problem.demands) - len(assignments)
    return problem.placement_weight * unplaced + LOAD_WEIGHT * max(load.values(), default=0) + trips


def solve_greedy(problem: Problem) -> Solution:
    """Earliest deadline first; for each demand the earliest start with a free team, preferring local and less
    loaded people and the smallest room that fits. Milliseconds, but a tight early choice can starve a later one."""
    began = time.perf_counter()
    used: dict[tuple[str, int], set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int, problem.base_load)
    chosen: dict[int, Assignment] = {}

    for d in sorted(problem.demands, key=lambda d: (d.starts[-1], len(d.starts), -d.length, d.key)):
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
    """The exact model: an optional fixed-length interval per (demand, person or room) sharing the demand's start,
    no overlap per person and per room, exactly one lead (and engineer, and room, when asked) per placed demand.
    Minimises :func:`objective`. Hinted with ``hint`` (the greedy plan by default); never returns worse than it.
    ``time_limit`` covers building the model too, so it bounds the whole call."""
    from ortools.sat.python import cp_model

    began = time.perf_counter()
    hint = hint or solve_greedy(problem)
    model = cp_model.CpModel()
    intervals: dict[tuple[str, int], list[cp_model.IntervalVar]] = defaultdict(list)
    load_terms: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    starts: dict[int, cp_model.IntVar] = {}
    choices: dict[int, dict[tuple[str, int], cp_model.IntVar]] = defaultdict(dict)
    placed: dict[int, cp_model.IntVar] = {}
    trips: list[cp_model.LinearExprT] = []
    for d in problem.demands:
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(d.starts), f"start{d.key}")
        starts[d.key], placed[d.key] = start, model.new_bool_var(f"placed{d.key}")
        pools = [("lead", "p", d.leads), ("maker", "p", d.makers), ("room", "r", d.rooms)]
        for role, kind, pool in pools:
            if pool is None:
                continue
            literals = []
            for resource, allowed in pool.items():
                chosen = model.new_bool_var(f"{role}{d.key}_{resource}")
                if len(allowed) < len(d.starts):
                    domain = cp_model.Domain.from_values(sorted(allowed))
                    model.add_linear_expression_in_domain(start, domain).only_enforce_if(chosen)
                intervals[kind, resource].append(
                    model.new_optional_fixed_size_interval_var(start, d.length, chosen, f"i{role}{d.key}_{resource}")
                )
                choices[d.key][role, resource] = chosen
                literals.append(chosen)
                if kind == "p":
                    load_terms[resource].append(chosen)
                    if d.travel.get(resource):
                        trips.append(chosen)
            model.add(cp_model.LinearExpr.sum(literals) == placed[d.key])
    for group in intervals.values():
        if len(group) > 1:
            model.add_no_overlap(group)
    busiest = model.new_int_var(0, max(problem.base_load.values(), default=0) + len(problem.demands), "busiest")
    for person, terms in load_terms.items():
        model.add(cp_model.LinearExpr.sum(terms) + problem.base_load.get(person, 0) <= busiest)
    for person, count in problem.base_load.items():
        if person not in load_terms:
            model.add(busiest >= count)
    weight = problem.placement_weight
    unplaced = len(problem.demands) - cp_model.LinearExpr.sum(list(placed.values()))
    model.minimize(weight * unplaced + LOAD_WEIGHT * busiest + cp_model.LinearExpr.sum(trips))
    for d in problem.demands:
        a = hint.assignments.get(d.key)
        model.add_hint(starts[d.key], a.start if a else d.starts[0])
        model.add_hint(placed[d.key], a is not None)
        hinted = {("lead", a.lead), ("maker", a.maker), ("room", a.room)} if a else set()
        for option, literal in choices[d.key].items():
            model.add_hint(literal, option in hinted)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit - (time.perf_counter() - began))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    status_name = solver.status_name(status)
    bound = round(solver.best_objective_bound) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    placed_bound = len(problem.demands) - bound // weight if bound is not None else None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or round(solver.objective_value) > hint.objective:
        return Solution(
            "cpsat",
            dict(hint.assignments),
            status_name,
            hint.objective,
            bound,
            time.perf_counter() - began,
            placed_bound,
        )
    found: dict[int, Assignment] = {}
    for d in problem.demands:
        if not solver.boolean_value(placed[d.key]):
            continue
        picked = {role: r for (role, r), literal in choices[d.key].items() if solver.boolean_value(literal)}
        found[d.key] = Assignment(
            d.key, solver.value(starts[d.key]), picked["lead"], picked.get("maker"), picked.get("room")
        )
    value = objective(problem, found)
    return Solution("cpsat", found, status_name, value, bound, time.perf_counter() - began, placed_bound)
