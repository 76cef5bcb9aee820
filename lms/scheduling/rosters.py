"""Rosters from the buyer's staff list: read and checked whole (:mod:`lms.scheduling.roster_files`), then written in
short transactions so that a 20,000-row list never holds the database's write lock for long.

1. People are matched by code, then ID number, then employee number within the buyer, with a few set queries and
   no write lock at all.
2. The people not known yet are created in chunks of ``CHUNK`` rows, each its own short transaction. They are
   ordinary buyer staff; if the import stops half-way they are simply known people a re-run matches.
3. The roster changes in ONE short transaction (one multi-row insert and the audit entry), so nobody ever sees a
   partial roster: either the whole list is on it or none of it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.db import chunks
from lms.errors import LmsError, NotFoundError
from lms.files.storage import sha256_file
from lms.i18n import _
from lms.models import Organisation, Person, Project, RosterEntry, TrainingSession
from lms.models.lookup import code_key, find_by_code, session_by_code
from lms.scheduling.roster_files import RosterFileError, StaffList, StaffRow, id_number_problem, read_staff_file
from lms.scheduling.sessions import CODE_ALPHABET

__all__ = ["RosterFileError", "RosterImport", "id_number_problem", "import_roster", "read_staff_file"]

CHUNK = 1000  # people created per transaction: ~0.1 s of lock on SQLite
T = TypeVar("T")


@dataclass
class RosterImport:
    """What an import did; ``encoding`` is the one detected (UTF-8, UTF-8 (BOM), GBK, UTF-16 or the sheet)."""

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
    unstored_columns: list[str] = field(default_factory=list)
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
        if self.unstored_columns:
            lines.append(_("columns checked but not kept: {columns}").format(columns=", ".join(self.unstored_columns)))
        if self.roster_size > self.capacity:
            lines.append(
                _("the roster ({count}) is larger than the capacity ({capacity})").format(
                    count=self.roster_size, capacity=self.capacity
                )
            )
        return lines


def buyer_of(session: Session, training: TrainingSession, organisation_code: str | None) -> Organisation:
    """The organisation new trainees belong to: the one named, else the buyer of the session's project."""
    if organisation_code:
        organisation = find_by_code(session, Organisation, organisation_code)
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
    session: Session, *, session_code: str, path: Path, organisation_code: str | None = None, chunk: int = CHUNK
) -> RosterImport:
    """Put everyone in the staff list on the session's roster, creating the people not known yet.

    Commits as it goes (see the module's notes): the roster itself changes in one transaction at the end.

    Raises:
        RosterFileError: every problem in the file, or people known at another organisation; nothing was written.
    """
    require(Permission.schedule)
    staff = read_staff_file(path)  # the file first: a bad one says so, whatever the session
    training = session_by_code(session, session_code, field="session")
    organisation = buyer_of(session, training, organisation_code)
    result = RosterImport(
        path,
        staff.encoding,
        training.code,
        ignored_columns=staff.ignored_columns,
        unstored_columns=staff.unstored_columns,
        capacity=training.capacity,
    )
    matched = match_people(session, organisation, staff)
    result.matched = sum(person is not None for person in matched)
    result.name_differences = [
        (row.line, person.code, person.name, row.values["name"])
        for row, person in zip(staff.rows, matched, strict=True)
        if person is not None and person.name != row.values["name"]
    ]
    missing = [row for row, person in zip(staff.rows, matched, strict=True) if person is None]
    if missing:
        require(Permission.manage_trainees)
    session.commit()  # end the read transaction before writing
    created = iter(create_staff(session, organisation, missing, chunk))
    person_ids = [(person.id or 0) if person is not None else next(created) for person in matched]
    result.created = len(missing)
    switch_roster_in(session, training, person_ids, result, sha256_file(path))
    return result


