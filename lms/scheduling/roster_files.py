"""Reading and checking a buyer's staff list (Excel workbook, CSV in UTF-8/BOM/GBK, or UTF-16 "Unicode text").

Every row is checked before anything is written; each problem names the file, the row (line), the column number and
the column's header as the buyer wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.errors import LmsError
from lms.files.limits import ROSTERS
from lms.files.tables import Cell, TableRow, read_table
from lms.fonts.coverage import unprintable, unprintable_message
from lms.i18n import _
from lms.scheduling.roster_columns import COLUMN_BY_FIELD, HEADER_TO_FIELD, header_key

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
MAX_LENGTHS = {"name": 100, "name_en": 100, "title": 100, "department": 100, "employee_number": 40, "email": 200}
EXACT_FIELDS = ("id_number", "phone", "employee_number")  # a number Excel rounded is wrong, not just ugly


class RosterFileError(LmsError):
    """Every problem found in a roster file; nothing was imported."""

    def __init__(self, problems: list[LmsError]) -> None:
        first = problems[0]
        super().__init__(first.message, file=first.file, line=first.line, column=first.column, field=first.field)
        self.problems = problems

    def __str__(self) -> str:
        text = str(self.problems[0])
        if len(self.problems) > 1:
            text += " " + _("(and {count} more problems)").format(count=len(self.problems) - 1)
        return text


@dataclass(frozen=True)
class StaffRow:
    """One checked row of the staff list."""

    line: int
    values: dict[str, str]


@dataclass
class StaffList:
    path: Path
    rows: list[StaffRow]
    encoding: str
    ignored_columns: list[str] = field(default_factory=list)
    unstored_columns: list[str] = field(default_factory=list)


def id_number_problem(value: str) -> str | None:
    """Why a mainland resident ID number is malformed, or None (18 characters with a GB 11643 check digit)."""
    if len(value) == 15 and value.isdigit():
        return None  # first-generation ID: no check digit
    if len(value) != 18 or not value[:17].isdigit():
        return _("an ID number has 18 characters: 17 digits and a check digit")
    check = "10X98765432"[sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True)) % 11]
    if value[17].upper() != check:
        return _("the ID number's check digit is wrong (expected {check})").format(check=check)
    return None


def read_staff_file(path: Path) -> StaffList:
    """Read and check the whole file; raises :class:`RosterFileError` with every problem, or an ``LmsError``."""
    table = read_table(path, ROSTERS)
    rows = [row for row in table.rows if any(cell.text for cell in row.cells)]
    if not rows:
        raise RosterFileError([LmsError(_("the file is empty; the first line names the columns"), file=path, line=1)])
    header, body = rows[0], rows[1:]
    fields = [HEADER_TO_FIELD.get(header_key(cell.text)) for cell in header.cells]
    if "name" not in fields:
        message = _("no name column (姓名 or name) in the first line")
        raise RosterFileError([LmsError(message, file=path, line=header.line)])
    staff = StaffList(path, [], table.encoding)
    staff.ignored_columns = [
        cell.text for cell, name in zip(header.cells, fields, strict=True) if not name and cell.text
    ]
    staff.unstored_columns = [
        cell.text for cell, name in zip(header.cells, fields, strict=True) if name and not COLUMN_BY_FIELD[name].stored
    ]
    problems: list[LmsError] = []
    first_seen: dict[tuple[str, str], int] = {}
    for row in body:
        values, cells = _row_values(row, fields)
        found = row_problems(values) + [
            (name, _excel_rounded()) for name in EXACT_FIELDS if cells.get(name, _NO).lost_digits
        ]
        for key in ("code", "id_number", "employee_number"):
            if key in values:
                seen = first_seen.setdefault((key, values[key].upper()), row.line)
                if seen != row.line:
                    found.append((key, _("the same value is on line {line}").format(line=seen)))
        for name, message in found:
            index = fields.index(name)
            where = {"line": row.line, "column": index + 1, "field": header.cells[index].text}
            problems.append(LmsError(message, file=path, **where))  # type: ignore[arg-type]
        staff.rows.append(StaffRow(row.line, values))
    if problems:
        raise RosterFileError(problems)
    if not staff.rows:
        raise RosterFileError([LmsError(_("the file names no one"), file=path, line=header.line + 1)])
    return staff


_NO = Cell("")


def _row_values(row: TableRow, fields: list[str | None]) -> tuple[dict[str, str], dict[str, Cell]]:
    cells = {name: cell for name, cell in zip(fields, row.cells, strict=False) if name and cell.text}
    return {name: cell.text for name, cell in cells.items()}, cells


def _excel_rounded() -> str:
    return _("stored as a number, so Excel kept only 15 digits: format the column as Text and type it again")


def row_problems(values: dict[str, str]) -> list[tuple[str, str]]:
    """(field, message) for each value in a row that cannot be right."""
    found: list[tuple[str, str]] = []
    if not values.get("name"):
        found.append(("name", _("a name is required")))
    elif missing := unprintable(values["name"]):  # a certificate must be able to print it
        found.append(("name", unprintable_message(missing)))
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name, "")) > limit:
            found.append((name, _("longer than {limit} characters").format(limit=limit)))
    if "id_number" in values and (problem := id_number_problem(values["id_number"])):
        found.append(("id_number", problem))
    if "phone" in values:
        digits = re.sub(r"[\s()+-]", "", values["phone"])
        if not digits.isdigit() or not 7 <= len(digits) <= 15:
            found.append(("phone", _("not a phone number: 7 to 15 digits")))
    if "email" in values and not EMAIL_PATTERN.match(values["email"]):
        found.append(("email", _("not an e-mail address")))
    if "code" in values and not CODE_PATTERN.match(values["code"]):
        found.append(("code", _("a code is letters, digits, '-', '_' or '.', at most 40")))
    return found
