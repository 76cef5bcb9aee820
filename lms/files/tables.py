"""Tables as people send them: an Excel workbook (first sheet), CSV in UTF-8, UTF-8 with BOM or GBK (read as GB18030),
or Excel's "Unicode text" (UTF-16, tab-separated). Every row keeps the line (or sheet row) it came from.

Workbooks are read with python-calamine (Rust; .xlsx, .xls and .ods, values without formulas evaluated by us). The
format is recognised by the file's first bytes, not its name: buyers rename files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lms.errors import LmsError
from lms.files.limits import SizeLimit, read_limited
from lms.files.textfiles import BOM, decode_table_text, refuse_nul
from lms.i18n import _

MAX_ROWS = 100_000  # well past any roster; a workbook that says more (a zip bomb, say) is refused
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # .xlsx/.ods (zip), .xls (OLE)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number: an 18-digit ID number typed as one is lost


@dataclass(frozen=True)
class Cell:
    """A cell's text, and whether the spreadsheet stored it as a number too long to be exact."""

    text: str
    lost_digits: bool = False


@dataclass(frozen=True)
class TableRow:
    line: int  # the CSV line or the sheet's row number, as the person sees it
    cells: list[Cell]


@dataclass(frozen=True)
class TableFile:
    rows: list[TableRow]
    encoding: str  # "UTF-8", "UTF-8 (BOM)", "GBK", "UTF-16" or "Excel (sheet name)"


def read_table(path: Path, limit: SizeLimit) -> TableFile:
    """Read a table file whole (after the size check). Raises :class:`LmsError` naming the file and line."""
    raw = read_limited(path, limit)
    if raw.startswith(WORKBOOK_MAGIC):
        return _workbook(raw, path)
    if raw.startswith(UTF16_BOMS):
        try:
            text = refuse_nul(raw.decode("utf-16"), path)
        except UnicodeDecodeError as error:
            message = _("not valid UTF-16 (byte {offset}); save it again as Unicode text").format(offset=error.start)
            raise LmsError(message, file=path) from None
        return TableFile(_csv_rows(text, path), "UTF-16")
    text, encoding = decode_table_text(raw, path)
    return TableFile(_csv_rows(text.removeprefix(BOM.decode()), path), encoding)


def _csv_rows(text: str, path: Path) -> list[TableRow]:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)  # as csv wants: a lone \r ends a row too
    rows: list[TableRow] = []
    try:
        for cells in reader:
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows(path, reader.line_num)
            rows.append(TableRow(reader.line_num, [Cell(cell.strip()) for cell in cells]))
    except csv.Error as error:  # a field longer than csv's limit (128 KiB), mostly
        message = _("not a readable CSV file: {reason}").format(reason=error)
        raise LmsError(message, file=path, line=reader.line_num) from None
    return rows


def _workbook(raw: bytes, path: Path) -> TableFile:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheet = book.get_sheet_by_index(0)
        if sheet.total_height > MAX_ROWS:
            raise _too_many_rows(path, sheet.total_height)
        rows = [
            TableRow(number, [_sheet_cell(value) for value in values])
            for number, values in enumerate(_sheet_rows(sheet), start=1)
        ]
    except PasswordError:
        raise LmsError(_("the workbook is protected by a password; save a copy without one"), file=path) from None
    except (CalamineError, ValueError, OSError) as error:
        message = _("not a workbook Excel can open (.xlsx, .xls or .ods): {reason}").format(reason=error)
        raise LmsError(message, file=path) from None
    return TableFile(rows, _("Excel (sheet {name})").format(name=sheet.name))


def _sheet_rows(sheet: object) -> Iterator[list[object]]:
    yield from sheet.to_python(skip_empty_area=False)  # type: ignore[attr-defined]


def _sheet_cell(value: object) -> Cell:
    """A spreadsheet value as the text a person typed: 13912345678 not 13912345678.0, dates as YYYY-MM-DD."""
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE")
    if isinstance(value, float) and value.is_integer():
        return Cell(str(int(value)), lost_digits=len(str(int(abs(value)))) > EXCEL_DIGITS)
    if isinstance(value, int):
        return Cell(str(value), lost_digits=len(str(abs(value))) > EXCEL_DIGITS)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return Cell(value.date().isoformat())
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return Cell(value.isoformat())
    return Cell(str(value).strip())


def _too_many_rows(path: Path, count: int) -> LmsError:
    message = _("{count} rows is more than the {limit} a table may have").format(count=count, limit=MAX_ROWS)
    return LmsError(message, file=path)
