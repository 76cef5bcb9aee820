"""``lms sessions new|confirm|cancel|close|duplicate|list|show`` and ``lms attendance mark``."""

from __future__ import annotations

from typing import Any

import typer

from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, parse_date, runtime
from lms.i18n import _


def _codes(values: list[str] | None) -> list[str]:
    """``--trainer A,B --trainer C`` → ``[A, B, C]``."""
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]


def register_session_commands(app: typer.Typer) -> None:
    sessions = typer.Typer(
        help=_("Training sessions: planned → confirmed → held (from attendance) → closed, or cancelled."),
        no_args_is_help=True,
    )

    @sessions.command("new", help=_("Plan a session for a project's obligation, in a room or at the buyer's site."))
    def new(
        ctx: typer.Context,
        project: str = typer.Option(..., "--project", help=_("project code")),
        obligation: str = typer.Option(..., "--obligation", help=_("obligation code within the project")),
        start: str = typer.Option(..., "--start", help=_("first day (YYYY-MM-DD)")),
        days: int = typer.Option(1, "--days", help=_("number of working days")),
        trainer: list[str] = typer.Option(..., "--trainer", help=_("trainer codes, the lead first (A,B or repeated)")),
        course: str | None = typer.Option(None, "--course", help=_("course code (default: the obligation's one)")),
        room: str | None = typer.Option(None, "--room", help=_("room code")),
        site: str | None = typer.Option(None, "--site", help=_("place at the buyer's site (default: the project's)")),
        city: str | None = typer.Option(None, "--city", help=_("city of the site (default: the project's)")),
        capacity: int | None = typer.Option(None, "--capacity", help=_("places (default: the room's)")),
        code: str | None = typer.Option(None, "--code", help=_("the session's code (default: drawn at random)")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.calendars.workdays import get_calendar
        from lms.scheduling.session_new import NewSession, new_session

        rt = runtime(ctx)
        wanted = NewSession(
            project=project,
            obligation=obligation,
            start=parse_date(start, "--start"),
            days=days,
            trainers=_codes(trainer),
            course=course,
            room=room,
            site=site,
            city=city,
            capacity=capacity,
            code=code,
        )
        with rt.session() as session:
            training = new_session(session, get_calendar(pm=rt.pm, session=session), wanted, pm=rt.pm)
            _emit_one(fmt, _("planned session {code}: {first}–{last}, {place}"), _row(training))

    @sessions.command("duplicate", help=_("Copy a session to a new start date (no roster, no attendance)."))
    def duplicate(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the session to copy")),
        start: str = typer.Option(..., "--start", help=_("first day of the copy (YYYY-MM-DD)")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.calendars.workdays import get_calendar
        from lms.models.lookup import session_by_code
        from lms.scheduling.session_new import duplicate_session

        rt = runtime(ctx)
        with rt.session() as session:
            source = session_by_code(session, code)
            copy = duplicate_session(
                session, get_calendar(pm=rt.pm, session=session), source, parse_date(start, "--start"), pm=rt.pm
            )
            _emit_one(fmt, _("planned session {code}: {first}–{last}, {place}"), _row(copy))

    def _transition(ctx: typer.Context, code: str, fmt: OutputFormat, action: str, reason: str | None = None) -> None:
        from lms.calendars.dates import working_today
        from lms.calendars.workdays import get_calendar
        from lms.models.lookup import session_by_code
        from lms.scheduling import lifecycle

        rt = runtime(ctx)
        with rt.session() as session:
            training = session_by_code(session, code)
            if action == "confirm":
                calendar = get_calendar(pm=rt.pm, session=session)
                lifecycle.confirm_session(
                    session, training, calendar=calendar, today=working_today(), override_reason=reason, pm=rt.pm
                )
            elif action == "cancel":
                lifecycle.cancel_session(session, training, reason=reason, pm=rt.pm)
            else:
                lifecycle.close_session(session, training, working_today(), pm=rt.pm)
            _emit_one(fmt, _("session {code} is now {status_label}"), _row(training))

    @sessions.command("confirm", help=_("planned → confirmed; refused while it has open problems (--override)."))
    def confirm(
        ctx: typer.Context,
        code: str = typer.Argument(...),
        override: str | None = typer.Option(
            None, "--override", help=_("admin only: confirm despite open problems, for this reason (audited)")
        ),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        _transition(ctx, code, fmt, "confirm", override)

    @sessions.command("cancel", help=_("planned or confirmed → cancelled."))
    def cancel(
        ctx: typer.Context,
        code: str = typer.Argument(...),
        reason: str | None = typer.Option(None, "--reason", help=_("why (kept in the audit log)")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        _transition(ctx, code, fmt, "cancel", reason)

    @sessions.command("close", help=_("held → closed; a session is held once every day is past and attended."))
    def close(ctx: typer.Context, code: str = typer.Argument(...), fmt: OutputFormat = FORMAT_OPTION) -> None:
        _transition(ctx, code, fmt, "close")

    @sessions.command("list", help=_("Sessions with their status, and why an open one is not held yet."))
    def list_(
        ctx: typer.Context,
        project: str | None = typer.Option(None, "--project", help=_("only this project")),
        status: str | None = typer.Option(None, "--status", help=_("only sessions in this status")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.scheduling.session_status import session_rows

        with runtime(ctx).session() as session:
            rows = session_rows(session, project_code=project, status=status)
        emit_rows(
            fmt,
            [_("Session"), _("Project"), _("Obligation"), _("First day"), _("Last day"), _("Status"), _("Why")],
            ["code", "project", "obligation", "first_day", "last_day", "status_label", "not_held_because"],
            [row | {"not_held_because": "; ".join(row["not_held_because"])} for row in rows]
            if fmt == OutputFormat.text
            else rows,
        )

    @sessions.command("show", help=_("One session: status, days with attendance, trainers, roster."))
    def show(ctx: typer.Context, code: str = typer.Argument(...), fmt: OutputFormat = FORMAT_OPTION) -> None:
        from lms.scheduling.session_status import session_detail

        with runtime(ctx).session() as session:
            detail = session_detail(session, session_code=code)
        if fmt == OutputFormat.json:
            emit_json(detail)
            return
        emit(
            _("{code} · {status_label} · {first_day}–{last_day} · {place}").format(**detail)
            + (f" · {detail['project']}/{detail['obligation']}" if detail["project"] else "")
        )
        if detail["override_reason"]:
            emit(
                "  "
                + _("confirmed despite open problems by {who}: {reason}").format(
                    who=detail["override_by"] or "—", reason=detail["override_reason"]
                )
            )
        for reason in detail["not_held_because"]:
            emit("  " + _("not held yet: {reason}").format(reason=reason))
        emit(_("Trainers: {names}").format(names=", ".join(detail["trainers"]) or "—"))
        emit(_("Roster: {count} of {capacity}").format(count=len(detail["roster"]), capacity=detail["capacity"]))
        emit_rows(
            fmt,
            [_("Day"), _("Present"), _("Absent"), _("Not marked")],
            ["day", "present", "absent", "unmarked"],
            detail["days"],
        )

    app.add_typer(sessions, name="sessions")

    attendance = typer.Typer(help=_("Attendance (sign-in) of session days."), no_args_is_help=True)

    @attendance.command("mark", help=_("Mark who was present and absent on one day of a session."))
    def mark(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the session's code")),
        day: str = typer.Option(..., "--day", help=_("the session day (YYYY-MM-DD)")),
        present: list[str] | None = typer.Option(None, "--present", help=_("trainee codes present (P1,P2,…)")),
        everyone: bool = typer.Option(False, "--all", help=_("everyone on the roster present, except --absent")),
        absent: list[str] | None = typer.Option(None, "--absent", help=_("trainee codes absent")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.calendars.dates import working_today
        from lms.errors import LmsError
        from lms.scheduling.attendance import mark_day

        if everyone == bool(present):
            raise LmsError(_("give either --present P1,P2,… or --all"), field="--present")
        rt = runtime(ctx)
        with rt.session() as session:
            marks = mark_day(
                session,
                session_code=code,
                day=parse_date(day, "--day"),
                present=_codes(present),
                absent=_codes(absent),
                everyone=everyone,
                today=working_today(),
                pm=rt.pm,
            )
        if fmt == OutputFormat.json:
            emit_json(marks.__dict__)
            return
        emit(
            _("{session} {day}: {present} present, {absent} absent, {unmarked} not marked").format(
                session=marks.session,
                day=marks.day,
                present=len(marks.present),
                absent=len(marks.absent),
                unmarked=len(marks.unmarked),
            )
        )
        from lms.scheduling.lifecycle import status_name

        emit(_("session {code} is {status_label}").format(code=marks.session, status_label=status_name(marks.status)))
        for reason in marks.not_held_because:
            emit("  " + _("not held yet: {reason}").format(reason=reason))

    app.add_typer(attendance, name="attendance")


def _row(training: Any) -> dict[str, Any]:
    from lms.scheduling.lifecycle import status_name

    return {
        "code": training.code,
        "status": training.status,
        "status_label": status_name(training.status),
        "first": training.first_day,
        "last": training.last_day,
        "place": training.place,
    }


def _emit_one(fmt: OutputFormat, template: str, row: dict[str, Any]) -> None:
    if fmt == OutputFormat.json:
        emit_json(row)
    else:
        emit(template.format(**row))
