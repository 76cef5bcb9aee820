"""The full command line (Typer): every command, from the core and the plugins (``lms_register_commands``).

``lms.cli.app.main`` imports this only when the command is not a plugin's early start (``lms tui`` paints its
first frame without Typer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from typer.exceptions import TyperException

from lms.access.command_permissions import require_command
from lms.cli import fail
from lms.cli.frame import localise_frame, usage_error_text
from lms.cli.progress import BarReporter
from lms.cli.support import (
    FORMAT_OPTION,
    OutputFormat,
    Runtime,
    emit,
    emit_json,
    format_table,
    parse_date,
    runtime,
)
from lms.errors import LmsError
from lms.i18n import _
from lms.maintenance.progress import set_reporter
from lms.plugins import make_plugin_manager


def run_command_line(args: list[str], options: dict[str, str]) -> int:
    """Run the command ``args`` name with the global ``options`` taken out; its exit code. Typer's own ends
    (``Exit``, ``Abort``, usage errors) become exit codes here; a user-fixable ``LmsError`` goes up to ``main``."""
    pm = make_plugin_manager()
    root = typer.main.get_command(build_app(pm))
    command = command_words(root, args)
    if command:  # before its arguments are parsed: a refused role learns nothing from the usage errors
        require_command(command)
    localise_frame(root)
    obj = Runtime(db_url=options.get("--db"), pm=pm)
    set_reporter(BarReporter())  # the TUI puts its own in place while it runs
    try:
        result = root(args=args, prog_name="lms", standalone_mode=False, obj=obj)
    except typer.Exit as exit_:
        return int(exit_.exit_code)
    except typer.Abort:
        fail(_("aborted"))
        return 130
    except TyperException as error:
        text = usage_error_text(error)
        if not text:  # a group named alone (``lms sessions``): its help, shown above, is the answer
            return 0
        fail(text)
        return 1
    return result if isinstance(result, int) else 0


def build_app(pm: Any) -> typer.Typer:
    # The one --format option every listing shares is made at import; its help is said in this run's language.
    FORMAT_OPTION.help = _("text or json")
    app = typer.Typer(
        name="lms",
        help=_(
            "Training and certification for equipment vendors: courses, tender obligations, sessions, quizzes, "
            "certificates."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def root(
        db: str | None = typer.Option(
            None,
            "--db",
            help=_("database URL (default: LMS_DATABASE_URL or a file in the user's data folder)"),
        ),
        lang: str | None = typer.Option(None, "--lang", help=_("zh or en (default: LMS_LANG or the locale)")),
    ) -> None:
        """Options that every command accepts."""

    @app.command(help=_("Create the database or upgrade its schema in place (rows are kept)."))
    def init(ctx: typer.Context) -> None:
        """Create the database or upgrade its schema in place (rows are kept)."""
        rt = runtime(ctx)
        rt.engine()
        emit(_("database ready: {url}").format(url=shown_url(rt.db_url)))

    @app.command(
        help=_("Load demo data: a vendor, trainers, buyers, projects, obligations, sessions, attempts, certificates.")
    )
    def demo(
        ctx: typer.Context,
        seed: int = typer.Option(7, help=_("random seed; the same seed gives the same data")),
        as_of: str | None = typer.Option(None, "--as-of", help=_("pretend today is this date (YYYY-MM-DD)")),
        if_empty: bool = typer.Option(False, "--if-empty", help=_("do nothing when the database has data")),
    ) -> None:
        """Load demo data: a vendor, trainers, buyers, projects, obligations, sessions, attempts, certificates."""
        from lms.db import is_empty
        from lms.demo.loader import load_demo, summary_label

        rt = runtime(ctx)
        today = parse_date(as_of, "--as-of") if as_of else None
        with rt.session() as session:
            if not is_empty(session):
                if if_empty:
                    emit(_("the database already has data; demo not loaded"))
                    return
                raise LmsError(_("the database is not empty; use --db with a new database for the demo"))
            summary = load_demo(session, rt.pm, seed=seed, today=today)
        emit(_("demo loaded into {url}").format(url=shown_url(rt.db_url)))
        emit(format_table([_("What"), _("How many")], [[summary_label(key), value] for key, value in summary.items()]))

    @app.command(help=_("Check the database, fonts, working-day calendar and plugins; say how to fix what fails."))
    def doctor(ctx: typer.Context, fmt: OutputFormat = FORMAT_OPTION) -> None:
        """Check the database, fonts, working-day calendar and plugins; say how to fix what fails."""
        from lms.maintenance.doctor import run_checks

        rt = runtime(ctx)
        try:
            engine = rt.engine()
        except LmsError:
            engine = None
        results = run_checks(rt.pm, engine)
        if fmt == OutputFormat.json:
            emit_json([result.__dict__ for result in results])
        else:
            for result in results:
                mark = ("!" if result.warning else "✓") if result.ok else "✗"
                line = f"{mark} {result.name}: {result.detail}"
                if (not result.ok or result.warning) and result.fix:
                    line += f" — {_('fix')}: {result.fix}"
                emit(line)
        if not all(result.ok for result in results):
            raise typer.Exit(1)

    calendar_app = typer.Typer(help=_("Working-day calendar."), no_args_is_help=True)

    @calendar_app.command(
        "workdays",
        context_settings={"ignore_unknown_options": True},
        help=_("Print the date COUNT working days after DATE, counting strictly after DATE."),
    )
    def workdays(
        ctx: typer.Context,
        date: str = typer.Argument(..., help="YYYY-MM-DD"),
        count: int = typer.Argument(..., help=_("working days after DATE (negative: before)")),
        calendar: str | None = typer.Option(None, "--calendar", help=_("calendar code, CN by default")),
    ) -> None:
        """Print the date COUNT working days after DATE, counting strictly after DATE."""
        from lms.calendars.workdays import get_calendar, working_days_after

        start = parse_date(date, "DATE")
        try:
            with runtime(ctx).session() as session:
                found = get_calendar(calendar, pm, session=session)
        except LmsError:  # no database yet: the built-in and provisional years still answer
            found = get_calendar(calendar, pm)
        emit(working_days_after(found, start, count).isoformat())

    from lms.cli.calendar import register_calendar_commands

    register_calendar_commands(calendar_app)
    app.add_typer(calendar_app, name="calendar")
    from lms.cli.projects import register_core_commands

    register_core_commands(app)
    from lms.cli.skills import register_skills_commands

    register_skills_commands(app)
    from lms.cli.dispatch import register_dispatch_commands

    register_dispatch_commands(app)
    from lms.cli.maintenance import register_maintenance_commands

    register_maintenance_commands(app)
    from lms.cli.orgs import register_organisation_commands
    from lms.cli.people import register_people_commands
    from lms.cli.rooms import register_room_commands

    register_organisation_commands(app)
    register_people_commands(app)
    register_room_commands(app)
    from lms.cli.master_data import register_master_data_commands

    register_master_data_commands(app)
    from lms.cli.sessions import register_session_commands

    register_session_commands(app)
    from lms.cli.roster import register_roster_commands

    register_roster_commands(app)
    from lms.cli.feedback import register_feedback_commands

    register_feedback_commands(app)
    from lms.cli.certs import register_certificate_commands

    register_certificate_commands(app)
    from lms.cli.report import register_report_commands

    register_report_commands(app)
    from lms.cli.courses import app as courses_app

    app.add_typer(courses_app, name="courses", help=_("Course YAML: validate, import, list, schema."))
    pm.hook.lms_register_commands(app=app)
    return app


def command_words(root: Any, args: Sequence[str]) -> str:
    """The command ``args`` name, as words (``certs keys rotate``); empty for a group or help alone."""
    words: list[str] = []
    current = root
    for arg in args:
        commands = getattr(current, "commands", None)
        if not commands or arg not in commands:
            break
        words.append(arg)
        current = commands[arg]
    return "" if getattr(current, "commands", None) else " ".join(words)


def shown_url(url: str | None) -> str:
    from sqlalchemy.engine import make_url

    from lms.config import database_url

    return make_url(database_url(url)).render_as_string(hide_password=True)
