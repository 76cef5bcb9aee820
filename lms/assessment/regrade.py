"""Regrading after a key correction, with a dry run that shows who changes.

Two ways to name the corrected key:

* ``question`` + ``answer``: the key typed as on an answer sheet (``C``; ``A;C``; ``T``; ``93:2``; ``91..95``;
  ``text;other text``), applied to that question in every version of the course;
* neither: the current version's keys (a re-import of the corrected course made it) are carried back to older
  versions' questions with the same id and type.

Each changed key and each changed attempt goes into the audit log; regraded attempts fire
``lms_attempt_graded``. A dry run computes the same and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.assessment.quizzes import current_version
from lms.assessment.scoring import grade_attempts
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Attempt, AttemptStatus, Certificate, CourseVersion, Person, Question, TrainingSession
from lms.questions.answer_syntax import corrected_key
from lms.questions.types import COMMON_FIELDS, QuestionType

KEY_FIELDS = {
    "single": ("answer", "weights"),
    "multiple": ("weights",),
    "truefalse": ("answer",),
    "numeric": ("answer", "tolerance", "range", "answers"),
    "shortanswer": ("answers",),
}


@dataclass(frozen=True)
class KeyChange:
    question: str
    version: int
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True)
class AttemptChange:
    attempt_id: int
    trainee: str
    name: str
    session: str | None
    number: int
    score_before: float | None
    score_after: float | None
    passed_before: bool | None
    passed_after: bool | None
    certificate: str | None

    @property
    def flipped(self) -> bool:
        return self.passed_before != self.passed_after


@dataclass(frozen=True)
class RegradePlan:
    keys: list[KeyChange]
    changes: list[AttemptChange]
    unchanged: int
    applied: bool


def _key(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: data.get(name) for name in KEY_FIELDS[kind]}


def _with_key(question: Question, key: dict[str, Any], types: dict[str, QuestionType]) -> dict[str, Any]:
    """The question's data with ``key`` put in, validated against the type's schema."""
    body = dict(question.data or {}) | key
    candidate = {"id": question.code, "module": "m", "type": question.qtype, "points": question.points}
    candidate |= {"prompt": {"zh": question.prompt_zh, "en": question.prompt_en}}
    candidate |= {k: v for k, v in body.items() if v is not None}
    try:
        spec = types[question.qtype].spec_model.model_validate(candidate)
    except ValidationError as error:
        raise LmsError(error.errors()[0]["msg"], field="--answer") from None
    return spec.model_dump(mode="json", exclude=set(COMMON_FIELDS) | {"type"})


def _corrections(
    session: Session, versions: list[CourseVersion], question_code: str | None, answer: str | None, types: Any
) -> dict[int, tuple[Question, dict[str, Any]]]:
    ids = [v.id for v in versions]
    questions = list(session.exec(select(Question).where(col(Question.course_version_id).in_(ids))))
    latest = versions[-1].id
    fixes: dict[int, tuple[Question, dict[str, Any]]] = {}
    if question_code is not None:
        named = [q for q in questions if q.code == question_code]
        if not named:
            message = _("the course has no question {question!r}").format(question=question_code)
            raise LmsError(message, field="--question")
        if named[0].qtype not in KEY_FIELDS:
            message = _("a {kind} question's key cannot be corrected by a regrade; import a new version")
            raise LmsError(message.format(kind=named[0].qtype), field="--question")
        for question in named:
            try:
                key = corrected_key(question, answer or "")
            except ValueError as error:
                raise LmsError(str(error), field="--answer") from None
            fixes[question.id or 0] = (question, _with_key(question, key, types))
        return fixes
    current = {q.code: q for q in questions if q.course_version_id == latest}
    for question in questions:
        source = current.get(question.code)
        if question.course_version_id == latest or source is None or source.qtype != question.qtype:
            continue
        if question.qtype not in KEY_FIELDS:
            continue
        new_key = _key(source.data or {}, question.qtype)
        if new_key != _key(question.data or {}, question.qtype):
            fixes[question.id or 0] = (question, _with_key(question, new_key, types))
    return fixes


def regrade(
    session: Session,
    *,
    course_code: str,
    types: dict[str, QuestionType],
    question_code: str | None = None,
    answer: str | None = None,
    dry_run: bool = True,
    pm: Any = None,
) -> RegradePlan:
    """Correct keys and regrade the attempts they touch; with ``dry_run`` nothing is kept. The caller commits."""
    require(Permission.grade)
    if (question_code is None) != (answer is None):
        raise LmsError(_("give --question and --answer together, or neither"), field="--answer")
    latest = current_version(session, course_code)
    versions = list(
        session.exec(
            select(CourseVersion)
            .where(CourseVersion.course_id == latest.course_id)
            .order_by(col(CourseVersion.version))
        )
    )
    number = {v.id: v.version for v in versions}
    fixes = _corrections(session, versions, question_code, answer, types)
    savepoint = session.begin_nested()
    keys = []
    for question, data in fixes.values():
        before, after = _key(question.data or {}, question.qtype), _key(data, question.qtype)
        keys.append(KeyChange(question.code, number[question.course_version_id], before, after))
        question.data = data
        _update_spec(session, question, data)
        if not dry_run:
            key = f"{course_code}/v{number[question.course_version_id]}/{question.code}"
            audit.record(
                session, action="question.key_corrected", entity="question", key=key, before=before, after=after
            )
    session.flush()
    version_ids = [v.id or 0 for v in versions]
    changes, unchanged = _regrade_attempts(
        session, version_ids, set(fixes), types, pm if not dry_run else None, dry_run
    )
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return RegradePlan(keys=keys, changes=changes, unchanged=unchanged, applied=not dry_run)


def _update_spec(session: Session, question: Question, data: dict[str, Any]) -> None:
    """Keep the version's stored spec (used by GIFT export and merges) in step with the corrected key."""
    version = session.get(CourseVersion, question.course_version_id)
    if version is None or not version.spec:
        return
    spec = dict(version.spec)
    fields = KEY_FIELDS[question.qtype]
    new_key = {k: v for k, v in data.items() if k in fields}
    spec["questions"] = [
        ({k: v for k, v in entry.items() if k not in fields} | new_key) if entry.get("id") == question.code else entry
        for entry in spec.get("questions", [])
    ]
    version.spec = spec


