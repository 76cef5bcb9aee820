"""Filling a DataTable in one go, each column as wide as its widest cell.

Widths are set up front rather than measured by the table: DataTable measures new rows in its idle handler, and
rows drawn before that keep the old column widths in its render cache (seen as truncated columns when several
tables fill at once). Fixed widths also spare that measuring pass.

Text cells go in as plain ``Text``: DataTable reads a ``str`` as Rich markup, so a name or a file with ``[b]`` in it
would lose its brackets, and one with ``[/]`` would stop the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def cell_width(value: Any) -> int:
    plain = value.plain if isinstance(value, Text) else str(value)
    if "\n" not in plain:
        return cell_len(plain)
    return max(cell_len(line) for line in plain.split("\n"))


def plain(value: Any) -> Any:
    """A string as literal text (not markup), cut rather than wrapped as DataTable cuts its one-line rows' strings;
    anything else as it is."""
    return Text(value, no_wrap=True, end="") if isinstance(value, str) else value


def fill_table(
    table: DataTable[Any],
    headers: Sequence[str | Text],
    rows: Sequence[Sequence[Any]],
    *,
    max_width: int = 60,
    keep_cursor: bool = True,
) -> None:
    """Replace columns and rows; the cursor stays where it was when the table is long enough."""
    cursor = table.cursor_coordinate
    widths = [cell_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], cell_width(value))
    table.clear(columns=True)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(plain(header), width=min(width, max_width))
    table.add_rows([plain(value) for value in row] for row in rows)
    if keep_cursor and table.row_count:
        table.move_cursor(row=min(cursor.row, table.row_count - 1), column=cursor.column, animate=False)
