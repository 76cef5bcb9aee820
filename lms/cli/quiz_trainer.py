"""Trainers' quiz commands: ``lms quiz regrade|tutoring|mark|results``."""

from __future__ import annotations

import typer

from lms.calendars.dates import working_today
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, parse_date, runtime
from lms.i18n import _
from lms.models.lookup import person_by_code
from lms.questions.types import registry


def _result(passed: bool | None) -> str:
    return "" if passed is None else (_("pass") if passed else _("fail"))


def register_trainer_commands(quiz: typer.Typer) -> None:
    @quiz.command("regrade", help=_("Apply a corrected answer key to past attempts; --dry-run shows who changes."))
    def regrade_(
        ctx: typer.Context,
        course: str = typer.Option(..., "--course", help=_("course code")),
        question: str | None = typer.Option(None, "--question", help=_("question id whose key is corrected")),
        answer: str | None = typer.Option(None, "--answer", help=_("the corrected key: C, A;C, T, 93:2, 91..95")),
        dry_run: bool = typer.Option(False, "--dry-run", help=_("show who changes; write nothing")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Apply a corrected answer key to past attempts; --dry-run shows who changes."""
        from lms.assessment.regrade import regrade

        rt = runtime(ctx)
        with rt.session() as session:
            plan = regrade(
                session,
                course_code=course,
                types=registry(rt.pm),
                question_code=question,
                answer=answer,
                dry_run=dry_run,
                pm=rt.pm,
            )
        rows = [change.__dict__ | {"flipped": change.flipped} for change in plan.changes]
        if fmt == OutputFormat.json:
            keys = [key.__dict__ for key in plan.keys]
            emit_json({"applied": plan.applied, "keys": keys, "changes": rows, "unchanged": plan.unchanged})
            return
        for key in plan.keys:
            emit(_("{question} (version {version}): {before} → {after}").format(**key.__dict__))
        if not plan.keys:
            emit(_("no answer key differs; nothing to regrade"))
            return
        for row in rows:
            row["before"] = f"{row['score_before']} {_result(row['passed_before'])}".strip()
            row["after"] = f"{row['score_after']} {_result(row['passed_after'])}".strip()
            row["mark"] = "⚠" if row["flipped"] else ""
            if row["flipped"] and row["certificate"] and not row["passed_after"]:
                row["mark"] += " " + _("certificate {serial} to review").format(serial=row["certificate"])
        emit_rows(
            fmt,
            [_("Trainee"), _("Person's name"), _("Session"), _("Attempt"), _("Before"), _("After"), ""],
            ["trainee", "name", "session", "number", "before", "after", "mark"],
            rows,
        )
        summary = _("{changed} attempts change, {unchanged} unchanged").format(
            changed=len(rows), unchanged=plan.unchanged
        )
        emit(summary + ("" if plan.applied else " — " + _("dry run: nothing written")))

    @quiz.command("tutoring", help=_("Record a tutoring session a trainee attended (needed before a re-exam)."))
    def tutoring(
        ctx: typer.Context,
        session_code: str = typer.Option(..., "--session", help=_("session code")),
        trainee: str = typer.Option(..., "--trainee", help=_("ID number, person code or name")),
        held_on: str | None = typer.Option(None, "--on", help=_("date held (YYYY-MM-DD), default today")),
        tutor: str | None = typer.Option(None, "--tutor", help=_("the tutor's person code")),
        notes: str | None = typer.Option(None, "--notes", help=_("what was covered")),
    ) -> None:
        """Record a tutoring session a trainee attended (needed before a re-exam)."""

        from lms.assessment.attempts import identify_trainee
        from lms.assessment.reexams import record_tutoring
        from lms.models import CourseVersion
        from lms.models.lookup import session_by_code

        rt = runtime(ctx)
        day = parse_date(held_on, "--on") if held_on else working_today()
        with rt.session() as session:
            training_session = session_by_code(session, session_code)
            person = identify_trainee(session, training_session=training_session, identity=trainee)
            version = session.get(CourseVersion, training_session.course_version_id)
            tutor_person = person_by_code(session, tutor, field="--tutor") if tutor else None
            assert version is not None
            record_tutoring(
                session,
                person=person,
                course_id=version.course_id,
                held_on=day,
                session_id=training_session.id,
                tutor=tutor_person,
                notes=notes,
            )
        emit(_("tutoring recorded for {name} on {day}").format(name=person.name, day=day.isoformat()))

    @quiz.command("mark", help=_("Enter the trainer's marks: practical score, essays and checklists."))
    def mark(
        ctx: typer.Context,
        session_code: str = typer.Option(..., "--session", help=_("session code")),
        trainee: str = typer.Option(..., "--trainee", help=_("ID number, person code or name")),
        practical: float | None = typer.Option(None, "--practical", help=_("practical score, 0-100")),
        question: list[str] = typer.Option([], "--question", help=_("QID=FRACTION (0-1), repeatable")),
    ) -> None:
        """Enter the trainer's marks: practical score, essays and checklists."""
        from lms.assessment.trainer_marks import mark_attempt
        from lms.credentials.eligibility import certificate_refusals

        rt = runtime(ctx)
        with rt.session() as session:
            attempt = mark_attempt(
                session,
                session_code=session_code,
                trainee=trainee,
                practical=practical,
                marks=question,
                types=registry(rt.pm),
                pm=rt.pm,
            )
            refused = certificate_refusals(session, [attempt.id or 0] if attempt.passed else [])
        if attempt.status == "graded":
            emit(_("graded: {score} ({result})").format(score=attempt.score, result=_result(attempt.passed)))
            for line in refused:
                emit(line)
        else:
            emit(_("marks saved; still waiting for: {what}").format(what=_("other marks")))

    @quiz.command("results", help=_("Each trainee's result on a session by the course's grading method."))
    def results(
        ctx: typer.Context,
        session_code: str = typer.Option(..., "--session", help=_("session code")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Each trainee's result on a session by the course's grading method."""
        from lms.assessment.trainer_marks import session_results

        rt = runtime(ctx)
        with rt.session() as session:
            rows = session_results(session, session_code=session_code)
        for row in rows:
            row["result_label"] = _result(row["passed"]) if not row["pending"] else _("waiting for marks")
        emit_rows(
            fmt,
            [_("Trainee"), _("Person's name"), _("Attempts"), _("Result"), _("Score"), _("Re-exam from")],
            ["trainee", "name", "attempts", "result_label", "score", "earliest_retake"],
            rows,
        )
