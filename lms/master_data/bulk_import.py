"""Reading a master-data file back (YAML or CSV, as :mod:`lms.master_data.bulk_export` writes them).

Organisations come first, then people and rooms, so a file may name an organisation it adds. Each record is added,
or changed through the same services as a form (checked, version-bumped, audited), or left alone when it already
matches. Every problem is collected with its file, line and field; if there is any, the caller's transaction is
rolled back and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from lms.access.roles import Permission, require
from lms.errors import LmsError
from lms.files.limits import ROSTERS
from lms.files.textfiles import decode_table_text, read_bytes
from lms.files.yamlsource import load_yaml_file
from lms.i18n import _
from lms.master_data import organisations, people, rooms
from lms.master_data.bulk_export import COLUMNS, FIELDS, SECTIONS, organisation_record, person_record, room_record
from lms.master_data.records import retire_record, start_of_day
from lms.models import Organisation, Person, Room

ORDER = ("organisation", "person", "room")
SHOWN_PROBLEMS = 20
TRUE_WORDS = {"yes", "y", "true", "1", "是", "x", "✓"}
FALSE_WORDS = {"", "no", "n", "false", "0", "否"}
# Service field names that a file calls otherwise.
FILE_FIELD = {"name_zh": "name", "home_city": "city", "reason": "--reason"}


class MasterDataFileError(LmsError):
    """Every problem in a master-data file; nothing was written."""

    def __init__(self, problems: list[LmsError]) -> None:
        first = problems[0]
        super().__init__(first.message, file=first.file, line=first.line, field=first.field)
        self.problems = problems

    def __str__(self) -> str:
        """One line per problem (file:line: field: message), the first twenty of them."""
        lines = [str(problem) for problem in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            lines.append(_("(and {count} more problems)").format(count=len(self.problems) - SHOWN_PROBLEMS))
        return "\n".join(lines)


@dataclass
class FileRecord:
    """One record as the file has it: every value as text, and the line of each."""

    kind: str
    values: dict[str, str]
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class MasterDataImport:
    added: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)


def read_master_data_file(path: Path) -> list[FileRecord]:
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml_records(path)
    return _csv_records(path)


def _text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    return str(value).strip()


def _yaml_records(path: Path) -> list[FileRecord]:
    document = load_yaml_file(path)
    if not isinstance(document.data, dict):
        raise document.error((), _("expected the lists organisations, people and rooms"))
    found = []
    for section, items in document.data.items():
        if section not in SECTIONS:
            raise document.error((section,), _("expected the lists organisations, people and rooms"))
        for index, item in enumerate(items or []):
            if not isinstance(item, dict):
                raise document.error((section, index), _("each record is a mapping of field: value"))
            kind = SECTIONS[section]
            unknown = [name for name in item if name not in FIELDS[kind]]
            if unknown:
                message = _("not a field of this record (fields: {fields})").format(fields=", ".join(FIELDS[kind]))
                raise document.error((section, index, unknown[0]), message)
            lines = {name: document.locate((section, index, name))[1][0] for name in item}
            line = document.locate((section, index))[1][0]
            found.append(FileRecord(kind, {k: _text(v) for k, v in item.items()}, line, lines))
    return found


def _csv_records(path: Path) -> list[FileRecord]:
    text, _encoding = decode_table_text(read_bytes(path, limit=ROSTERS), path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown or "record" not in header or "code" not in header:
        message = _("the first line names the columns: {columns}").format(columns=", ".join(COLUMNS))
        raise LmsError(message, file=path, line=1, field=unknown[0] if unknown else None)
    found = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: _unquoted(cell.strip()) for name, cell in zip(header, cells, strict=False)}
        kind = values.pop("record", "")
        if kind not in FIELDS:
            message = _("{value!r} is not one of {choices}").format(value=kind, choices=", ".join(FIELDS))
            raise LmsError(message, file=path, line=reader.line_num, field="record")
        found.append(FileRecord(kind, {k: v for k, v in values.items() if k in FIELDS[kind]}, reader.line_num))
    return found


def _unquoted(cell: str) -> str:
    """Take off the single quote the export puts before a formula-like value (=, +, -, @, tab, CR)."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def import_master_data(*, session: Session, path: Path, reason: str | None = None) -> MasterDataImport:
    """Add or bring in line every record of the file. The caller commits; on any problem nothing is kept."""
    require(Permission.manage_people)
    records = sorted(read_master_data_file(path), key=lambda record: ORDER.index(record.kind))
    result = MasterDataImport()
    problems: list[LmsError] = []
    for record in records:
        try:
            outcome = apply_record(session, record, reason)
        except LmsError as error:
            name = FILE_FIELD.get(error.field or "", error.field or "")
            problems.append(LmsError(error.message, file=path, line=record.line_of(name), field=name or None))
            continue
        getattr(result, outcome)[record.kind] += 1
    if problems:
        raise MasterDataFileError(sorted(problems, key=lambda problem: problem.line or 0))
    return result


