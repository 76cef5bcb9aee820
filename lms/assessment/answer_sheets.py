"""Grading answers typed in from paper: a CSV with the columns trainee, question, answer.

The trainee is a person code or an ID number; the question is its id in the course; the answer follows
``lms.questions.answer_syntax`` (choice letters as printed on the trainee's paper, ``;`` between several). The whole
file is checked before anything is written: the first problem raises ``LmsError`` naming file, line and column,
and nothing is recorded.

A trainee's paper is their attempt in progress on the course version when there is one (drawn on screen or for
print); otherwise the questions listed for them in the file — so a question left blank on paper needs a row
with an empty answer to count as wrong.

Scores, with or without recording, come from ``lms.assessment.scoring.outcome``, the one rule the quiz screen and
regrade use: trainer's marks on a drawn paper count, the practical part weighs in, and a re-exam is capped.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, or_, select

from lms.access.roles import Permission, require
from lms.assessment.answer_sheet_records import TraineeSheet, record_sheets, sheet_answers, sheet_attempts
from lms.assessment.quizzes import current_version
from lms.assessment.scoring import Grader, outcome
from lms.errors import LmsError
from lms.files.limits import TYPED_IN_SHEETS
from lms.files.textfiles import decode_table_text, read_bytes
from lms.i18n import _
from lms.models import Attempt, AttemptStatus, CourseVersion, Person, Question, RosterEntry, TrainingSession
from lms.questions.answer_syntax import typed_answer
from lms.questions.types import QuestionType

COLUMNS = {
    "trainee": {"trainee", "学员", "人员", "考生"},
    "question": {"question", "题号", "题目"},
    "answer": {"answer", "答案"},
}


@dataclass(frozen=True)
class SheetResult:
    trainee: str
    name: str
    answered: int
    questions: int
    written_score: float | None
    score: float | None
    passed: bool | None
    attempt_id: int | None


def _header(row: list[str], path: Path) -> dict[str, int]:
    names = [unicodedata.normalize("NFKC", cell).strip().casefold() for cell in row]
    found = {}
    for column, aliases in COLUMNS.items():
        matches = [index for index, name in enumerate(names) if name in aliases]
        if not matches:
            raise LmsError(_("the first row must name the columns trainee, question, answer"), file=path, line=1)
        found[column] = matches[0]
    return found


def _people(session: Session, keys: set[str]) -> dict[str, Person]:
    """People by upper-cased person code and ID number (an ID number may end in x or X)."""
    people: dict[str, Person] = {}
    wanted = list(keys)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        named = or_(func.upper(Person.code).in_(chunk), func.upper(Person.id_number).in_(chunk))
        for person in session.exec(select(Person).where(named)):
            people[person.code.upper()] = person
            if person.id_number:
                people[person.id_number.upper()] = person
    return people


def _drawn_papers(session: Session, people: list[int], version: CourseVersion) -> dict[int, Attempt]:
    """Trainees' attempts in progress on this version (drawn papers), by person id."""
    papers: dict[int, Attempt] = {}
    for start in range(0, len(people), 500):
        statement = select(Attempt).where(
            col(Attempt.person_id).in_(people[start : start + 500]),
            Attempt.course_version_id == version.id,
            Attempt.status == AttemptStatus.in_progress,
        )
        papers |= {attempt.person_id: attempt for attempt in session.exec(statement)}
    return papers


