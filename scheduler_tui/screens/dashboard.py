"""Dashboard: obligations by urgency with working days left, the next sessions, open conflicts.

At start it paints the last snapshot of itself (``scheduler_tui.snapshot``) marked "as of HH:MM, refreshing…",
before the database is open or the ORM imported, or its frame and a loading state when there is none. The live
data comes in parts, cheapest first (``scheduler_tui.dashboard_parts``): upcoming sessions, the obligation periods
open now, conflicts, and last the periods that closed long ago; each part replaces what the snapshot showed, and
the snapshot is written again when all parts are in. At ``lms tui``'s start the parts come from a process forked
before Textual was imported (``scheduler_tui.dashboard_loader``), which loads them on another core while this one
paints; otherwise (a refresh, a language switch, a test's app, a loader that could not finish) a worker loads them
here, importing the domain modules only then, for the same reason. Only the 200 most urgent obligation rows go
into the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import Worker, get_current_worker

from lms.errors import LmsError
from lms.i18n import _
from scheduler_tui import keys
from scheduler_tui.dashboard_loader import DashboardPrefetch, PrefetchCannotOpen, PrefetchIncomplete
from scheduler_tui.dashboard_parts import SHOWN_OBLIGATIONS, Part, load_parts
from scheduler_tui.labels import (
    OBLIGATION_STYLES,
    PROVISIONAL_SYMBOL,
    clip,
    marks_provisional,
    short_day,
    short_span,
    span_text,
    status_text,
)
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.snapshot import DashboardSnapshot, read_snapshot, write_snapshot
from scheduler_tui.widgets.tables import cell_width, fill_table

SNAPSHOT_ROWS = 60  # per table: more than the tallest screen shows; the live data fills in the rest
UPCOMING_WIDTH = 60  # #upcoming-pane's 62 columns (app.tcss) less a scrollbar, when the list is long


class DashboardScreen(LmsScreen):
    PLACE = "dashboard"
    BINDINGS = keys.DASHBOARD

    @dataclass
    class PartLoaded(Message):
        part: Part

    def __init__(self) -> None:
        super().__init__()
        self.obligations: list[dict[str, Any]] = []
        self.sessions: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.obligation_count = 0
        self.loaded: set[str] = set()  # the parts shown from the database (not from the snapshot)
        self.snapshot_taken: dt.datetime | None = None  # when the snapshot on screen was taken, if one is
        self.loader: DashboardPrefetch | None = None  # the forked loader this screen reads, if it does
        self.loaded_from = ""  # where the last complete load came from: "loader" or "here"
        self.gone = False

    @property
    def data_ready(self) -> bool:
        """Sessions, conflicts and the obligations open now are on screen (the history may still be coming)."""
        return {"sessions", "obligations", "conflicts"} <= self.loaded

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static(_("Obligations needing attention"), classes="section-title")
        yield DataTable(id="obligations", cursor_type="row", zebra_stripes=True)
        yield Static("", id="obligation-detail")
        with Horizontal(id="lower"):
            with Vertical(id="upcoming-pane"):
                yield Static(_("Upcoming sessions"), classes="section-title")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Static(_("Open conflicts"), classes="section-title")
                yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
        yield from self.frame_bottom()

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def headers(self, name: str) -> list[str]:
        if name == "obligations":
            return [_("Status"), _("Project"), _("Obligation"), _("Period"), _("Window"), _("Working days left")] + [
                _("Reason")
            ]
        if name == "sessions":
            return [_("Session"), _("Days"), _("Course"), _("Status"), _("Trainers")]
        return [_("Day"), _("Conflict"), _("Sessions")]

    def on_mount(self) -> None:
        self.show_loading()
        snapshot = read_snapshot(self.lms.snapshot_file(), self.lms.database_url)
        if snapshot is not None:
            try:
                self.show_snapshot(snapshot)
            except (KeyError, TypeError, ValueError, AttributeError):  # a hand-edited file: the loading state instead
                self.show_loading()
        # The frame first: a worker started now would compete with the first paint for the interpreter.
        self.call_after_refresh(self.action_refresh)

    def show_loading(self) -> None:
        self.snapshot_taken = None
        self.show_sessions([])
        self.show_obligations([], 0)
        self.show_conflicts([])
        self.set_status(_("Loading…"))

    def show_snapshot(self, snapshot: DashboardSnapshot) -> None:
        self.snapshot_taken = snapshot.taken_at
        visible = self.app.size.height  # no table shows more rows than the terminal has lines
        self.show_sessions(snapshot.sessions[:visible])
        self.show_obligations(snapshot.obligations[:visible], snapshot.obligation_count)
        self.show_conflicts(snapshot.conflicts[:visible])
        self.set_status(_("as of {time}, refreshing…").format(time=as_of(snapshot.taken_at)))

    def action_refresh(self) -> None:
        self.loaded.clear()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app = self.lms
        snapshot_file = app.snapshot_file()  # in the language the words below are looked up in
        worker = get_current_worker()
        parts: dict[str, Part] = {}
        prefetch = app.take_prefetch()  # the first load after ``lms tui`` starts: parts loaded on another core
        if prefetch is not None:
            self.loader = prefetch  # stopped if this screen goes first
            try:
                for part in prefetch.parts():
                    if self.leaving(worker):
                        return  # leaving the loop stops the loader
                    parts[part.name] = part
                    self.post_message(self.PartLoaded(part))
            except PrefetchCannotOpen as error:  # nothing here can work either; say so on the command line
                self.app.call_from_thread(app.cannot_open, str(error))
                return
            except PrefetchIncomplete:
                parts.clear()  # loaded here instead, which also says what went wrong, if anything did
            else:
                self.loaded_from = "loader"
                app.warm_up()  # now, not sooner: in this process it would slow the parts' painting
        if self.leaving(worker):
            return
        if "history" not in parts:
            parts = self.load_here(worker)
        if self.leaving(worker) or "history" not in parts:
            return
        taken = DashboardSnapshot(
            dt.datetime.now(dt.UTC),
            parts["sessions"].rows[:SNAPSHOT_ROWS],
            parts["history"].rows[:SNAPSHOT_ROWS],
            parts["history"].count,
            parts["conflicts"].rows[:SNAPSHOT_ROWS],
        )
        try:
            write_snapshot(snapshot_file, app.database_url, taken)
        except OSError:
            pass  # a cache: without it the next start shows its loading state a moment longer

    def load_here(self, worker: Worker[None]) -> dict[str, Part]:
        """The parts loaded in this process, each shown as it comes; none when the database cannot be used."""
        from sqlmodel import Session

        app = self.lms
        parts: dict[str, Part] = {}
        try:
            app.engine  # noqa: B018 - opened here, off the screen's thread
        except LmsError as error:  # unreachable, not a database: nothing here can work; say so on the command line
            self.app.call_from_thread(app.cannot_open, str(error))
            return parts
        try:
            calendar = self.calendar()
            with Session(app.engine) as session:
                # The last part takes seconds on a big history: stop when the screen goes (the app cannot quit
                # mid-thread).
                for part in load_parts(session, calendar, app.today, stop=lambda: self.leaving(worker)):
                    parts[part.name] = part
                    self.post_message(self.PartLoaded(part))
        except LmsError as error:
            self.fail(error)
        if "history" in parts:
            self.loaded_from = "here"
        return parts

    def leaving(self, worker: Worker[None]) -> bool:
        """The screen went (a switch, a language change, the app quitting): its load stops."""
        return worker.is_cancelled or self.gone

    def on_unmount(self) -> None:
        self.gone = True
        if self.loader is not None:
            self.loader.stop()  # a read waiting on it in the worker ends at once

    def on_dashboard_screen_part_loaded(self, message: PartLoaded) -> None:
        part = message.part
        if part.name == "sessions":
            self.show_sessions(part.rows)
        elif part.name == "conflicts":
            self.show_conflicts(part.rows)
        else:  # the obligations open now, then all of them
            self.show_obligations(part.rows, part.count)
        self.arrived(part.name)

    def show_sessions(self, rows: list[dict[str, Any]]) -> None:
        self.sessions = rows
        headers = self.headers("sessions")
        codes = [row["code"] for row in rows]
        spans = [short_span(row["first_day"], row["last_day"]) for row in rows]
        statuses = [status_text(row["status"], row["status_label"], row["provisional"], compact=True) for row in rows]
        course_width, trainers_width = shared_widths(headers, [codes, spans, statuses])
        cells = [
            (code, span, clip(row["course"], course_width), status, clip(row["trainers"], trainers_width))
            for code, span, status, row in zip(codes, spans, statuses, rows, strict=True)
        ]
        fill_table(self.table("sessions"), headers, cells)
        provisional = next((r["provisional"] for r in rows if marks_provisional(r["status"], r["provisional"])), "")
        title = _("Upcoming sessions") + (f" · {PROVISIONAL_SYMBOL} {provisional}" if provisional else "")
        self.query_one("#upcoming-pane .section-title", Static).update(title)

    def show_obligations(self, rows: list[dict[str, Any]], count: int) -> None:
        self.obligations, self.obligation_count = rows, count
        cells = []
        for row in rows[:SHOWN_OBLIGATIONS]:
            label = Text(f" {row['status_label']} ", style=OBLIGATION_STYLES.get(row["status"], ""))
            left = "" if row.get("working_days_left") is None else str(row["working_days_left"])
            window = span_text(row["window_start"], row["window_end"])
            cells.append((label, row["project"], row["obligation"], row["period_name"], window, left, row["reason"]))
        fill_table(self.table("obligations"), self.headers("obligations"), cells, max_width=90)

    def show_conflicts(self, rows: list[dict[str, Any]]) -> None:
        self.conflicts = rows
        cells = [(short_day(row["day"]), Text(row["label"], style="red"), ", ".join(row["sessions"])) for row in rows]
        fill_table(self.table("conflicts"), self.headers("conflicts"), cells)

    def arrived(self, part: str) -> None:
        self.loaded.add(part)
        if not self.data_ready:
            return  # the snapshot's mark, or "Loading…", stays until sessions, obligations and conflicts are all live
        counts = _(
            # counts first would need plural forms ("1 conflicts"); a label and its count reads right for any count
            "obligations needing attention: {obligations} · upcoming sessions: {sessions} · conflicts: {conflicts}"
        ).format(obligations=self.obligation_count, sessions=len(self.sessions), conflicts=len(self.conflicts))
        if self.obligation_count > SHOWN_OBLIGATIONS:
            counts += " " + _("(the {count} most urgent shown)").format(count=SHOWN_OBLIGATIONS)
        if "history" not in self.loaded:
            counts += " · " + _("checking earlier periods…")
        self.set_status(counts)

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return
        row = focused.cursor_row
        if focused.id == "obligations":
            self.lms.action_show("projects", project=self.obligations[row]["project"])
        elif focused.id == "sessions":
            self.lms.open_session(self.sessions[row]["code"])
        elif focused.id == "conflicts":
            self.lms.open_session(self.conflicts[row]["sessions"][0])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "obligations" and event.cursor_row < len(self.obligations):
            row = self.obligations[event.cursor_row]
            text = Text(f"{row['project']} {row['obligation']} {row['period_name']}: ", style="bold")
            text.append(row["reason"])
            self.query_one("#obligation-detail", Static).update(text)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def export_selection(self) -> ExportChoice | None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            if focused.id == "obligations":
                return project_export(self.obligations[focused.cursor_row]["project"])
            if focused.id == "sessions" and self.sessions[focused.cursor_row]["project"]:
                return project_export(self.sessions[focused.cursor_row]["project"])
        return None


def shared_widths(headers: list[str], fixed: list[list[Any]]) -> tuple[int, int]:
    """The widths the course and trainers columns share once the code, days and status columns (``fixed``: their
    cells) have theirs, so that every column stays in the pane, in Chinese and in English."""
    columns = zip((headers[0], headers[1], headers[3]), fixed, strict=True)
    taken = sum(max(cell_width(cell) for cell in [header, *cells]) for header, cells in columns)
    rest = UPCOMING_WIDTH - 2 * len(headers) - taken  # DataTable pads each cell with a column on both sides
    course = max(rest // 2, cell_width(headers[2]))
    return course, max(rest - course, cell_width(headers[4]))


def as_of(taken_at: dt.datetime) -> str:
    """When a snapshot was taken, in the working time zone: HH:MM, with the date when it was not today."""
    from lms.calendars.dates import working_timezone, working_today

    try:
        local = taken_at.astimezone(working_timezone())
        today = working_today()
    except LmsError:  # a wrong zone or LMS_TODAY: the refresh that follows says so; the time alone is still true
        local, today = taken_at.astimezone(dt.UTC), None
    if local.date() == today:
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
