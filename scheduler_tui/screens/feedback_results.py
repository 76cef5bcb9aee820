"""Feedback results for trainers: sessions, courses or trainers with feedback on the left (s, c, t switch), the
highlighted one's chart on the right — per item the mean as a bar of block characters and the spread of answers
1→5 — and its comments below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from lms.errors import LmsError
from lms.feedback.display import distribution_spark, mean_text, percent, rating_bar, summary_heading
from lms.feedback.summaries import FeedbackRow, FeedbackSummary, feedback_overview, summary_for
from lms.feedback.survey import SCALE, Scope
from lms.i18n import _, pick
from scheduler_tui import keys
from scheduler_tui.labels import clip, day_text, pad_to
from scheduler_tui.screens.base import LmsScreen
from scheduler_tui.widgets.tables import fill_table

BAR_WIDTH = 20  # columns for a mean of 5; a multiple of 5 keeps the ruler's numbers over the bar ends


def mean_style(mean: float | None) -> str:
    if mean is None:
        return "dim"
    return "green" if mean >= 4 else "yellow" if mean >= 3 else "red"


def summary_chart(summary: FeedbackSummary, bar_width: int = BAR_WIDTH) -> Text:
    """One line per rating item: label, mean, bar, answers and the spread 1→5; labels padded by terminal columns so
    Chinese and English line up."""
    labels = [pick(item.label) for item in summary.items]
    item_header, mean_header, count_header = _("Item"), _("Mean"), _("Answers")
    width = max([cell_len(item_header), *(cell_len(label) for label in labels)])
    count_width = max(cell_len(count_header), 4)
    step = bar_width // len(SCALE)
    ruler = "".join(str(value).rjust(step) for value in SCALE)
    chart = Text()
    chart.append(f"{pad_to(item_header, width)}  {pad_to(mean_header, 5)} {pad_to(ruler, bar_width)}  ", style="bold")
    chart.append(f"{pad_to(count_header, count_width)} 1→5\n", style="bold")
    for label, item in zip(labels, summary.items, strict=True):
        chart.append(f"{pad_to(label, width)}  {mean_text(item.mean).rjust(5)} ")
        chart.append(pad_to(rating_bar(item.mean, bar_width), bar_width), style=mean_style(item.mean))
        chart.append(f"  {pad_to(str(item.count), count_width)} ")
        chart.append(distribution_spark(item.distribution) + "\n", style="cyan")
    return chart


def comments_text(summary: FeedbackSummary) -> Text:
    if not summary.comments:
        return Text(_("No comments."), style="dim")
    text = Text()
    for comment in summary.comments:
        text.append(f"[{comment.session}] ", style="dim")
        text.append(" ".join(comment.text.split()) + "\n")
    return text


class FeedbackResultsScreen(LmsScreen):
    PLACE = "feedback"
    BINDINGS = keys.FEEDBACK
    DEFAULT_CSS = """
    FeedbackResultsScreen #feedback-body {
        height: 1fr;
    }
    FeedbackResultsScreen #feedback-list {
        width: 60;
        height: 1fr;
    }
    FeedbackResultsScreen #feedback-detail {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }
    FeedbackResultsScreen #feedback-heading, FeedbackResultsScreen #feedback-chart {
        margin-bottom: 1;
    }
    """

    @dataclass
    class RowsLoaded(Message):
        scope: str
        rows: list[FeedbackRow]

    @dataclass
    class SummaryLoaded(Message):
        summary: FeedbackSummary

    def __init__(self, scope: Scope = "session") -> None:
        super().__init__()
        self.scope: Scope = scope
        self.rows: list[FeedbackRow] = []
        self.summary: FeedbackSummary | None = None

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static("", id="feedback-title", classes="section-title")
        with Horizontal(id="feedback-body"):
            yield DataTable(id="feedback-list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="feedback-detail"):
                yield Static("", id="feedback-heading")
                yield Static("", id="feedback-chart")
                yield Static(_("Comments"), classes="section-title")
                yield Static("", id="feedback-comments")
        yield from self.frame_bottom()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#feedback-list", DataTable)

    def headers(self) -> list[str]:
        if self.scope == "session":
            return [_("Code"), _("Last day"), _("Course"), _("Answers"), _("Rate"), _("Mean")]
        title = _("Person's name") if self.scope == "trainer" else _("Course")
        return [_("Code"), title, _("Sessions"), _("Answers"), _("Rate"), _("Mean")]

    def table_row(self, row: FeedbackRow) -> tuple[Any, ...]:
        """A session is known by its day; a course or a trainer by how many sessions the figures cover."""
        figures = (
            str(row.responses),
            percent(row.response_rate),
            Text(mean_text(row.mean), style=mean_style(row.mean)),
        )
        if self.scope == "session":
            return (row.code, day_text(row.last_day), clip(pick(row.title), 14), *figures)
        return (row.code, clip(pick(row.title), 16), str(row.sessions), *figures)

    def on_mount(self) -> None:
        fill_table(self.table, self.headers(), [])
        self.action_refresh()

    def restart_args(self) -> dict[str, Any]:
        return {"scope": self.scope}

    def action_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.summary = None
        self.action_refresh()

    def action_refresh(self) -> None:
        titles = {
            "session": _("Feedback by session"),
            "course": _("Feedback by course"),
            "trainer": _("Feedback by trainer"),
        }
        self.query_one("#feedback-title", Static).update(
            Text.assemble((titles[self.scope], "bold"), "  ", (_("s sessions · c courses · t trainers"), "dim"))
        )
        self.load(self.scope)

    @work(thread=True, exclusive=True, group="feedback")
    def load(self, scope: Scope) -> None:
        try:
            with Session(self.lms.engine) as session:
                rows = feedback_overview(session, scope)
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.RowsLoaded(scope, rows))

    def on_feedback_results_screen_rows_loaded(self, message: RowsLoaded) -> None:
        if message.scope != self.scope:
            return
        self.rows = message.rows
        table_rows = [self.table_row(row) for row in message.rows]
        fill_table(self.table, self.headers(), table_rows, keep_cursor=False)
        self.table.focus()
        if not message.rows:
            self.set_status(_("No feedback yet: trainees give it after the quiz, or type in paper sheets."))
            self.show_nothing()
            return
        self.set_status(
            _("{count} with feedback · mean of all ratings, 1 (very dissatisfied) to 5 (very satisfied)").format(
                count=len(message.rows)
            )
        )
        self.load_summary(self.scope, message.rows[0].code)

    def show_nothing(self) -> None:
        self.query_one("#feedback-heading", Static).update("")
        self.query_one("#feedback-chart", Static).update("")
        self.query_one("#feedback-comments", Static).update("")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "feedback-list" and 0 <= event.cursor_row < len(self.rows):
            self.load_summary(self.scope, self.rows[event.cursor_row].code)

    @work(thread=True, exclusive=True, group="feedback-summary")
    def load_summary(self, scope: Scope, code: str) -> None:
        try:
            with Session(self.lms.engine) as session:
                summary = summary_for(session, scope, code)
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.SummaryLoaded(summary))

    def on_feedback_results_screen_summary_loaded(self, message: SummaryLoaded) -> None:
        summary = self.summary = message.summary
        heading = summary_heading(summary)
        self.query_one("#feedback-heading", Static).update(Text.assemble((heading[0], "bold"), "\n", (heading[1], "")))
        self.query_one("#feedback-chart", Static).update(summary_chart(summary))
        self.query_one("#feedback-comments", Static).update(comments_text(summary))
