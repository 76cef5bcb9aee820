"""Rosters from the buyer's staff list (CSV as Excel writes it: UTF-8 with or without BOM, or GBK).

Every row is checked before anything is written: a file with one bad row adds nobody, and the error names the
file, line and column of each problem. People are matched by code, then ID number, then employee number within the
buyer; the others are created as buyer staff.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from lms.errors import LmsError, NotFoundError
from lms.files.limits import ROSTERS
from lms.files.textfiles import decode_table_text, read_bytes
from lms.i18n import _
from lms.models import Organisation, Person, Project, RosterEntry, TrainingSession
from lms.models.lookup import find_by_code, session_by_code
from lms.scheduling.sessions import CODE_ALPHABET, add_to_roster

# Column names as buyers write them, English or Chinese; the first is the field's own name.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "姓名", "名字"),
    "name_en": ("name_en", "english name", "英文名", "拼音"),
    "code": ("code", "编号", "人员编号"),
    "employee_number": ("employee_number", "employee number", "employee no", "工号", "员工号", "员工编号"),
    "id_number": ("id_number", "id number", "身份证号", "身份证", "身份证号码"),
    "phone": ("phone", "mobile", "电话", "手机", "手机号", "联系电话"),
    "email": ("email", "e-mail", "邮箱", "电子邮箱"),
    "title": ("title", "position", "岗位", "职务", "职位"),
}
HEADER_TO_FIELD = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class RosterFileError(LmsError):
    """Every problem found in a roster file; nothing was imported."""

    def __init__(self, problems: list[LmsError]) -> None:
        first = problems[0]
        super().__init__(first.message, file=first.file, line=first.line, field=first.field)
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
class RosterImport:
    """What an import did; ``encoding`` is the one detected (UTF-8, UTF-8 (BOM) or GBK)."""

    file: Path
    encoding: str
    session_code: str
    created: int = 0
    matched: int = 0
    added_to_roster: int = 0
    already_on_roster: int = 0
    roster_size: int = 0
    capacity: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    # (line, person code, name on record, name in the file): known people whose name the file writes otherwise
    name_differences: list[tuple[int, str, str, str]] = field(default_factory=list)

    def summary(self) -> list[str]:
        """What the import did, in lines for the person who ran it (the command line and the roster screen)."""
        lines = [
            _(
                "{file}: read as {encoding}; {added} added to the roster ({created} new people, {matched} known, "
                "{already} already on it)"
            ).format(
                file=self.file.name,
                encoding=self.encoding,
                added=self.added_to_roster,
                created=self.created,
                matched=self.matched,
                already=self.already_on_roster,
            )
        ]
        for line, code, recorded, written in self.name_differences:
            lines.append(
                _(
                    "line {line}: the name differs: {code} is on record as {recorded}, the file says {written}; "
                    "the record was not changed. If the file is right: lms people edit {code} --name {written} "
                    "--reason TEXT"
                ).format(line=line, code=code, recorded=recorded, written=written)
            )
        if self.ignored_columns:
            lines.append(_("columns ignored: {columns}").format(columns=", ".join(self.ignored_columns)))
        if self.roster_size > self.capacity:
            lines.append(
                _("the roster ({count}) is larger than the capacity ({capacity})").format(
                    count=self.roster_size, capacity=self.capacity
                )
            )
        return lines


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


def read_staff_file(path: Path) -> tuple[list[StaffRow], str, list[str]]:
    """Decode and check the file; returns (rows, encoding, ignored columns) or raises :class:`RosterFileError`."""
    text, encoding = decode_table_text(read_bytes(path, limit=ROSTERS), path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)  # as csv wants: a lone \r ends a row too
    try:
        return _checked_rows(path, reader, encoding)
    except csv.Error as error:  # a field longer than csv's limit (128 KiB), mostly
        message = _("not a readable CSV file: {reason}").format(reason=error)
        raise RosterFileError([LmsError(message, file=path, line=reader.line_num)]) from None


def _checked_rows(path: Path, reader: Any, encoding: str) -> tuple[list[StaffRow], str, list[str]]:
    """The header and every row checked; all the problems together in one :class:`RosterFileError`."""
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise RosterFileError([LmsError(_("the file is empty; the first line names the columns"), file=path, line=1)])
    fields = [HEADER_TO_FIELD.get(cell.strip().lower()) for cell in header]
    ignored = [cell.strip() for cell, name in zip(header, fields, strict=True) if name is None and cell.strip()]
    if "name" not in fields:
        message = _("no name column (姓名 or name) in the first line")
        raise RosterFileError([LmsError(message, file=path, line=1)])
    problems: list[LmsError] = []
    rows: list[StaffRow] = []
    first_seen: dict[tuple[str, str], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cell.strip() for name, cell in zip(fields, cells, strict=False) if name and cell.strip()}
        for name, message in row_problems(values):
            problems.append(LmsError(message, file=path, line=line, field=header[fields.index(name)].strip()))
        for key in ("code", "id_number", "employee_number"):
            if key in values:
                seen = first_seen.setdefault((key, values[key].upper()), line)
                if seen != line:
                    message = _("the same value is on line {line}").format(line=seen)
                    problems.append(LmsError(message, file=path, line=line, field=header[fields.index(key)].strip()))
        rows.append(StaffRow(line, values))
    if problems:
        raise RosterFileError(problems)
    if not rows:
        raise RosterFileError([LmsError(_("the file names no one"), file=path, line=2)])
    return rows, encoding, ignored


def row_problems(values: dict[str, str]) -> list[tuple[str, str]]:
    """(field, message) for each value in a row that cannot be right."""
    found: list[tuple[str, str]] = []
    if not values.get("name"):
        found.append(("name", _("a name is required")))
    elif len(values["name"]) > 100:
        found.append(("name", _("longer than {limit} characters").format(limit=100)))
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


def buyer_of(session: Session, training: TrainingSession, organisation_code: str | None) -> Organisation:
    """The organisation new trainees belong to: the one named, else the buyer of the session's project."""
    if organisation_code:
        organisation = session.exec(select(Organisation).where(Organisation.code == organisation_code)).first()
        if organisation is None:
            raise NotFoundError(_("unknown organisation {code}").format(code=organisation_code), field="organisation")
        return organisation
    project = session.get(Project, training.project_id) if training.project_id is not None else None
    organisation = session.get(Organisation, project.buyer_id) if project else None
    if organisation is None:
        raise LmsError(
            _("session {code} has no project, so say which organisation the staff belong to").format(
                code=training.code
            ),
            field="organisation",
        )
    return organisation


