"""``lms quiz ...``: print papers, grade typed-in answer sheets, GIFT import and export,
item analysis. Trainers' commands (regrade, tutoring, marks, results) are in ``lms.cli.quiz_trainer``; ``quiz take``
(a Textual app) comes from the ``scheduler_tui`` plugin."""

from __future__ import annotations

from pathlib import Path

import typer

from lms.cli.support import (
    FORMAT_OPTION,
    OutputFormat,
    emit,
    emit_json,
    emit_rows,
    format_table,
    render_document,
    runtime,
    warn,
)
from lms.files.output import checked_output_file
from lms.i18n import _
from lms.questions.types import registry


def _yes_no(passed: bool | None) -> str:
    return "" if passed is None else (_("pass") if passed else _("fail"))


def register_quiz_commands(app: typer.Typer) -> None:
    """Add the ``quiz`` group to the root command line."""
    quiz = typer.Typer(help=_("Quizzes: take, grade, GIFT import/export, statistics, regrade."), no_args_is_help=True)

    @quiz.command("grade", help=_("Grade answers typed in from paper (CSV: trainee, question, answer)."))
    def grade(
        ctx: typer.Context,
        answers: Path = typer.Argument(..., help=_("CSV file with the columns trainee, question, answer")),
        course: str = typer.Option(..., "--course", help=_("course code")),
        record: bool = typer.Option(False, "--record", help=_("store the attempts and their grades")),
        session_code: str | None = typer.Option(None, "--session", help=_("session the paper was sat in")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Grade answers typed in from paper (CSV: trainee, question, answer)."""
        from lms.assessment.answer_sheets import grade_sheet
        from lms.credentials.eligibility import certificate_refusals
        from lms.models.lookup import session_by_code

        rt = runtime(ctx)
        with rt.session() as session:
            training_session = session_by_code(session, session_code) if session_code else None
            results = grade_sheet(
                session,
                path=answers,
                course_code=course,
                types=registry(rt.pm),
                record=record,
                training_session=training_session,
                pm=rt.pm,
            )
            refused = certificate_refusals(session, [r.attempt_id for r in results if r.passed and r.attempt_id])
        rows = [result.__dict__ | {"result": _yes_no(result.passed)} for result in results]
        emit_rows(
            fmt,
            [_("Trainee"), _("Person's name"), _("Answered"), _("Questions"), _("Written %"), _("Score"), _("Result")],
            ["trainee", "name", "answered", "questions", "written_score", "score", "result"],
            rows,
        )
        if fmt == OutputFormat.text and record:
            emit(_("recorded {count} attempts").format(count=len(results)))
            for line in refused:
                emit(line)

    @quiz.command("paper", help=_("Print a session's quiz: each rostered trainee's own paper and answer sheet (PDF)."))
    def paper(
        ctx: typer.Context,
        session_ref: str = typer.Option(..., "--session", help=_("session id or code")),
        output: Path = typer.Option(..., "-o", "--output", help=_("the PDF file to write")),
        answer_key: bool = typer.Option(False, "--answer-key", help=_("also write the trainer's key to FILE-key.pdf")),
    ) -> None:
        """Print a session's quiz: each rostered trainee's own paper and answer sheet (PDF)."""
        from lms.assessment.papers import answer_key as key_of
        from lms.assessment.papers import quiz_papers
        from lms.files.storage import write_atomically

        rt = runtime(ctx)
        types = registry(rt.pm)
        key_path = output.with_name(f"{output.stem}-key{output.suffix or '.pdf'}")
        checked_output_file(output)
        if answer_key:
            checked_output_file(key_path, "--answer-key")
        # The attempts are committed only once the PDFs are written: a failed render leaves no paper behind.
        with rt.session() as session:
            papers = quiz_papers(session, session_ref=session_ref, types=types)
            pdf = render_document(rt.pm, "quiz_paper", papers)
            key = render_document(rt.pm, "quiz_paper_key", key_of(session, papers, types=types)) if answer_key else None
            write_atomically(output, pdf)
            if key is not None:
                write_atomically(key_path, key)
        emit(_("wrote {path} (papers: {count})").format(path=output, count=len(papers.papers)))
        if key is not None:
            emit(_("wrote {path}").format(path=key_path))
        for skipped in papers.skipped:
            emit(
                _("no paper for {name} ({code}): {reason}").format(
                    name=skipped.name, code=skipped.person_code, reason=skipped.reason
                )
            )

    @quiz.command("import-gift", help=_("Add or replace questions from a Moodle GIFT file (a new course version)."))
    def import_gift_(
        ctx: typer.Context,
        path: Path = typer.Argument(..., help=_("GIFT file (UTF-8)")),
        course: str = typer.Option(..., "--course", help=_("course code")),
        module: str | None = typer.Option(None, "--module", help=_("module for questions without a $CATEGORY")),
    ) -> None:
        """Add or replace questions from a Moodle GIFT file (a new course version)."""
        from lms.catalog.gift.importer import import_gift

        rt = runtime(ctx)
        with rt.session() as session:
            result = import_gift(session, path=path, course_code=course, pm=rt.pm, types=registry(rt.pm), module=module)
        message = _("imported {code} version {version}") if result.created else _("unchanged {code} version {version}")
        emit(message.format(code=course, version=result.version.version))
        emit(
            _("{added} questions added, {replaced} replaced").format(
                added=len(result.added), replaced=len(result.replaced)
            )
        )
        for line in result.warnings:
            warn(_("warning: {text}").format(text=line))

    @quiz.command("export-gift", help=_("Write a course's question bank as a Moodle GIFT file."))
    def export_gift_(
        ctx: typer.Context,
        course: str = typer.Option(..., "--course", help=_("course code")),
        output: Path = typer.Option(..., "-o", help=_("the GIFT file to write")),
    ) -> None:
        """Write a course's question bank as a Moodle GIFT file."""
        from lms.catalog.gift.export import export_gift
        from lms.files.storage import write_atomically

        checked_output_file(output)
        rt = runtime(ctx)
        with rt.session() as session:
            text, skipped = export_gift(session, course_code=course)
        write_atomically(output, text.encode("utf-8"))
        emit(_("wrote {path}").format(path=output))
        if skipped:
            emit(_("not in GIFT (type unknown to GIFT): {ids}").format(ids=", ".join(skipped)))

    @quiz.command("stats", help=_("Item analysis as Moodle's quiz statistics: facility, discrimination, alpha."))
    def stats(
        ctx: typer.Context,
        course: str = typer.Option(..., "--course", help=_("course code")),
        version: int | None = typer.Option(None, "--version", help=_("course version (default: latest with attempts)")),
        attempts: str | None = typer.Option(None, "--attempts", help=_("first, last, highest or all")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Item analysis as Moodle's quiz statistics: facility, discrimination, alpha."""
        from lms.assessment.statistics import course_statistics

        rt = runtime(ctx)
        with rt.session() as session:
            found, which, result = course_statistics(
                session, course_code=course, types=registry(rt.pm), version_number=version, which=attempts
            )
        if fmt == OutputFormat.json:
            emit_json({"course": course, "version": found.version, "attempts_used": which} | result.as_dict())
            return
        summary = [
            (_("Attempts"), result.attempts),
            (_("Questions per paper"), result.questions),
            (_("Mean %"), result.mean),
            (_("Median %"), result.median),
            (_("Standard deviation %"), result.sd),
            (_("Skewness"), result.skewness),
            (_("Kurtosis"), result.kurtosis),
            (_("Coefficient of internal consistency (Cronbach's alpha) %"), result.cic),
            (_("Error ratio %"), result.error_ratio),
            (_("Standard error %"), result.standard_error),
        ]
        emit(_("{code} version {version}, attempts: {which}").format(code=course, version=found.version, which=which))
        emit(format_table([_("Figure"), _("Value")], [[name, "" if v is None else v] for name, v in summary]))
        emit("")
        emit_rows(
            fmt,
            [
                _("Question"),
                _("Type"),
                _("Attempts"),
                _("Facility %"),
                _("SD %"),
                _("Discrimination %"),
                _("Efficiency %"),
            ],
            ["question", "qtype", "attempts", "facility", "sd", "discrimination_index", "discriminative_efficiency"],
            [item.__dict__ for item in result.items],
        )

    from lms.cli.quiz_trainer import register_trainer_commands

    register_trainer_commands(quiz)
    app.add_typer(quiz, name="quiz")
