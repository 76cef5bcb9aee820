"""Feedback typed in from paper sheets (CSV: trainee, item, value; sheet). The whole file is checked before anything
is recorded; the same file is refused a second time, since anonymous sheets would otherwise count twice."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.errors import LmsError
from lms.feedback.responses import checked_comments, record_response
from lms.feedback.survey import IMPORT_ACTION, SCALE, Survey, default_survey
from lms.files.limits import TYPED_IN_SHEETS
from lms.files.textfiles import decode_table_text, read_bytes
from lms.i18n import _
from lms.models import (
    AuditEntry,
    Person,
    RosterEntry,
    TrainingSession,
)
from lms.models.lookup import session_by_code

COLUMNS = {
    "trainee": {"trainee", "学员", "人员", "姓名"},
    "item": {"item", "题目", "项目", "问题"},
    "value": {"value", "评分", "答案", "值", "内容"},
    "sheet": {"sheet", "表号", "问卷号", "序号"},
}


@dataclass
class PaperSheet:
    """One paper sheet: a named trainee's or an anonymous one (numbered in the ``sheet`` column)."""

    key: str
    line: int
    person_id: int | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedbackImport:
    session: str
    recorded: int
    replaced: int
    anonymous: int


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [_fold(cell) for cell in header]
    found = {}
    for column, aliases in COLUMNS.items():
        matches = [index for index, name in enumerate(names) if name in aliases]
        if matches:
            found[column] = matches[0]
    if "item" not in found or "value" not in found:
        raise LmsError(_("the first row must name the columns trainee, item, value"), file=path, line=1)
    return found


class _Roster:
    """A session's trainees by code, ID number and name, looked up without a query per row."""

    def __init__(self, session: Session, session_id: int) -> None:
        people = session.exec(
            select(Person).join(RosterEntry).where(RosterEntry.session_id == session_id).order_by(col(Person.id))
        ).all()
        self.by_key: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            self.by_key[_fold(person.code)] = person
            if person.id_number:
                self.by_key[_fold(person.id_number)] = person
            for name in {_fold(person.name), _fold(person.name_en or "")} - {""}:
                self.by_name[name].append(person)

    def find(self, text: str) -> Person:
        wanted = _fold(text)
        if wanted in self.by_key:
            return self.by_key[wanted]
        named = self.by_name.get(wanted, [])
        if len(named) > 1:
            raise LmsError(_("several trainees have the name {name}: give the code or ID number").format(name=text))
        if not named:
            raise LmsError(_("{name} is not on the roster of this session").format(name=text))
        return named[0]


def _value(survey: Survey, item_id: str, raw: str) -> tuple[str, int | str] | None:
    """(kind, value) of one cell; None when left blank on paper."""
    item = survey.item(item_id)
    if item is None:
        raise LmsError(_("the survey has no item {item!r}").format(item=item_id))
    text = raw.strip()
    if not text:
        return None
    if item.kind == "comment":
        return "comment", checked_comments(survey, {item_id: text})[item_id]
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isdigit() or int(folded) not in SCALE:
        raise LmsError(_("a rating is a whole number from 1 to 5, not {value!r}").format(value=text))
    return "rating", int(folded)


def read_feedback_sheet(session: Session, *, path: Path, training: TrainingSession, survey: Survey) -> list[PaperSheet]:
    """Check the whole file against the survey and the roster; LmsError at the first bad line, nothing written."""
    assert training.id is not None
    text, _encoding = decode_table_text(read_bytes(path, limit=TYPED_IN_SHEETS), path)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise LmsError(_("the file is empty"), file=path, line=1)
    columns = _columns(rows[0], path)
    roster = _Roster(session, training.id)
    sheets: dict[str, PaperSheet] = {}
    owners: dict[int, str] = {}  # person id -> the sheet holding their answers
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: row[index].strip() if index < len(row) else "" for name, index in columns.items()}
        person: Person | None = None
        if cells.get("trainee"):
            try:
                person = roster.find(cells["trainee"])
            except LmsError as error:
                raise LmsError(error.message, file=path, line=line, field="trainee") from None
        sheet_number = cells.get("sheet", "")
        if person is None and not sheet_number:
            message = _("an anonymous row needs a sheet number (column sheet) to keep its sheet together")
            raise LmsError(message, file=path, line=line, field="trainee")
        key = f"#{_fold(sheet_number)}" if sheet_number else f"@{person.id if person else ''}"
        sheet = sheets.setdefault(key, PaperSheet(key, line))
        if person is not None and person.id is not None:
            # A sheet's trainee is named by any of its rows; a blank trainee cell on a named sheet is fine.
            if sheet.person_id not in (None, person.id):
                message = _("sheet {sheet} belongs to another trainee (line {first})").format(
                    sheet=sheet_number, first=sheet.line
                )
                raise LmsError(message, file=path, line=line, field="trainee")
            if owners.setdefault(person.id, key) != key:
                message = _("{name} has answers on two sheets").format(name=person.name)
                raise LmsError(message, file=path, line=line, field="trainee")
            sheet.person_id = person.id
        item_id = cells["item"]
        if item_id in sheet.ratings or item_id in sheet.comments:
            message = _("{item} is answered twice on this sheet").format(item=item_id)
            raise LmsError(message, file=path, line=line, field="item")
        try:
            answer = _value(survey, item_id, cells["value"])
        except LmsError as error:
            where = "item" if survey.item(item_id) is None else "value"
            raise LmsError(error.message, file=path, line=line, field=where) from None
        if answer is not None:
            kind, value = answer
            if kind == "rating":
                sheet.ratings[item_id] = int(value)
            else:
                sheet.comments[item_id] = str(value)
    return [sheet for sheet in sheets.values() if sheet.ratings or sheet.comments]


def import_feedback(
    session: Session, *, path: Path, session_code: str, survey: Survey | None = None, now: dt.datetime | None = None
) -> FeedbackImport:
    """Record the answers typed in from paper sheets. The whole file is checked first; the same file (by content) is
    refused a second time for the session, since its anonymous sheets would count twice. The caller commits."""
    require(Permission.grade)
    survey = survey or default_survey()
    training = session_by_code(session, session_code)
    assert training.id is not None
    digest = hashlib.sha256(read_bytes(path, limit=TYPED_IN_SHEETS)).hexdigest()
    for entry in session.exec(
        select(AuditEntry).where(AuditEntry.action == IMPORT_ACTION, AuditEntry.entity_key == training.code)
    ):
        if (entry.after or {}).get("sha256") == digest:
            message = _("this file was already imported for session {code} on {day}").format(
                code=training.code, day=entry.at.date().isoformat()
            )
            raise LmsError(message, file=path)
    sheets = read_feedback_sheet(session, path=path, training=training, survey=survey)
    if not sheets:
        raise LmsError(_("the file has no answers"), file=path)
    replaced = 0
    for sheet in sheets:
        recorded = record_response(
            session, training.id, sheet.person_id, survey, sheet.ratings, sheet.comments, "paper", now=now
        )
        replaced += recorded.replaced
    result = FeedbackImport(
        session=training.code,
        recorded=len(sheets),
        replaced=replaced,
        anonymous=sum(1 for sheet in sheets if sheet.person_id is None),
    )
    audit.record(
        session,
        action=IMPORT_ACTION,
        entity="session",
        key=training.code,
        before=None,
        after={"file": path.name, "sha256": digest, "survey": survey.code} | asdict(result),
    )
    return result
