"""Printed quizzes: one paper per rostered trainee, each with their own draw, as plain data for a document template.

A trainee's paper *is* their attempt in progress, opened or resumed exactly as the terminal quiz does
(``lms.assessment.attempts.open_attempt``). Its recorded seed fixes the questions and the order of their options, so
printing
again gives the same papers, and answers typed in later (``lms quiz grade``) are read against the letters printed
(``lms.questions.answer_syntax``). Papers are built from the keyless views (``lms.questions.views``) only; the
trainer's key is
built apart (``answer_key``) and never becomes part of a trainee's paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sqlmodel import Session, col, select

from lms.access.roles import Permission, require
from lms.assessment.attempts import open_attempt
from lms.assessment.quizzes import paper_questions
from lms.errors import LmsError
from lms.i18n import _
from lms.master_data.issuer import IssuerName, issuer_name
from lms.models import Attempt, Course, CourseVersion, Organisation, Person, Question, RosterEntry, SessionStatus
from lms.models.lookup import session_by_id_or_code
from lms.questions.attempt_view import question_view
from lms.questions.types import QuestionType
from lms.questions.views import display_order, item_tokens, letters

AnswerKind = Literal["letter", "letters", "truefalse", "number", "text", "essay", "match", "order", "trainer", "none"]
ANSWER_KINDS: dict[str, AnswerKind] = {
    "choice": "letter",
    "choices": "letters",
    "truefalse": "truefalse",
    "number": "number",
    "text": "text",
    "essay": "essay",
    "match": "match",
    "order": "order",
}


@dataclass(frozen=True)
class PrintedOption:
    """An option, item or checklist line as printed: what to write for it (letter, number or id) and its text."""

    label: str
    text: dict[str, str]
    points: float | None = None
    critical: bool = False


# True/false on paper: the trainee writes √ or ×, which a typist types as such (or T/F).
TRUE_FALSE = (
    PrintedOption("√", {"zh": "正确", "en": "True"}),
    PrintedOption("×", {"zh": "错误", "en": "False"}),
)


@dataclass(frozen=True)
class PrintedQuestion:
    """One question of a paper. ``number`` is None for a description (not numbered, not graded)."""

    number: int | None
    code: str
    qtype: str
    points: float
    prompt: dict[str, str]
    answer: AnswerKind
    options: list[PrintedOption] = field(default_factory=list)
    lefts: list[PrintedOption] = field(default_factory=list)
    unit: str | None = None


@dataclass(frozen=True)
class TraineePaper:
    attempt_id: int
    attempt_number: int
    person_code: str
    name: str
    name_en: str
    masked_id: str
    organisation: dict[str, str]
    questions: list[PrintedQuestion]
    reference: str  # what the answer sheet's QR code carries, so a typist finds the paper

    @property
    def numbered(self) -> list[PrintedQuestion]:
        return [question for question in self.questions if question.number is not None]


@dataclass(frozen=True)
class SkippedTrainee:
    person_code: str
    name: str
    reason: str


@dataclass(frozen=True)
class QuizPapers:
    """Every rostered trainee's paper for one session, with what the header prints."""

    session_code: str
    course_code: str
    course: dict[str, str]
    version: int
    first_day: dt.date
    last_day: dt.date
    place: str
    time_limit_minutes: int | None
    pass_mark: float
    practical: list[PrintedOption]
    papers: list[TraineePaper]
    skipped: list[SkippedTrainee] = field(default_factory=list)
    issuer: IssuerName | None = None  # None: the configuration's name


def paper_reference(session_code: str, attempt_id: int, person_code: str) -> str:
    """The text of an answer sheet's QR code: session, attempt and trainee, as ``lms quiz grade`` needs them."""
    return f"LMS-PAPER;session={session_code};attempt={attempt_id};trainee={person_code}"


def _checklist(items: list[dict[str, Any]] | None) -> list[PrintedOption]:
    return [
        PrintedOption(str(item["id"]), item["text"], item.get("points"), bool(item.get("critical")))
        for item in items or []
    ]