def _regrade_attempts(
    session: Session,
    version_ids: list[int],
    question_ids: set[int],
    types: dict[str, QuestionType],
    pm: Any,
    dry_run: bool,
) -> tuple[list[AttemptChange], int]:
    attempts = session.exec(
        select(Attempt)
        .where(col(Attempt.course_version_id).in_(version_ids))
        .where(col(Attempt.status).in_([AttemptStatus.graded, AttemptStatus.submitted]))
        .order_by(col(Attempt.id))
    ).all()
    touched = [attempt for attempt in attempts if question_ids & set(attempt.question_ids or [])]
    before_all = {attempt.id: (attempt.score, attempt.passed, attempt.status) for attempt in touched}
    grade_attempts(session, attempts=touched, types=types)
    changes, unchanged = [], 0
    for attempt in touched:
        before = before_all[attempt.id]
        if (attempt.score, attempt.passed, attempt.status) == before:
            unchanged += 1
            continue
        if pm is not None and attempt.status == AttemptStatus.graded:
            pm.hook.lms_attempt_graded(session=session, attempt=attempt, pm=pm)
        person = session.get(Person, attempt.person_id)
        sitting = session.get(TrainingSession, attempt.session_id) if attempt.session_id else None
        certificate = session.exec(
            select(Certificate.serial).where(Certificate.attempt_id == attempt.id, Certificate.status == "valid")
        ).first()
        assert person is not None and attempt.id is not None
        changes.append(
            AttemptChange(
                attempt_id=attempt.id,
                trainee=person.code,
                name=person.name,
                session=sitting.code if sitting else None,
                number=attempt.number,
                score_before=before[0],
                score_after=attempt.score,
                passed_before=before[1],
                passed_after=attempt.passed,
                certificate=certificate,
            )
        )
        if not dry_run:
            audit.record(
                session,
                action="attempt.regraded",
                entity="attempt",
                key=str(attempt.id),
                before={"score": before[0], "passed": before[1]},
                after={"score": attempt.score, "passed": attempt.passed},
            )
    return changes, unchanged