def match_people(session: Session, organisation: Organisation, staff: StaffList) -> list[Person | None]:
    """The known person for each row (or None), found with set queries; someone at another buyer is refused."""
    codes = [code_key(row.values["code"]) if "code" in row.values else None for row in staff.rows]
    by_code = _lookup(session, func.upper(Person.code), codes, key=lambda person: code_key(person.code))
    ids = [row.values["id_number"].upper() if "id_number" in row.values else None for row in staff.rows]
    by_id = _lookup(session, col(Person.id_number), ids)
    numbers = [row.values.get("employee_number") for row in staff.rows]
    by_number = _lookup(session, col(Person.employee_number), numbers, Person.organisation_id == organisation.id)
    found: list[Person | None] = []
    problems: list[LmsError] = []
    for row, code, id_number in zip(staff.rows, codes, ids, strict=True):
        person = by_code.get(code or "") or by_id.get(id_number or "")
        person = person or by_number.get(row.values.get("employee_number") or "")
        if person is not None and person.organisation_id != organisation.id:
            message = _("{name} ({code}) is already known at another organisation").format(
                name=person.name, code=person.code
            )
            problems.append(LmsError(message, file=staff.path, line=row.line))
        found.append(person)
    if problems:
        raise RosterFileError(problems)
    return found


def _lookup(
    session: Session, column: Any, values: Sequence[str | None], *where: Any, key: Callable[[Person], str] | None = None
) -> dict[str, Person]:
    """The people whose ``column`` holds one of ``values``, by that value (``key`` says how to read it back)."""
    wanted = sorted({value for value in values if value})
    found: dict[str, Person] = {}
    for part in chunks(wanted):
        for person in session.exec(select(Person).where(column.in_(part), *where)):
            found.setdefault(key(person) if key else str(getattr(person, column.key)), person)
    return found


def create_staff(session: Session, organisation: Organisation, rows: list[StaffRow], chunk: int) -> list[int]:
    """Create the new people, ``chunk`` per transaction; returns their ids in the order of ``rows``."""
    ids: list[int] = []
    for part in chunks(rows, chunk):
        codes = unused_person_codes(session, [row.values.get("code") for row in part])
        people = [new_staff(organisation, row.values, code) for row, code in zip(part, codes, strict=True)]
        session.add_all(people)
        session.commit()
        ids.extend(person.id or 0 for person in people)
    return ids


def switch_roster_in(
    session: Session, training: TrainingSession, person_ids: list[int], result: RosterImport, digest: str
) -> None:
    """Add everyone not on the roster yet, in one short transaction with its audit entry."""
    training = session.get(TrainingSession, training.id) or training
    query = select(RosterEntry.person_id).where(RosterEntry.session_id == training.id)
    existing = set(session.exec(query))
    new = list(dict.fromkeys(person_id for person_id in person_ids if person_id not in existing))
    if new:
        session.execute(insert(RosterEntry), [{"session_id": training.id, "person_id": pid} for pid in new])
    result.added_to_roster = len(new)
    result.already_on_roster = len(person_ids) - len(new)
    result.roster_size = len(existing) + len(new)
    after = {"file": result.file.name, "sha256": digest, "added": len(new), "created": result.created}
    audit.record(session, action="roster.import", entity="session", key=training.code, before=None, after=after)
    session.commit()


def new_staff(organisation: Organisation, values: dict[str, str], code: str) -> Person:
    return Person(
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


def unused_person_codes(session: Session, given: Sequence[str | None]) -> list[str]:
    """The code each new person gets: the one in the file, else a fresh B-XXXXXX not used by anyone."""
    codes = [code or "" for code in given]
    while blanks := [index for index, code in enumerate(codes) if not code]:
        fresh = {"B-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6)) for _ in blanks}
        taken = select(col(Person.code)).where(col(Person.code).in_(sorted(fresh)))
        fresh -= {str(code) for code in session.exec(taken)}
        fresh -= set(codes)
        for index, code in zip(blanks, fresh, strict=False):
            codes[index] = code
    return codes


def unused_person_code(session: Session) -> str:
    return unused_person_codes(session, [None])[0]
