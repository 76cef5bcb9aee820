"""``lms schedule auto``: propose sessions for unmet obligations, explain the rest, and create them on request.

Registered by :func:`lms.cli.schedule.register_schedule_commands`; the solver (and OR-Tools) is imported only
when the command runs, so ``lms --help`` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from lms.calendars.dates import working_today
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, parse_date, runtime
from lms.i18n import _
from lms.projects.periods import period_name
from lms.scheduling.auto.types import solver_name, solver_status_label

if TYPE_CHECKING:
    from lms.scheduling.auto.planner import Plan, Proposal


class SolverChoice(StrEnum):
    greedy = "greedy"
    cpsat = "cpsat"


def register_autoschedule_commands(schedule: typer.Typer) -> None:
    """Add ``auto`` to the ``schedule`` group."""

    @schedule.command(
        "auto",
        help=_(
            "Propose sessions for unmet obligations: deadlines, skills, busy times, rooms, load and travel; "
            "explain each one that cannot be placed. --apply creates the proposals as planned sessions."
        ),
    )
    def auto(
        ctx: typer.Context,
        project: str | None = typer.Option(None, "--project", help=_("only this project (project code)")),
        apply: bool = typer.Option(False, "--apply", help=_("create the proposed sessions (status planned)")),
        as_of: str | None = typer.Option(None, "--as-of", help=_("plan as if today were this date (YYYY-MM-DD)")),
        solver: SolverChoice = typer.Option(
            SolverChoice.cpsat,
            "--solver",
            help=_("greedy: earliest deadline first, instant; cpsat: the greedy plan improved by the CP-SAT solver"),
        ),
        time_limit: float = typer.Option(
            7.0,
            "--time-limit",
            min=0.1,
            help=_("seconds planning may take; CP-SAT searches for what is left after reading the database"),
        ),
        lead_days: int = typer.Option(
            3, "--lead-days", min=1, help=_("working days from today before a proposed session may start")
        ),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.calendars.workdays import get_calendar
        from lms.models.lookup import project_by_code
        from lms.scheduling.auto.planner import apply_plan, plan_schedule

        rt = runtime(ctx)
        today = parse_date(as_of, "--as-of") if as_of else working_today()
        with rt.session() as session:
            if project:
                project_by_code(session, project)
            plan = plan_schedule(
                session=session,
                calendar=get_calendar(pm=rt.pm, session=session),
                today=today,
                project_code=project,
                solver=solver.value,
                time_limit=time_limit,
                lead_days=lead_days,
            )
            changed = [training.code for training in apply_plan(session=session, plan=plan, pm=rt.pm)] if apply else []
        moved = [code for code in changed if code in {p.moves for p in plan.proposals}]
        created = [code for code in changed if code not in moved]
        if fmt == OutputFormat.json:
            emit_json(plan.as_dict() | {"applied": apply, "created": created, "moved": moved})
            return
        emit_plan(plan)
        if apply:
            if created or not moved:
                text = _("created {count} planned sessions: {codes}")
                emit(text.format(count=len(created), codes=", ".join(created)))
            if moved:
                text = _(
                    "moved {count} sessions (rosters kept; calendars updated, trainers taken off cancelled): {codes}"
                )
                emit(text.format(count=len(moved), codes=", ".join(moved)))
        elif plan.proposals:
            emit(_("nothing created yet: run again with --apply to create these sessions"))


def emit_plan(plan: Plan) -> None:
    """Proposals, then what could not be placed and why, then how each solver did."""
    if plan.proposals:
        emit(_("Proposed sessions"))
        emit_rows(
            OutputFormat.text,
            [_("Project"), _("Obligation"), _("Period"), _("Days"), _("Trainers"), _("Room"), _("Why")],
            ["project", "obligation", "period_name", "days", "trainers", "room", "reason"],
            [proposal_row(p) for p in plan.proposals],
        )
    else:
        emit(_("nothing to propose"))
    if plan.unplaced:
        emit("")
        emit(_("Not placed"))
        emit_rows(
            OutputFormat.text,
            [_("Project"), _("Obligation"), _("Period"), _("Window"), _("Reason")],
            ["project", "obligation", "period_name", "window", "reason"],
            [
                u.as_dict()
                | {
                    "window": f"{u.window_start}–{u.window_end}" if u.window_start else "",
                    "period_name": period_name(u.period),
                }
                for u in plan.unplaced
            ],
        )
    emit("")
    for run in plan.runs:
        emit(
            _(
                "{solver}: {placed} of {demands} placed, busiest person {busiest} sessions, {trips} trips; "
                "objective {objective}, bound {bound}, {seconds} s ({status})"
            ).format(
                solver=_("{name} ({code})").format(name=solver_name(run.solver), code=run.solver),
                placed=run.placed,
                demands=run.demands,
                busiest=run.busiest,
                trips=run.trips,
                objective=run.objective,
                bound="-" if run.bound is None else run.bound,
                seconds=f"{run.seconds:.2f}",
                status=solver_status_label(run.status),
            )
        )


def proposal_row(proposal: Proposal) -> dict[str, Any]:
    first, last = proposal.days[0], proposal.days[-1]
    days = f"{first}" if first == last else f"{first}–{last}"
    trainers = ", ".join(f"{t.name} ({t.code}, {role_label(t.role)})" for t in proposal.trainers)
    return proposal.as_dict() | {
        "days": f"{days} ({len(proposal.days)})",
        "trainers": trainers,
        "period_name": period_name(proposal.period),
    }


def role_label(role: str) -> str:
    return {"lead": _("lead"), "manufacturer": _("manufacturer")}.get(role, role)
