"""Item analysis of a course's quiz: Moodle's figures for the whole quiz, a plain-text chart of facility (x)
against discrimination (y) and the per-question table. Push ``QuizStatsScreen("SHW-OM")`` from any app that has
``engine`` and ``pm`` attributes (the planning app does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from lms.assessment.item_analysis import QuizStats
from lms.assessment.statistics import course_statistics
from lms.errors import LmsError
from lms.i18n import _
from lms.questions.types import registry

MARKS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def mark(index: int) -> str:
    return MARKS[index] if index < len(MARKS) else "*"


def scatter(points: list[tuple[float, float]], width: int = 60, height: int = 17) -> list[str]:
    """Facility 0..100 across, discrimination −100..100 up; point i drawn as ``mark(i)``, ``+`` where several meet."""
    grid = [[" "] * width for _row in range(height)]
    zero = (height - 1) // 2
    for column in range(width):
        grid[zero][column] = "─"
    for index, (facility, discrimination) in enumerate(points):
        x = round(max(0.0, min(100.0, facility)) / 100 * (width - 1))
        y = round((100 - max(-100.0, min(100.0, discrimination))) / 200 * (height - 1))
        grid[y][x] = "+" if grid[y][x] not in (" ", "─") else mark(index)
    axis = {0: " 100 ", zero: "   0 ", height - 1: "-100 "}
    lines = [axis.get(row, "     ") + "│" + "".join(cells) for row, cells in enumerate(grid)]
    lines.append("     └" + "─" * width)
    ticks = "0".ljust(width // 2) + "50".ljust(width - width // 2 - 3) + "100"
    lines.append("      " + ticks)
    return lines


class QuizStatsScreen(Screen[None]):
    DEFAULT_CSS = """
    QuizStatsScreen #stats-body { height: 1fr; }
    QuizStatsScreen #stats-top { height: auto; }
    QuizStatsScreen #stats-summary { width: 48; padding: 0 1; }
    QuizStatsScreen #stats-chart { width: 1fr; padding: 0 1; }
    QuizStatsScreen #stats-items { height: auto; max-height: 40; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", _("Back"))]

    @dataclass
    class StatsLoaded(Message):
        stats: QuizStats | None
        heading: str

    def __init__(self, course_code: str, version: int | None = None) -> None:
        super().__init__()
        self.course_code, self.version = course_code, version

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static(_("Loading…"), id="stats-heading", classes="section-title")
            with Horizontal(id="stats-top"):
                yield Static("", id="stats-summary")
                yield Static("", id="stats-chart")
            yield DataTable(id="stats-items", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app: Any = self.app
        try:
            with Session(app.engine) as session:
                version, which, stats = course_statistics(
                    session, course_code=self.course_code, types=registry(app.pm), version_number=self.version
                )
            heading = _("{code} version {version}, attempts: {which}").format(
                code=self.course_code, version=version.version, which=which
            )
            self.post_message(self.StatsLoaded(stats, heading))
        except LmsError as error:
            self.post_message(self.StatsLoaded(None, str(error)))

    def on_quiz_stats_screen_stats_loaded(self, message: StatsLoaded) -> None:
        self.query_one("#stats-heading", Static).update(Text(message.heading))
        stats = message.stats
        if stats is None:
            return
        figures = [
            (_("Attempts"), stats.attempts),
            (_("Mean %"), stats.mean),
            (_("Standard deviation %"), stats.sd),
            (_("Cronbach's alpha %"), stats.cic),
            (_("Error ratio %"), stats.error_ratio),
            (_("Standard error %"), stats.standard_error),
        ]
        summary = "\n".join(f"{name}: {'—' if value is None else value}" for name, value in figures)
        self.query_one("#stats-summary", Static).update(Text(summary))
        plotted = [(i.facility, i.discrimination_index) for i in stats.items]
        points = [(f or 0.0, d or 0.0) for f, d in plotted]
        chart = [_("Discrimination (up) against facility (across)")] + scatter(points)
        self.query_one("#stats-chart", Static).update(Text("\n".join(chart)))
        table = self.query_one("#stats-items", DataTable)
        table.clear(columns=True)
        table.add_columns("#", _("Question"), _("Type"), _("Attempts"), _("Facility %"), _("SD %"))
        table.add_columns(_("Discrimination %"), _("Efficiency %"))
        for index, item in enumerate(stats.items):
            table.add_row(
                mark(index),
                Text(item.question),  # the bank's own name for it: plain text, not markup
                item.qtype,
                item.attempts,
                *["—" if v is None else v for v in (item.facility, item.sd)],
                *["—" if v is None else v for v in (item.discrimination_index, item.discriminative_efficiency)],
            )
