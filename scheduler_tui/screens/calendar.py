"""Calendar: a week or a month, one lane per trainer or room; multi-day sessions day by day, non-working days and
调休 make-up working days marked in the header, a red cell where a lane holds two sessions on one day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from lms.calendars.workdays import depends_on_provisional, provisional_mark
from lms.errors import LmsError
from lms.i18n import _
from lms.scheduling.calendar_view import (
    BUYER_SITE_LANE,
    CalendarView,
    DayKind,
    LaneEntry,
    LaneKind,
    Span,
    calendar_view,
    opening_day,
    span_of,
    step,
)
from scheduler_tui import keys
from scheduler_tui.labels import (
    SESSION_STYLES,
    clip,
    day_kind_letter,
    day_kind_mark,
    session_status_label,
    weekday_letter,
    weekday_name,
)
from scheduler_tui.screens.base import ExportChoice, LmsScreen, trainer_export
from scheduler_tui.screens.date_dialog import DateDialog
from scheduler_tui.widgets.calendar_grid import CalendarGrid

HEADER_STYLES = {
    DayKind.working: "",
    DayKind.weekend: "dim",
    DayKind.holiday: "bold red",
    DayKind.makeup: "bold yellow",
    DayKind.unknown: "magenta",
}
BLOCKS = {"planned": "yellow", "confirmed": "green", "held": "dim green"}


def column_labels(day: dt.date, kind: DayKind, span: Span, today: bool) -> list[Text]:
    """The header of a day's column: one line in a week ("Mon 11-23 H"), two in a month ("23" over "M")."""
    style = HEADER_STYLES[kind] + (" reverse" if today else "")
    letter = day_kind_letter(kind)
    if span == Span.week:
        return [Text(f"{weekday_name(day)} {day:%m-%d}" + (f" {letter}" if letter else ""), style=style)]
    return [Text(f"{day.day:02d}", style=style), Text(letter or weekday_letter(day), style=style)]


def cell(entries: list[LaneEntry], kind: DayKind, span: Span, lane_kind: LaneKind, lane: str) -> Text:
    if not entries:
        return Text("·" if kind != DayKind.holiday else day_kind_letter(kind), style="dim")
    clash = len(entries) > 1 and lane != BUYER_SITE_LANE  # two sessions for one trainer or room on one day
    first = entries[0]
    if span == Span.month:
        text = f"×{len(entries)}" if len(entries) > 1 else "██"
        return Text(text, style="bold white on red" if clash else BLOCKS.get(first.status, ""))
    if len(entries) > 1:
        label = f"{first.code} +{len(entries) - 1}"
    else:
        label = first.code + (f" {first.index}/{first.length}" if first.length > 1 else "")
    return Text(label, style="bold white on red" if clash else SESSION_STYLES.get(first.status, ""))