def apply_record(session: Session, record: FileRecord, reason: str | None) -> str:
    """ "added", "changed" or "unchanged"."""
    values = record.values
    code = values.get("code", "")
    model: Any = {"organisation": Organisation, "person": Person, "room": Room}[record.kind]
    existing = session.exec(select(model).where(model.code == code.strip())).first()
    if existing is not None and _as_file(session, existing) == {k: v for k, v in values.items() if v}:
        return "unchanged"
    if record.kind == "organisation":
        fields: Any = organisations.OrganisationFields(
            kind=values.get("kind", ""),
            name_zh=values.get("name", ""),
            name_en=values.get("name_en", ""),
            city=values.get("city", ""),
        )
        saved: Any = (
            organisations.edit_organisation(session=session, code=code, fields=fields)
            if existing
            else organisations.add_organisation(session=session, code=code, fields=fields)
        )
    elif record.kind == "person":
        fields = _person_fields(values)
        if existing:
            saved = people.edit_person(session=session, code=code, fields=fields, reason=reason).person
        else:
            saved = people.add_person(session=session, code=code, fields=fields)
    else:
        fields = rooms.RoomFields(
            name=values.get("name", ""),
            city=values.get("city", ""),
            capacity=values.get("capacity") or None,
            organisation=values.get("organisation", ""),
            address=values.get("address", ""),
        )
        saved = (
            rooms.edit_room(session=session, code=code, fields=fields)
            if existing
            else rooms.add_room(session=session, code=code, fields=fields)
        )
    _retire_as_filed(session, saved, values.get("retired_on", ""), record.kind)
    return "changed" if existing else "added"


def _person_fields(values: dict[str, str]) -> people.PersonFields:
    lead = values.get("is_technical_lead", "").lower()
    if lead not in TRUE_WORDS | FALSE_WORDS:
        raise LmsError(_("yes or no"), field="is_technical_lead")
    return people.PersonFields(
        kind=values.get("kind", ""),
        name=values.get("name", ""),
        name_en=values.get("name_en", ""),
        organisation=values.get("organisation", ""),
        title=values.get("title", ""),
        id_number=values.get("id_number", ""),
        id_type=values.get("id_type") or None,
        employee_number=values.get("employee_number", ""),
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        home_city=values.get("city", ""),
        is_technical_lead=lead in TRUE_WORDS,
    )


def _as_file(session: Session, record: Organisation | Person | Room) -> dict[str, str]:
    """A stored record as the file would write it (to leave matching records alone)."""
    if isinstance(record, Organisation):
        row = organisation_record(record)
    elif isinstance(record, Person):
        organisation = session.get(Organisation, record.organisation_id)
        assert organisation is not None
        row = person_record(record, organisation)
    else:
        row = room_record(record, session.get(Organisation, record.organisation_id) if record.organisation_id else None)
    return {k: text for k, v in row.items() if (text := _text(v))}


def _retire_as_filed(session: Session, record: Any, retired_on: str, kind: str) -> None:
    """A retirement date in the file retires the record from that day (a retired record stays retired)."""
    if not retired_on or record.retired_at is not None:
        return
    try:
        day = dt.date.fromisoformat(retired_on)
    except ValueError:
        raise LmsError(_("{value!r} is not a date (YYYY-MM-DD)").format(value=retired_on), field="retired_on") from None
    snapshots: dict[str, Callable[[Any], dict[str, Any]]] = {
        "organisation": organisations.organisation_snapshot,
        "person": people.person_snapshot,
        "room": rooms.room_snapshot,
    }
    retire_record(
        session,
        record,
        entity=kind,
        what=record.code,
        loaded_version=None,
        snapshot=snapshots[kind],
        at=start_of_day(day),
    )