def printed_question(
    question: Question, question_type: QuestionType | None, *, seed: int, number: int | None
) -> PrintedQuestion:
    """What the paper prints of one question, from its keyless view (checklists add their items' texts)."""
    view = question_view(question, question_type, number=number or 0, seed=seed)
    body = view.body
    answer: AnswerKind = ANSWER_KINDS.get(body.input, "none")
    options = [PrintedOption(option.label, option.text) for option in body.options]
    lefts: list[PrintedOption] = []
    if number is None:
        answer, options = "none", []
    elif question_type is not None and question_type.answered_by == "trainer":
        answer, options = "trainer", _checklist((question.data or {}).get("items"))
    elif answer == "truefalse":
        options = list(TRUE_FALSE)
    elif answer == "match":
        # Typed answers name right-hand texts by their fixed tokens (lms.questions.answer_syntax): the paper prints
        # those.
        lefts = [PrintedOption(left.label, left.text) for left in body.lefts]
        options = [PrintedOption(right.id, right.text) for right in body.rights]
    elif answer == "order":
        options = [PrintedOption(option.id, option.text) for option in body.options]
    return PrintedQuestion(
        number=number,
        code=question.code,
        qtype=question.qtype,
        points=question.points,
        prompt=view.prompt,
        answer=answer,
        options=options,
        lefts=lefts,
        unit=body.unit,
    )


def trainee_paper(
    session: Session, *, attempt: Attempt, person: Person, session_code: str, types: dict[str, QuestionType]
) -> TraineePaper:
    """One trainee's paper: their attempt's questions in its order, each with the options in the attempt's order."""
    assert attempt.id is not None
    organisation = session.get(Organisation, person.organisation_id)
    questions, number = [], 0
    for question in paper_questions(session, attempt):
        question_type = types.get(question.qtype)
        numbered = question_type is None or question_type.graded
        number += numbered
        questions.append(
            printed_question(question, question_type, seed=attempt.seed, number=number if numbered else None)
        )
    return TraineePaper(
        attempt_id=attempt.id,
        attempt_number=attempt.number,
        person_code=person.code,
        name=person.name,
        name_en=person.name_en or "",
        masked_id=person.masked_id_number,
        organisation={"zh": organisation.name_zh, "en": organisation.name_en} if organisation else {"zh": "", "en": ""},
        questions=questions,
        reference=paper_reference(session_code, attempt.id, person.code),
    )


def quiz_papers(
    session: Session, *, session_ref: int | str, types: dict[str, QuestionType], now: dt.datetime | None = None
) -> QuizPapers:
    """Open (or resume) every rostered trainee's attempt and return their papers; the caller commits.

    Trainees the re-exam rules do not let sit now (passed, no attempts left, waiting) are listed in ``skipped``.

    Raises:
        NotFoundError: no session has this id or code.
        LmsError: the session is cancelled, its roster is empty, or nobody on it may sit the quiz now.
    """
    training = session_by_id_or_code(session, session_ref)
    if training.status == SessionStatus.cancelled:
        raise LmsError(_("this session was cancelled; there is no assessment to sit"), field="--session")
    version = session.get(CourseVersion, training.course_version_id)
    assert version is not None
    course = session.get(Course, version.course_id)
    assert course is not None
    roster = session.exec(
        select(Person).join(RosterEntry).where(RosterEntry.session_id == training.id).order_by(col(RosterEntry.id))
    ).all()
    if not roster:
        raise LmsError(
            _("session {code} has nobody on its roster: no papers to print").format(code=training.code),
            field="--session",
        )
    papers, skipped = [], []
    now = now or dt.datetime.now(dt.UTC)
    for person in roster:
        try:
            attempt = open_attempt(session, training_session=training, person=person, now=now, on_paper=True)
        except LmsError as refused:
            skipped.append(SkippedTrainee(person.code, person.name, refused.message))
            continue
        if attempt.printed_at is None:
            # An attempt this print started has started_at == now: the screen will restart its clock if opened.
            attempt.printed_at = now
        papers.append(trainee_paper(session, attempt=attempt, person=person, session_code=training.code, types=types))
    if not papers:
        first = skipped[0]
        raise LmsError(
            _("nobody on the roster of {code} may sit the quiz now ({name}: {reason})").format(
                code=training.code, name=first.name, reason=first.reason
            ),
            field="--session",
        )
    return QuizPapers(
        session_code=training.code,
        course_code=course.code,
        course={"zh": course.title_zh, "en": course.title_en},
        version=version.version,
        first_day=training.first_day,
        last_day=training.last_day,
        place=training.place,
        time_limit_minutes=version.time_limit_minutes,
        pass_mark=version.pass_mark,
        practical=_checklist(version.practical_checklist),
        papers=papers,
        skipped=skipped,
        issuer=issuer_name(session=session),
    )


# --- the trainer's key ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyLine:
    """The answer to one numbered question as the trainee would write it on their own paper."""

    number: int
    code: str
    key: str
    scored_by: Literal["system", "trainer", "on_site"] = "system"
    rubric: dict[str, str] | None = None