def import_roster(
    session: Session, *, session_code: str, path: Path, organisation_code: str | None = None
) -> RosterImport:
    """Put everyone in the staff list on the session's roster, creating the people not known yet. The caller
    commits; on any error nothing has been added to the session."""
    rows, encoding, ignored = read_staff_file(path)  # the file first: a bad one says so, whatever the session
    training = session_by_code(session, session_code, field="session")
    organisation = buyer_of(session, training, organisation_code)
    result = RosterImport(path, encoding, training.code, ignored_columns=ignored, capacity=training.capacity)
    people: list[Person] = []
    problems: list[LmsError] = []
    for row in rows:
        person = match_person(session, organisation, row.values)
        if person is not None and person.organisation_id != organisation.id:
            message = _("{name} ({code}) is already known at another organisation").format(
                name=person.name, code=person.code
            )
            problems.append(LmsError(message, file=path, line=row.line))
        elif person is not None:
            result.matched += 1
            people.append(person)
            if person.name != row.values["name"]:
                result.name_differences.append((row.line, person.code, person.name, row.values["name"]))
        else:
            people.append(new_staff(session, organisation, row.values))
            result.created += 1
    if problems:
        raise RosterFileError(problems)
    session.flush()
    result.added_to_roster = add_to_roster(session, training, people)
    result.already_on_roster = len(people) - result.added_to_roster
    result.roster_size = len(session.exec(select(RosterEntry.id).where(RosterEntry.session_id == training.id)).all())
    return result


def match_person(session: Session, organisation: Organisation, values: dict[str, str]) -> Person | None:
    if "code" in values:
        found = find_by_code(session, Person, values["code"])
        if found is not None:
            return found
    if "id_number" in values:
        found = session.exec(select(Person).where(Person.id_number == values["id_number"].upper())).first()
        if found is not None:
            return found
    if "employee_number" in values:
        return session.exec(
            select(Person).where(
                Person.organisation_id == organisation.id, Person.employee_number == values["employee_number"]
            )
        ).first()
    return None


def new_staff(session: Session, organisation: Organisation, values: dict[str, str]) -> Person:
    code = values.get("code") or unused_person_code(session)
    person = Person(
        code=code,
        kind="buyer_staff",
        name=values["name"],
        name_en=values.get("name_en"),
        organisation_id=organisation.id or 0,
        title=values.get("title"),
        id_number=values["id_number"].upper() if "id_number" in values else None,
        employee_number=values.get("employee_number"),
        phone=values.get("phone"),
        email=values.get("email"),
        home_city=organisation.city,
    )
    session.add(person)
    session.flush()
    return person


def unused_person_code(session: Session) -> str:
    while True:
        code = "B-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if find_by_code(session, Person, code) is None:
            return code