class CalendarScreen(LmsScreen):
    PLACE = "calendar"
    BINDINGS = keys.CALENDAR

    @dataclass
    class ViewLoaded(Message):
        view: CalendarView

    def __init__(self, anchor: dt.date | None = None, span: str = "week", lanes: str = "trainer") -> None:
        super().__init__()
        self.anchor_day = anchor
        self.span = Span(span)
        self.lanes_by = LaneKind(lanes)
        self.view: CalendarView | None = None
        self.jumped_to: str | None = None  # the next session the calendar opened on, named in its title
        self.views: dict[tuple[dt.date, Span, LaneKind], CalendarView] = {}

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static("", id="period", classes="section-title")
        yield CalendarGrid(id="grid")
        yield Static(self.legend(), id="legend")
        yield from self.frame_bottom()

    def legend(self) -> Text:
        text = Text()
        for status, style in BLOCKS.items():
            text.append("██", style=style).append(f" {session_status_label(status)}  ")
        text.append(" ×2 ", style="bold white on red").append(" " + _("double-booked") + "  ")
        for kind, meaning in (
            (DayKind.holiday, _("public holiday")),
            (DayKind.makeup, _("make-up working day (调休)")),
        ):
            text.append(f" {day_kind_letter(kind)} ", style=HEADER_STYLES[kind]).append(f" {meaning}  ")
        text.append("?", style=HEADER_STYLES[DayKind.unknown]).append(" " + _("outside the calendar's years"))
        return text

    def on_mount(self) -> None:
        if self.anchor_day is None:
            self.open_where_the_work_is()
        else:
            self.load()

    @work(thread=True, exclusive=True)
    def open_where_the_work_is(self) -> None:
        with Session(self.lms.engine) as session:
            day, code = opening_day(session, self.lms.today)
        self.app.call_from_thread(self.open_on, day, code)

    def open_on(self, day: dt.date, code: str | None) -> None:
        self.anchor_day, self.jumped_to = day, code
        self.load()

    def restart_args(self) -> dict[str, Any]:
        return {"anchor": self.anchor_day, "span": self.span.value, "lanes": self.lanes_by.value}

    def wanted(self) -> tuple[dt.date, Span, LaneKind]:
        assert self.anchor_day is not None
        return span_of(self.anchor_day, self.span)[0], self.span, self.lanes_by

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """The span to show, then the ones before and after it, kept so that p and n answer at once."""
        assert self.anchor_day is not None
        anchor, span, lanes_by = self.anchor_day, self.span, self.lanes_by
        try:
            with Session(self.lms.engine) as session:
                for count in (0, 1, -1):
                    day = step(anchor, span, count)
                    view = calendar_view(session, self.calendar(), anchor=day, span=span, lanes_by=lanes_by)
                    self.post_message(self.ViewLoaded(view))
        except LmsError as error:
            self.fail(error)

    def on_calendar_screen_view_loaded(self, message: ViewLoaded) -> None:
        view = message.view
        self.views[(view.first, view.span, view.lanes_by)] = view
        if (view.first, view.span, view.lanes_by) == self.wanted():
            self.show_view(view)

    def show_view(self, view: CalendarView) -> None:
        self.view = view
        grid = self.query_one(CalendarGrid)
        row, column = grid.cursor
        lane_header = Text(_("Trainer") if view.lanes_by == LaneKind.trainer else _("Room"))
        columns = [column_labels(day, view.kinds[day], view.span, day == self.lms.today) for day in view.dates]
        headers = [[lane_header, *(labels[0] for labels in columns)]]
        if view.span == Span.month:
            headers.append([Text(""), *(labels[1] for labels in columns)])
        rows = [
            [
                Text(clip(lane.label if lane.key != BUYER_SITE_LANE else _("at the buyer's site"), 18)),
                *(
                    cell(lane.days.get(day, []), view.kinds[day], view.span, view.lanes_by, lane.key)
                    for day in view.dates
                ),
            ]
            for lane in view.lanes
        ]
        widths = [18] + [
            max(cell_len(line[n].plain) for line in [*headers, *rows]) for n in range(1, len(view.dates) + 1)
        ]
        grid.set_data(headers, rows, widths, gap=1 if view.span == Span.month else 2)
        if rows:  # the cursor stays on its lane and goes to the anchor day (which follows the cursor)
            if self.anchor_day in view.dates:
                column = view.dates.index(self.anchor_day) + 1
                row = self.lane_of(self.jumped_to, self.anchor_day) if self.jumped_to else row
            grid.cursor = (min(row, len(rows) - 1), max(1, min(column, len(view.dates))))
        title = _("Week {first} – {last}") if view.span == Span.week else _("Month {first} – {last}")
        lanes = _("by trainer") if view.lanes_by == LaneKind.trainer else _("by room")
        header = Text(f"{title.format(first=view.first, last=view.last)} · {lanes}")
        if depends_on_provisional(self.calendar(), view.first, view.last):  # the year's notice is not out yet
            header.append(" · " + provisional_mark(), style="italic yellow")
        if self.jumped_to:
            header.append(" · " + _("next session {code} · t: today").format(code=self.jumped_to), style="cyan")
        self.query_one("#period", Static).update(header)
        grid.focus()
        self.describe_cursor()

    def lane_of(self, code: str, day: dt.date) -> int:
        """The row of the lane holding session ``code`` on ``day`` (the first row if none does)."""
        assert self.view is not None
        for index, lane in enumerate(self.view.lanes):
            if any(entry.code == code for entry in lane.days.get(day, [])):
                return index
        return 0

    def cursor_place(self) -> tuple[Any, dt.date | None]:
        """(lane, day) under the cursor; the day is None on the lane-name column."""
        if self.view is None or not self.view.lanes:
            return None, None
        row, column = self.query_one(CalendarGrid).cursor
        lane = self.view.lanes[min(row, len(self.view.lanes) - 1)]
        return lane, self.view.dates[column - 1] if column >= 1 else None

    def describe_cursor(self) -> None:
        lane, day = self.cursor_place()
        if lane is None or day is None or self.view is None:
            self.set_status("")
            return
        self.anchor_day = day  # next and previous step from the day under the cursor
        entries = lane.days.get(day, [])
        what = "; ".join(
            f"{e.code} {e.course} {session_status_label(e.status)}"
            + (f" ({e.index}/{e.length})" if e.length > 1 else "")
            for e in entries
        ) or _("free")
        mark = day_kind_mark(self.view.kinds[day])
        self.set_status(f"{day} {weekday_name(day)} {mark} · {lane.key if lane.key != BUYER_SITE_LANE else ''} {what}")

    def on_calendar_grid_cursor_moved(self, _event: CalendarGrid.CursorMoved) -> None:
        self.describe_cursor()

    def on_calendar_grid_chosen(self, _event: CalendarGrid.Chosen) -> None:
        self.action_open()

    def action_open(self) -> None:
        lane, day = self.cursor_place()
        if lane is not None and day is not None and lane.days.get(day):
            self.lms.open_session(lane.days[day][0].code)

    def action_refresh(self) -> None:
        self.views.clear()
        self.load()

    def action_step(self, count: int) -> None:
        if self.anchor_day is None:
            return  # still finding the week to open on
        self.jumped_to = None
        self.anchor_day = step(self.anchor_day, self.span, count)
        if self.wanted() in self.views:  # kept from before: show it now, refresh it once it is on screen
            self.show_view(self.views[self.wanted()])
            self.call_after_refresh(self.load)
        else:
            self.load()

    def action_toggle_span(self) -> None:
        if self.anchor_day is None:
            return
        self.span = Span.month if self.span == Span.week else Span.week
        self.load()

    def action_toggle_lanes(self) -> None:
        if self.anchor_day is None:
            return
        self.lanes_by = LaneKind.room if self.lanes_by == LaneKind.trainer else LaneKind.trainer
        self.load()

    def action_today(self) -> None:
        self.anchor_day, self.jumped_to = self.lms.today, None
        self.load()

    def action_jump(self) -> None:
        def chosen(day: dt.date | None) -> None:
            if day:
                self.anchor_day, self.jumped_to = day, None
                self.load()

        self.app.push_screen(DateDialog(_("Go to date"), self.anchor_day or self.lms.today), chosen)

    def action_import_notice(self) -> None:
        """Paste or open the State Council's holiday notice (admin); the calendar is rebuilt when one is imported."""
        from scheduler_tui.screens.notice_dialog import NoticeDialog

        def closed(year: int | None) -> None:
            if year:
                self.lms.forget_calendar()
                self.action_refresh()

        self.app.push_screen(NoticeDialog(), closed)

    def export_selection(self) -> ExportChoice | None:
        lane, _day = self.cursor_place()
        if lane is None or self.lanes_by != LaneKind.trainer:
            return None
        return trainer_export(lane.key, lane.label.split(" ", 1)[-1])
