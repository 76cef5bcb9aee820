"""``lms feedback ...``: paper sheets are typed in, trainers read the results
per session, course or trainer. ``feedback take`` (a Textual app) comes from the ``scheduler_tui`` plugin."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, format_table, runtime
from lms.errors import LmsError
from lms.feedback.display import mean_text, percent, rating_bar, summary_heading
from lms.feedback.paper_sheets import import_feedback
from lms.feedback.summaries import FeedbackSummary, feedback_overview, summary_for
from lms.feedback.survey import Scope, survey_or_default
from lms.files.csvout import write_csv
from lms.i18n import _, pick

SURVEY_OPTION = typer.Option(None, "--survey", help=_("survey YAML file (default: the training feedback survey)"))


class ResultsFormat(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


class OverviewScope(StrEnum):
    session = "session"
    course = "course"
    trainer = "trainer"


def emit_summary_text(summary: FeedbackSummary) -> None:
    for line in summary_heading(summary):
        emit(line)
    emit("")
    rows = [
        [pick(item.label), item.count, mean_text(item.mean), *item.distribution, rating_bar(item.mean)]
        for item in summary.items
    ]
    emit(format_table([_("Item"), _("Answers"), _("Mean"), "1", "2", "3", "4", "5", ""], rows))
    if summary.comments:
        emit("")
        emit(_("Comments"))
        for comment in summary.comments:
            emit(f"- [{comment.session}] " + " ".join(comment.text.split()))


CSV_COLUMNS = ["scope", "code", "item", "kind", "label", "count", "mean", "n1", "n2", "n3", "n4", "n5", "session"]


def emit_summary_csv(summary: FeedbackSummary) -> None:
    """One row per rating item, then one per comment; stable column names for spreadsheets."""
    rows: list[list[object]] = []
    for item in summary.items:
        mean = "" if item.mean is None else item.mean
        row = [summary.scope, summary.code, item.item, "rating", pick(item.label), item.count, mean, *item.distribution]
        rows.append([*row, "", ""])
    blanks = [""] * (len(CSV_COLUMNS) - 5)
    for comment in summary.comments:
        rows.append([summary.scope, summary.code, comment.item, "comment", *blanks, comment.session, comment.text])
    write_csv(sys.stdout, [*CSV_COLUMNS, "comment"], rows)


def register_feedback_commands(app: typer.Typer) -> None:
    """Add the ``feedback`` group to the root command line."""
    feedback = typer.Typer(
        help=_("Trainee feedback: take the survey, import paper sheets, results."), no_args_is_help=True
    )

    @feedback.command("import", help=_("Record feedback typed in from paper sheets (CSV: trainee, item, value)."))
    def import_(
        ctx: typer.Context,
        path: Path = typer.Argument(..., help=_("CSV with the columns trainee (may be blank), item, value; sheet")),
        session_code: str = typer.Option(..., "--session", help=_("the session the sheets were filled in")),
        survey_path: Path | None = SURVEY_OPTION,
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Record feedback typed in from paper sheets (CSV: trainee, item, value)."""
        rt = runtime(ctx)
        survey = survey_or_default(survey_path)
        with rt.session() as session:
            result = import_feedback(session, path=path, session_code=session_code, survey=survey)
        if fmt == OutputFormat.json:
            emit_json(result.__dict__)
            return
        message = _("recorded {count} responses for session {code} ({replaced} replaced, {anonymous} anonymous)")
        emit(
            message.format(
                count=result.recorded, code=result.session, replaced=result.replaced, anonymous=result.anonymous
            )
        )

    @feedback.command("results", help=_("Feedback results for a session, a course or a trainer."))
    def results(
        ctx: typer.Context,
        session_code: str | None = typer.Option(None, "--session", help=_("session code")),
        course: str | None = typer.Option(None, "--course", help=_("course code")),
        trainer: str | None = typer.Option(None, "--trainer", help=_("trainer's person code")),
        survey_path: Path | None = SURVEY_OPTION,
        fmt: ResultsFormat = typer.Option(ResultsFormat.text, "--format", help=_("text, csv or json")),
    ) -> None:
        """Feedback results for a session, a course or a trainer."""
        given: tuple[tuple[Scope, str | None], ...] = (
            ("session", session_code),
            ("course", course),
            ("trainer", trainer),
        )
        chosen = [(scope, code) for scope, code in given if code is not None]
        if len(chosen) != 1:
            raise LmsError(_("give exactly one of --session, --course or --trainer"))
        scope, code = chosen[0]
        rt = runtime(ctx)
        survey = survey_or_default(survey_path)
        with rt.session() as session:
            summary = summary_for(session, scope, code, survey)
        if fmt == ResultsFormat.json:
            emit_json(summary.as_dict())
        elif fmt == ResultsFormat.csv:
            emit_summary_csv(summary)
        else:
            emit_summary_text(summary)

    @feedback.command("list", help=_("Sessions, courses or trainers with feedback, latest first."))
    def list_(
        ctx: typer.Context,
        by: OverviewScope = typer.Option(OverviewScope.session, "--by", help=_("session, course or trainer")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Sessions, courses or trainers with feedback, latest first."""
        rt = runtime(ctx)
        with rt.session() as session:
            rows = feedback_overview(session, by.value)  # type: ignore[arg-type]
        if fmt == OutputFormat.json:
            emit_json([row.__dict__ | {"response_rate": row.response_rate} for row in rows])
            return
        emit(
            format_table(
                [_("Code"), _("Title"), _("Sessions"), _("Responses"), _("Present"), _("Rate"), _("Mean")]
                + [_("Last day")],
                [
                    [row.code, pick(row.title), row.sessions, row.responses, row.present]
                    + [percent(row.response_rate), mean_text(row.mean), row.last_day]
                    for row in rows
                ],
            )
        )

    @feedback.command("survey", help=_("Check a survey file and show its items (the default survey without PATH)."))
    def survey_(
        path: Path | None = typer.Argument(None, help=_("survey YAML file")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Check a survey file and show its items (the default survey without PATH)."""
        survey = survey_or_default(path)
        if fmt == OutputFormat.json:
            emit_json(survey.model_dump())
            return
        emit(f"{survey.code} — {pick(survey.title.model_dump())}")
        rows = []
        for item in survey.items:
            if item.kind == "rating":
                scale = survey.scale_of(item)
                kind = f"1 {pick(scale.low.model_dump())} … 5 {pick(scale.high.model_dump())}"
            else:
                kind = _("comment (optional)")
            rows.append([item.id, kind, pick(item.text.model_dump())])
        emit(format_table([_("Item"), _("Answer"), _("Question")], rows))

    app.add_typer(feedback, name="feedback")
