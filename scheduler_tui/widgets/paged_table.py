"""A DataTable holding one page of a longer result: PageDown at the last row asks for the next page, PageUp at the
first row for the previous one. A stock DataTable measures every cell before it paints (1.7 s at 10,000 rows), so
long lists are filtered and paged in SQL and only a page lives here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.widgets import DataTable

from scheduler_tui.widgets.tables import fill_table

PAGE_SIZE = 200


class PagedTable(DataTable[Any]):
    @dataclass
    class PageWanted(Message):
        table: PagedTable
        offset: int
        at_end: bool  # put the cursor on the page's last row (coming back with PageUp)

    def __init__(self, *, id: str | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.page_size = page_size
        self.page_offset = 0
        self.total = 0

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1 and self.page_offset + self.page_size < self.total:
            self.post_message(self.PageWanted(self, self.page_offset + self.page_size, False))
            return
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row == 0 and self.page_offset > 0:
            self.post_message(self.PageWanted(self, max(0, self.page_offset - self.page_size), True))
            return
        super().action_page_up()

    def show_page(
        self, headers: Sequence[str], rows: Sequence[Sequence[Any]], offset: int, total: int, *, at_end: bool = False
    ) -> None:
        keep = self.cursor_row if offset == self.page_offset else 0
        fill_table(self, headers, rows, keep_cursor=False)
        self.page_offset, self.total = offset, total
        if self.row_count:
            self.move_cursor(row=self.row_count - 1 if at_end else min(keep, self.row_count - 1), animate=False)

    @property
    def span_shown(self) -> tuple[int, int]:
        """1-based first and last row numbers of the page within the whole result."""
        return (self.page_offset + 1 if self.row_count else 0), self.page_offset + self.row_count
