"""Calendar: a week or a month, one lane per trainer or room; multi-day sessions day by day, non-working days and
调休 make-up working days marked in the header, a red cell where a lane holds two sessions on one day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Static

from lms.calendar_view import BUYER_SITE_LANE, CalendarView, DayKind, LaneEntry, LaneKind, Span, calendar_view, step
from lms.errors import LmsError
from lms.i18n import _
from scheduler_tui import keys
from scheduler_tui.labels import (
    SESSION_STYLES,
    clip,
    day_kind_letter,
    day_kind_mark,
    pad_to,
    session_status_label,
    weekday_letter,
    weekday_name,
)
from scheduler_tui.screens.base import ExportChoice, LmsScreen, trainer_export
from scheduler_tui.screens.date_dialog import DateDialog
from scheduler_tui.widgets.tables import fill_table

HEADER_STYLES = {
    DayKind.working: "",
    DayKind.weekend: "dim",
    DayKind.holiday: "bold red",
    DayKind.makeup: "bold yellow",
    DayKind.unknown: "magenta",
}
BLOCKS = {"planned": "yellow", "confirmed": "green", "held": "dim green"}


def column_label(day: dt.date, kind: DayKind, span: Span, today: bool) -> Text:
    mark = day_kind_mark(kind)
    if span == Span.week:
        text = f"{weekday_name(day)} {day:%m-%d}" + (f" {mark}" if mark else "")
    else:  # three columns a day, without padding, so that a month fits in 120 columns
        text = f" {day.day:02d}\n {day_kind_letter(kind) or weekday_letter(day)}"
    return Text(text, style=HEADER_STYLES[kind] + (" reverse" if today else ""))


def cell(entries: list[LaneEntry], kind: DayKind, span: Span, lane_kind: LaneKind, lane: str) -> Text:
    pad = " " if span == Span.month else ""
    if not entries:
        return Text(pad + ("·" if kind != DayKind.holiday else day_kind_letter(kind)), style="dim")
    clash = len(entries) > 1 and lane != BUYER_SITE_LANE  # two sessions for one trainer or room on one day
    first = entries[0]
    if span == Span.month:
        text = f"×{len(entries)}" if len(entries) > 1 else "██"
        return Text(pad).append(text, style="bold white on red" if clash else BLOCKS.get(first.status, ""))
    label = first.code + (f" {first.index}/{first.length}" if first.length > 1 else "")
    if len(entries) > 1:
        label += f" +{len(entries) - 1}"
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

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static("", id="period", classes="section-title")
        yield DataTable(id="grid", cursor_type="cell", zebra_stripes=True)
        yield Static(self.legend(), id="legend")
        yield from self.frame_bottom()

    def legend(self) -> Text:
        text = Text()
        for status, style in BLOCKS.items():
            text.append("██", style=style).append(f" {session_status_label(status)}  ")
        text.append(" ×2 ", style="bold white on red").append(" " + _("two sessions on one day") + "  ")
        for kind, word, meaning in (
            (DayKind.holiday, _("off"), _("public holiday")),
            (DayKind.makeup, _("make-up"), _("make-up working day (调休)")),
        ):
            text.append(f"{day_kind_letter(kind)} {word}", style=HEADER_STYLES[kind]).append(f" {meaning}  ")
        text.append("?", style=HEADER_STYLES[DayKind.unknown]).append(" " + _("outside the calendar's years"))
        return text

    def on_mount(self) -> None:
        self.anchor_day = self.anchor_day or self.lms.today
        self.load()

    def restart_args(self) -> dict[str, Any]:
        return {"anchor": self.anchor_day, "span": self.span.value, "lanes": self.lanes_by.value}

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        assert self.anchor_day is not None
        try:
            with Session(self.lms.engine) as session:
                view = calendar_view(
                    session, self.calendar(), anchor=self.anchor_day, span=self.span, lanes_by=self.lanes_by
                )
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.ViewLoaded(view))

    def on_calendar_screen_view_loaded(self, message: ViewLoaded) -> None:
        view = self.view = message.view
        table = self.query_one("#grid", DataTable)
        cursor = table.cursor_coordinate
        table.header_height = 1 if view.span == Span.week else 2
        table.cell_padding = 1 if view.span == Span.week else 0
        pad = " " if view.span == Span.month else ""  # the month view has no cell padding
        headers = [Text(pad + (_("Trainer") if view.lanes_by == LaneKind.trainer else _("Room")))]
        headers += [column_label(day, view.kinds[day], view.span, day == self.lms.today) for day in view.dates]
        rows = [
            (
                pad + pad_to(clip(lane.label if lane.key != BUYER_SITE_LANE else _("at the buyer's site"), 18), 19),
                *(
                    cell(lane.days.get(day, []), view.kinds[day], view.span, view.lanes_by, lane.key)
                    for day in view.dates
                ),
            )
            for lane in view.lanes
        ]
        fill_table(table, headers, rows, keep_cursor=False)
        if table.row_count:  # the cursor stays on its lane and goes to the anchor day (it follows the cursor)
            column = view.dates.index(self.anchor_day) + 1 if self.anchor_day in view.dates else cursor.column
            table.cursor_coordinate = Coordinate(min(cursor.row, table.row_count - 1), max(1, column))
        title = _("Week {first} – {last}") if view.span == Span.week else _("Month {first} – {last}")
        lanes = _("by trainer") if view.lanes_by == LaneKind.trainer else _("by room")
        self.query_one("#period", Static).update(f"{title.format(first=view.first, last=view.last)} · {lanes}")
        table.focus()
        self.describe_cursor()

    def cursor_place(self) -> tuple[Any, dt.date | None]:
        """(lane, day) under the cursor; the day is None on the lane-name column."""
        table = self.query_one("#grid", DataTable)
        if self.view is None or not self.view.lanes:
            return None, None
        row, column = table.cursor_coordinate
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

    def on_data_table_cell_highlighted(self, _event: DataTable.CellHighlighted) -> None:
        self.describe_cursor()

    def on_data_table_cell_selected(self, _event: DataTable.CellSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        lane, day = self.cursor_place()
        if lane is not None and day is not None and lane.days.get(day):
            self.lms.open_session(lane.days[day][0].code)

    def action_refresh(self) -> None:
        self.load()

    def action_step(self, count: int) -> None:
        assert self.anchor_day is not None
        self.anchor_day = step(self.anchor_day, self.span, count)
        self.load()

    def action_toggle_span(self) -> None:
        self.span = Span.month if self.span == Span.week else Span.week
        self.load()

    def action_toggle_lanes(self) -> None:
        self.lanes_by = LaneKind.room if self.lanes_by == LaneKind.trainer else LaneKind.trainer
        self.load()

    def action_today(self) -> None:
        self.anchor_day = self.lms.today
        self.load()

    def action_jump(self) -> None:
        def chosen(day: dt.date | None) -> None:
            if day:
                self.anchor_day = day
                self.load()

        self.app.push_screen(DateDialog(_("Go to date"), self.anchor_day or self.lms.today), chosen)

    def export_selection(self) -> ExportChoice | None:
        lane, _day = self.cursor_place()
        if lane is None or self.lanes_by != LaneKind.trainer:
            return None
        return trainer_export(lane.key, lane.label.split(" ", 1)[-1])