def read_sheet(session: Session, *, path: Path, version: CourseVersion) -> list[TraineeSheet]:
    """Parse and check the whole sheet against each trainee's paper; LmsError at the first bad line, before anything
    is written."""
    text, _encoding = decode_table_text(read_bytes(path, limit=TYPED_IN_SHEETS), path)
    reader = csv.reader(io.StringIO(text, newline=""))  # as csv wants: a lone \r ends a row too
    try:
        rows = list(reader)
    except csv.Error as error:  # a field longer than csv's limit (128 KiB), mostly
        message = _("not a readable CSV file: {reason}").format(reason=error)
        raise LmsError(message, file=path, line=reader.line_num) from None
    if not rows:
        raise LmsError(_("the file is empty"), file=path, line=1)
    columns = _header(rows[0], path)
    questions = {q.code: q for q in session.exec(select(Question).where(Question.course_version_id == version.id))}
    cleaned = [[unicodedata.normalize("NFKC", cell).strip() for cell in row] for row in rows[1:]]
    people = _people(session, {row[columns["trainee"]].upper() for row in cleaned if len(row) > columns["trainee"]})
    papers = _drawn_papers(session, sorted({person.id for person in people.values() if person.id}), version)
    sheets: dict[int, TraineeSheet] = {}
    for line, (row, raw) in enumerate(zip(cleaned, rows[1:], strict=True), start=2):
        if not any(row):
            continue
        if len(row) <= max(columns.values()):
            raise LmsError(_("this row has {count} columns, expected 3").format(count=len(row)), file=path, line=line)
        person = people.get(row[columns["trainee"]].upper())
        if person is None or person.id is None:
            message = _("no trainee has the code or ID number {key!r}").format(key=row[columns["trainee"]])
            raise LmsError(message, file=path, line=line, field="trainee")
        question = questions.get(row[columns["question"]])
        if question is None or question.id is None:
            message = _("the course has no question {question!r}").format(question=row[columns["question"]])
            raise LmsError(message, file=path, line=line, field="question")
        paper = papers.get(person.id)
        if paper is not None and question.id not in (paper.question_ids or []):
            message = _("this question is not on the trainee's paper (attempt {number})").format(number=paper.number)
            raise LmsError(message, file=path, line=line, field="question")
        try:
            response = typed_answer(question, raw[columns["answer"]], seed=paper.seed if paper else None)
        except ValueError as error:
            raise LmsError(str(error), file=path, line=line, field="answer") from None
        sheet = sheets.setdefault(person.id, TraineeSheet(person, paper))
        if question.id in sheet.responses:
            message = _("{question} is answered twice for this trainee").format(question=question.code)
            raise LmsError(message, file=path, line=line, field="question")
        sheet.responses[question.id] = response
        sheet.lines[question.id] = line
    return list(sheets.values())


def refuse_unrostered(
    session: Session, sheets: list[TraineeSheet], papers: dict[int, Attempt], training: TrainingSession | None
) -> None:
    """Attempts of a session are recorded only for the people on its roster: one line naming the first other."""
    for sheet in sheets:
        paper = papers.get(sheet.person.id or 0)
        session_id = paper.session_id if paper is not None else (training.id if training else None)
        if session_id is None:
            continue
        on_roster = session.exec(
            select(RosterEntry.id).where(RosterEntry.session_id == session_id, RosterEntry.person_id == sheet.person.id)
        ).first()
        if on_roster is None:
            held = session.get(TrainingSession, session_id)
            raise LmsError(
                _("{person} ({name}) is not on the roster of session {session}: nothing was recorded").format(
                    person=sheet.person.code, name=sheet.person.name, session=held.code if held else session_id
                ),
                field="trainee",
            )


def grade_sheet(
    session: Session,
    *,
    path: Path,
    course_code: str,
    types: dict[str, QuestionType],
    record: bool = False,
    training_session: TrainingSession | None = None,
    pm: Any = None,
) -> list[SheetResult]:
    """Grade every trainee on the sheet; with ``record``, store and submit their attempts. The caller commits."""
    version = current_version(session, course_code)
    if training_session is not None and training_session.course_version_id != version.id:
        raise LmsError(_("that session teaches another course or version"), field="--session")
    sheets = read_sheet(session, path=path, version=version)
    papers = {sheet.person.id or 0: sheet.paper for sheet in sheets if sheet.paper is not None}
    ids = {qid for sheet in sheets for qid in sheet.lines} | {
        qid for attempt in papers.values() for qid in attempt.question_ids or []
    }
    questions = {q.id or 0: q for q in session.exec(select(Question).where(col(Question.id).in_(ids)))}
    if record:
        require(Permission.grade)
        refuse_unrostered(session, sheets, papers, training_session)
        attempts = record_sheets(session, sheets, papers, version, training_session, types, pm)
    else:
        attempts = sheet_attempts(session, sheets, papers, version, training_session)
        answers = sheet_answers(session, sheets, attempts)
    graders: dict[int, Grader] = {}
    results = []
    for sheet in sheets:
        attempt = attempts[sheet.person.id or 0]
        paper = list(attempt.question_ids or [])
        if record:
            written, score, passed = attempt.written_score, attempt.score, attempt.passed
        else:  # the same rule as recording would apply: re-exam cap, trainer's marks, practical part
            given = answers[sheet.person.id or 0]
            result = outcome(attempt, version, questions, given, types, graders, attempt.practical_score)
            written, score, passed = result.written, result.score, result.passed
        results.append(
            SheetResult(
                trainee=sheet.person.code,
                name=sheet.person.name,
                answered=sum(1 for r in sheet.responses.values() if r is not None),
                questions=len(paper),
                written_score=written,
                score=score,
                passed=passed,
                attempt_id=attempt.id if record else None,
            )
        )
    return results
