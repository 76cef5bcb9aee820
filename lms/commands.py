"""Core command groups beyond the basics: projects."""

from __future__ import annotations

from pathlib import Path

import typer

from lms.cli_support import FORMAT_OPTION, OutputFormat, emit, emit_rows, runtime
from lms.i18n import _, pick
from lms.overview import project_rows
from lms.projects import import_projects, load_projects_file


def register_core_commands(app: typer.Typer) -> None:
    """Add the ``projects`` group."""
    projects = typer.Typer(help=_("Projects, milestones and tender obligations."), no_args_is_help=True)

    @projects.command("import")
    def import_(ctx: typer.Context, path: Path) -> None:
        """Import buyers, projects, milestones and obligations from a projects YAML file."""
        rt = runtime(ctx)
        spec, document = load_projects_file(path)
        with rt.session() as session:
            counts = import_projects(session, spec, document, pm=rt.pm)
        emit(_("imported {projects} projects, {obligations} obligations, {buyers} buyers").format(**counts))

    @projects.command("list")
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

    app.add_typer(projects, name="projects")