@dataclass(frozen=True)
class TraineeKey:
    person_code: str
    name: str
    attempt_id: int
    attempt_number: int
    lines: list[KeyLine]


@dataclass(frozen=True)
class AnswerKey:
    """The trainer's key to a set of papers: one block per trainee, since every paper has its own letters."""

    session_code: str
    course_code: str
    course: dict[str, str]
    version: int
    first_day: dt.date
    last_day: dt.date
    trainees: list[TraineeKey]
    issuer: IssuerName | None = None  # None: the configuration's name


def _number(value: float) -> str:
    return f"{value:g}"


def _shown_letter(question: Question, seed: int, choice_id: str) -> str:
    choices = (question.data or {})["choices"]
    course_index = next(index for index, choice in enumerate(choices) if choice["id"] == choice_id)
    order = display_order(seed, question.code, len(choices))
    return letters(len(choices))[order.index(course_index)]


def _numeric_key(value: float | None, tolerance: float, span: Any, unit: str) -> str:
    if span:
        return f"{_number(span[0])}..{_number(span[1])}{unit}"
    assert value is not None
    return _number(value) + (f" ±{_number(tolerance)}" if tolerance else "") + unit


def key_text(question: Question, seed: int) -> str:
    """The right answer in paper syntax (``lms.questions.answer_syntax``) for the paper drawn with ``seed``; partial
    credit in
    brackets. Empty for questions a trainer scores."""
    data = question.data or {}
    kind = question.qtype
    if kind == "single":
        partial = [
            f"{_shown_letter(question, seed, choice)} {_number(weight)}%"
            for choice, weight in (data.get("weights") or {}).items()
            if weight > 0 and choice != data["answer"]
        ]
        return _shown_letter(question, seed, data["answer"]) + (f" ({', '.join(partial)})" if partial else "")
    if kind == "multiple":
        right = [_shown_letter(question, seed, choice) for choice, weight in data["weights"].items() if weight > 0]
        return ";".join(sorted(right))
    if kind == "truefalse":
        return TRUE_FALSE[0].label if data["answer"] else TRUE_FALSE[1].label
    if kind == "numeric":
        unit = f" {data['unit']}" if data.get("unit") else ""
        main = _numeric_key(data.get("answer"), data.get("tolerance", 0), data.get("range"), unit)
        others = [
            f"{_number(extra.get('weight', 100))}%: "
            + _numeric_key(extra.get("value"), extra.get("tolerance", 0), extra.get("range"), unit)
            for extra in data.get("answers") or []
        ]
        return main + (f" ({'; '.join(others)})" if others else "")
    if kind == "shortanswer":
        full = [answer["text"] for answer in data["answers"] if answer.get("weight", 100) >= 100]
        partial = [
            f"{answer['text']} {_number(answer['weight'])}%" for answer in data["answers"] if answer["weight"] < 100
        ]
        return " / ".join(full) + (f" ({', '.join(partial)})" if partial else "")
    if kind == "matching":
        tokens = item_tokens(question.code, len(data["pairs"]) + len(data.get("distractors") or []))
        return ";".join(tokens[: len(data["pairs"])])
    if kind == "ordering":
        return ";".join(item_tokens(question.code, len(data["items"])))
    return ""


def answer_key(session: Session, papers: QuizPapers, *, types: dict[str, QuestionType]) -> AnswerKey:
    """The key to ``papers``, each trainee's with the letters of their own paper."""
    require(Permission.view_keys)
    trainees = []
    for paper in papers.papers:
        attempt = session.get(Attempt, paper.attempt_id)
        assert attempt is not None
        questions = {question.code: question for question in paper_questions(session, attempt)}
        lines = []
        for printed in paper.numbered:
            assert printed.number is not None
            question = questions[printed.code]
            question_type = types.get(question.qtype)
            line = KeyLine(printed.number, question.code, key_text(question, attempt.seed))
            if printed.answer == "trainer":
                line = replace(line, scored_by="on_site")
            elif question_type is not None and not question_type.auto_graded:
                line = replace(line, scored_by="trainer", rubric=(question.data or {}).get("rubric"))
            lines.append(line)
        trainees.append(TraineeKey(paper.person_code, paper.name, paper.attempt_id, paper.attempt_number, lines))
    return AnswerKey(
        session_code=papers.session_code,
        course_code=papers.course_code,
        course=papers.course,
        version=papers.version,
        first_day=papers.first_day,
        last_day=papers.last_day,
        trainees=trainees,
        issuer=papers.issuer,
    )
