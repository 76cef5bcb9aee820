"""A light grid for the calendar: fixed header lines, one line per lane, a cell cursor, only the visible lines drawn.

A DataTable renders each cell through Rich's padding and layout (about 0.3 ms a cell here): a week of 70 lanes took
~70 ms to redraw and a month ~300 ms, so stepping through weeks missed the 50 ms a key may take. Here each line is
a few segments joined per cell, built when asked for (Textual's line API), so a new week draws in a few ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

CURSOR = Style(reverse=True, bold=True)


class CalendarGrid(ScrollView, can_focus=True):
    """Rows of cells under one or two header lines; column 0 names the lane, the cursor moves over the others."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("pageup", "move(-10, 0)", show=False),
        Binding("pagedown", "move(10, 0)", show=False),
        Binding("home", "move(0, -99)", show=False),
        Binding("end", "move(0, 99)", show=False),
        Binding("enter", "choose", show=False),
    ]
    DEFAULT_CSS = """
    CalendarGrid { background: $surface; padding-left: 1; }
    """

    cursor: reactive[tuple[int, int]] = reactive((0, 1), always_update=True)

    @dataclass
    class CursorMoved(Message):
        row: int
        column: int

    @dataclass
    class Chosen(Message):
        row: int
        column: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headers: list[list[Text]] = []  # per header line, per column
        self.rows: list[list[Text]] = []
        self.widths: list[int] = []
        self.gap = 1  # spaces after each cell

    @property
    def header_height(self) -> int:
        return len(self.headers)

    def set_data(
        self, headers: Sequence[Sequence[Text]], rows: Sequence[Sequence[Text]], widths: Sequence[int], *, gap: int
    ) -> None:
        """Replace everything shown; the cursor stays where it was, within the new bounds."""
        self.headers, self.rows, self.widths, self.gap = (
            [list(h) for h in headers],
            [list(r) for r in rows],
            [*widths],
            gap,
        )
        self.virtual_size = Size(sum(w + gap for w in self.widths), len(self.rows) + self.header_height)
        row, column = self.cursor
        self.cursor = (max(0, min(row, len(self.rows) - 1)), max(1, min(column, len(self.widths) - 1)))
        self.refresh()

    def line_of(self, cells: Sequence[Text], style: Style, cursor_column: int | None) -> list[Segment]:
        """One segment a cell: its text cut or padded to the column, in its own style over the line's."""
        segments: list[Segment] = []
        get_style = self.app.console.get_style
        for index, (cell, width) in enumerate(zip(cells, self.widths, strict=False)):
            cell_style = style + get_style(cell.style) if cell.style else style
            if index == cursor_column:
                cell_style += CURSOR
            segments.append(Segment(set_cell_size(cell.plain, width), cell_style))
            segments.append(Segment(" " * self.gap, style))
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y < self.header_height:
            segments = self.line_of(self.headers[y], base + Style(bold=True), None)
        else:
            index = y - self.header_height + scroll_y
            if index >= len(self.rows):
                return Strip.blank(width, base)
            row, column = self.cursor
            zebra = base + Style(bgcolor="grey11") if index % 2 else base
            segments = self.line_of(self.rows[index], zebra, column if index == row and self.has_focus else None)
        return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width, base)

    def watch_cursor(self, cursor: tuple[int, int]) -> None:
        row, _column = cursor
        visible = self.size.height - self.header_height
        if row < self.scroll_y:
            self.scroll_to(y=row, animate=False)
        elif visible > 0 and row >= self.scroll_y + visible:
            self.scroll_to(y=row - visible + 1, animate=False)
        self.refresh()
        self.post_message(self.CursorMoved(*cursor))

    def action_move(self, rows: int, columns: int) -> None:
        if not self.rows:
            return
        row, column = self.cursor
        self.cursor = (
            max(0, min(row + rows, len(self.rows) - 1)),
            max(1, min(column + columns, len(self.widths) - 1)),
        )

    def action_choose(self) -> None:
        self.post_message(self.Chosen(*self.cursor))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        """The cell under the pointer: count the column widths from the left edge."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self.header_height or not self.rows:
            return
        row = offset.y - self.header_height + int(self.scroll_y)
        x, left = offset.x + int(self.scroll_x), 0
        for column, width in enumerate(self.widths):
            if left <= x < left + width + self.gap:
                if row < len(self.rows) and column >= 1:
                    chosen = (row, column)
                    if self.cursor == chosen:
                        self.post_message(self.Chosen(*chosen))
                    self.cursor = chosen
                return
            left += width + self.gap
