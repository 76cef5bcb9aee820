"""The one way we write CSV: safe to open in a spreadsheet, and readable by Excel on Chinese Windows.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and
LibreOffice (``=HYPERLINK(...)`` sends data away, ``+cmd|...`` ran programs through DDE). As OWASP recommends
(https://owasp.org/www-community/attacks/CSV_Injection), such a cell gets a leading single quote, which the
spreadsheet shows as text. Numbers we write ourselves (``-3``, ``-0.5``) are not text from anyone, so they stay
numbers. The output is UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads UTF-8 as GBK and
shows mojibake.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from lms.files.storage import write_atomically

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """The value a spreadsheet shows as typed: text starting like a formula gets a leading single quote."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return value  # int, float, Decimal: our own numbers, never a formula
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The whole table as text, BOM first, every cell neutralised; CRLF line ends as RFC 4180 and Excel use."""
    buffer = io.StringIO(newline="")
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def write_csv(stream: TextIO, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write the table to an open text stream (standard output, say)."""
    stream.write(csv_text(header, rows))
    stream.flush()


def write_csv_file(path: Path, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write the table to a file atomically: a failure leaves no partial file."""
    write_atomically(path, csv_text(header, rows).encode("utf-8"))
