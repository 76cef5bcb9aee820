"""Core command groups beyond the basics: projects."""

from __future__ import annotations

from pathlib import Path

import typer

from lms.calendars.dates import working_today
from lms.calendars.workdays import get_calendar
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, parse_date, runtime
from lms.i18n import _, pick
from lms.models.lookup import project_by_code
from lms.projects.obligations import displaced_sessions, milestone_label, portfolio_status
from lms.projects.periods import period_name
from lms.projects.projects_file import import_projects, load_projects_file, set_milestone_date
from lms.scheduling.lifecycle import settle_all
from lms.scheduling.overview import project_rows


def register_core_commands(app: typer.Typer) -> None:
    """Add the ``projects``, ``obligations``, ``schedule`` and ``quiz`` groups."""
    projects = typer.Typer(help=_("Projects, milestones and tender obligations."), no_args_is_help=True)

    @projects.command(
        "import", help=_("Import buyers, projects, milestones and obligations from a projects YAML file.")
    )
    def import_(ctx: typer.Context, path: Path) -> None:
        """Import buyers, projects, milestones and obligations from a projects YAML file."""
        rt = runtime(ctx)
        spec, document = load_projects_file(path)
        with rt.session() as session:
            counts = import_projects(session, spec, document, pm=rt.pm)
        emit(_("imported {projects} projects, {obligations} obligations, {buyers} buyers").format(**counts))

    @projects.command("list", help=_("Projects with their buyer and acceptance date."))
    def list_(ctx: typer.Context, fmt: OutputFormat = FORMAT_OPTION) -> None:
        """Projects with their buyer and acceptance date."""
        with runtime(ctx).session() as session:
            rows = project_rows(session)
        for row in rows:
            row["name"] = pick({"zh": row["name_zh"], "en": row["name_en"]})
        emit_rows(
            fmt,
            [_("Project"), _("Name"), _("City"), _("Acceptance (planned)"), _("Acceptance (actual)")],
            ["code", "name", "city", "acceptance_planned", "acceptance_actual"],
            rows,
        )

    @projects.command(
        "set-date", help=_("Move a milestone; every obligation window is recomputed, nothing is deleted.")
    )
    def set_date(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("project code")),
        milestone: str = typer.Argument(..., help=_("delivery | installation | acceptance")),
        date: str = typer.Argument(..., help=_("YYYY-MM-DD, or 'none' to clear")),
        planned: bool = typer.Option(False, "--planned", help=_("change the planned date, not the actual one")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        rt = runtime(ctx)
        day = None if date.strip().lower() == "none" else parse_date(date, "DATE")
        today = working_today()
        with rt.session() as session:
            before, after = set_milestone_date(
                session, project_code=code, kind=milestone, day=day, planned=planned, pm=rt.pm
            )
            displaced = displaced_sessions(session, code, get_calendar(pm=rt.pm, session=session), today)
        if fmt == OutputFormat.json:
            emit_json(
                {
                    "project": code,
                    "milestone": milestone,
                    "planned": planned,
                    "before": before,
                    "after": after,
                    "displaced": [d.__dict__ for d in displaced],
                }
            )
            return
        emit(
            _("{code} {milestone}: {before} → {after}").format(
                code=code, milestone=milestone_label(milestone), before=before or "—", after=after or "—"
            )
        )
        if not displaced:
            emit(_("every planned session still sits in its window"))
        for item in displaced:
            emit(
                _("{session} ({obligation} {period}) starts {day}, outside {start}–{end}: {advice}").format(
                    session=item.session,
                    obligation=item.obligation,
                    period=period_name(item.period),
                    day=item.first_day,
                    start=item.window_start,
                    end=item.window_end,
                    advice=item.advice,
                )
            )

    app.add_typer(projects, name="projects")

    obligations = typer.Typer(help=_("Tender training obligations and whether they are met."), no_args_is_help=True)

    @obligations.command("status", help=_("Every obligation and period: window, status and the reason."))
    def status(
        ctx: typer.Context,
        project: str | None = typer.Option(None, "--project", help=_("only this project")),
        as_of: str | None = typer.Option(None, "--as-of", help=_("judge as of this date (YYYY-MM-DD)")),
        grid: bool = typer.Option(False, "--grid", help=_("one row per project and obligation, periods as columns")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        rt = runtime(ctx)
        today = parse_date(as_of, "--as-of") if as_of else working_today()
        with rt.session() as session:
            settle_all(session, working_today(), rt.pm)  # sessions whose attendance shows them held read "held"
            if project:
                project_by_code(session, project)
            if grid:
                from lms.cli.report import emit_portfolio_grid
                from lms.evidence.portfolio import portfolio_grid

                emit_portfolio_grid(
                    fmt, portfolio_grid(session, get_calendar(pm=rt.pm, session=session), today, project)
                )
                return
            results = portfolio_status(session, get_calendar(pm=rt.pm, session=session), today, project)
        rows = [result.as_dict() for result in results]
        for row in rows:
            row["window"] = f"{row['window_start'] or ''}–{row['window_end'] or ''}"
            row["left"] = row["working_days_left"] if row["working_days_left"] is not None else ""
        emit_rows(
            fmt,
            [_("Project"), _("Obligation"), _("Period"), _("Window"), _("Working days left"), _("Status"), _("Reason")],
            ["project", "obligation", "period_name", "window", "left", "status_label", "reason"],
            rows,
        )

    from lms.cli.tender import register_tender_commands

    register_tender_commands(projects, obligations)
    app.add_typer(obligations, name="obligations")
    from lms.cli.quiz import register_quiz_commands
    from lms.cli.schedule import register_schedule_commands

    register_schedule_commands(app)
    register_quiz_commands(app)
