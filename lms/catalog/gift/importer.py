"""Importing GIFT questions into a course: each becomes a question of our schema, then the course is imported
again with them, which makes a new course version (an unchanged bank makes none).

* ``::title::`` is the question id when it is a valid id; otherwise the id is made from it (``Kanji Origins``
  → ``Kanji-Origins``; a title without Latin letters → ``q-`` and a hash) and the title is kept as ``name``.
  Untitled questions get ``q-`` and a hash of their text. Ids repeated in one file get ``-2``, ``-3``.
* The module is the last part of the ``$CATEGORY:`` path when it names a module of the course, else the
  ``module`` given by the caller, else the course's only module.
* Texts follow ``lms.catalog.gift.text`` (``中文 | English``); ``[html]`` and ``[markdown]`` texts become plain text
  as ``lms.catalog.gift.markup`` says, and what they lose is returned as warnings naming the line and question.
* Questions whose id already exists in the course are replaced; the others are added.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from lms.access.roles import Permission, require
from lms.assessment.quizzes import current_version
from lms.catalog.gift.markup import course_text, markup_warnings
from lms.catalog.gift.parser import GiftAnswer, GiftQuestion, parse_gift
from lms.catalog.gift.text import split_bilingual
from lms.errors import LmsError
from lms.files.limits import GIFT_FILES
from lms.files.textfiles import decode_utf8, read_bytes
from lms.i18n import _
from lms.models import CourseVersion
from lms.questions.types import QuestionType
from lms.questions.views import letters

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")
META_KEYS = {"points", "unit", "name", "choices", "rubric", "type", "items", "feedback"}


@dataclass(frozen=True)
class GiftImport:
    version: CourseVersion
    created: bool
    added: list[str]
    replaced: list[str]
    warnings: list[str] = field(default_factory=list)  # markup a course cannot hold, per question (file:line)


def _text(raw: str, fmt: str) -> dict[str, str]:
    return {side: course_text(value, fmt).text for side, value in split_bilingual(raw).items()}


def _maybe(raw: str, fmt: str) -> dict[str, str] | None:
    return _text(raw, fmt) if raw.strip() else None


def _question_id(question: GiftQuestion, used: set[str]) -> tuple[str, str | None]:
    title = (question.title or "").strip()
    name = None
    if ID.match(title):
        base = title
    else:
        name = title or None
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", title).strip("-._")[:50]
        digest = hashlib.sha1((title or question.text).encode("utf-8")).hexdigest()[:8]
        base = slug if slug and ID.match(slug) else f"q-{digest}"
    candidate, count = base, 1
    while candidate in used:
        count += 1
        candidate = f"{base[:55]}-{count}"
    used.add(candidate)
    return candidate, name


def _percent(fraction: float) -> float:
    return round(fraction * 100, 5)


def _choices(question: GiftQuestion) -> tuple[list[dict[str, Any]], list[str]]:
    ids = question.meta.get("choices") or letters(len(question.answers))
    if not isinstance(ids, list):
        raise ValueError(_("// lms: choices must be a list of ids"))
    if len(ids) != len(question.answers):
        raise ValueError(
            _("// lms: choices names {count} ids for {answers} answers").format(
                count=len(ids), answers=len(question.answers)
            )
        )
    ids = [str(i).lower() if not question.meta.get("choices") else str(i) for i in ids]
    choices = []
    for choice_id, answer in zip(ids, question.answers, strict=True):
        choice: dict[str, Any] = {"id": choice_id, "text": _text(answer.text, question.text_format)}
        if answer.feedback:
            choice["feedback"] = _text(answer.feedback, question.text_format)
        choices.append(choice)
    return choices, ids


def _multichoice(question: GiftQuestion) -> dict[str, Any]:
    choices, ids = _choices(question)
    weights = {
        choice_id: _percent(answer.fraction)
        for choice_id, answer in zip(ids, question.answers, strict=True)
        if answer.fraction or answer.weighted
    }
    if not question.single:
        return {"type": "multiple", "choices": choices, "weights": weights}
    full = [choice_id for choice_id, answer in zip(ids, question.answers, strict=True) if answer.fraction == 1]
    if not full:
        raise ValueError(_("a single-answer question needs one answer marked ="))
    partial = {key: weight for key, weight in weights.items() if key != full[0]}
    body: dict[str, Any] = {"type": "single", "choices": choices, "answer": full[0]}
    return body | ({"weights": partial} if partial else {})


def _numeric_answer(answer: GiftAnswer) -> dict[str, Any]:
    if answer.low is not None and answer.high is not None:
        return {"range": [answer.low, answer.high]}
    return {"value": answer.value, "tolerance": answer.tolerance}


def _numeric(question: GiftQuestion) -> dict[str, Any]:
    fmt = question.text_format
    body: dict[str, Any] = {"type": "numeric"}
    extra = []
    for answer in question.answers:
        if answer.any_other:
            if answer.feedback:
                body["wrong_feedback"] = _text(answer.feedback, fmt)
            continue
        key = _numeric_answer(answer)
        if "range" not in body and body.get("answer") is None and answer.fraction == 1:
            body |= (
                {"range": key["range"]} if "range" in key else {"answer": key["value"], "tolerance": key["tolerance"]}
            )
            if answer.feedback:
                body["answer_feedback"] = _text(answer.feedback, fmt)
            continue
        item = key | {"weight": _percent(answer.fraction)}
        extra.append(item | ({"feedback": _text(answer.feedback, fmt)} if answer.feedback else {}))
    if extra:
        body["answers"] = extra
    if "range" not in body and "answer" not in body:
        raise ValueError(_("a numerical question needs an answer worth 100%"))
    return body


def _matching(question: GiftQuestion) -> dict[str, Any]:
    fmt = question.text_format
    pairs = [{"left": _text(left, fmt), "right": _text(right, "plain")} for left, right in question.pairs if left]
    distractors = [_text(right, "plain") for left, right in question.pairs if not left]
    if question.meta.get("type") == "ordering":
        return {"type": "ordering", "items": [pair["right"] for pair in pairs]}
    return {"type": "matching", "pairs": pairs} | ({"distractors": distractors} if distractors else {})


def _body(question: GiftQuestion) -> dict[str, Any]:
    fmt, meta = question.text_format, question.meta
    if question.kind == "description":
        return {"type": "description"}
    if question.kind == "essay":
        if meta.get("type") == "checklist":
            return {"type": "checklist", "items": meta.get("items") or []}
        return {"type": "essay"} | ({"rubric": meta["rubric"]} if meta.get("rubric") else {})
    if question.kind == "multichoice":
        return _multichoice(question)
    if question.kind == "numerical":
        return _numeric(question)
    if question.kind == "match":
        return _matching(question)
    if question.kind == "truefalse":
        right, wrong = _maybe(question.feedback_right, fmt), _maybe(question.feedback_wrong, fmt)
        yes, no = (right, wrong) if question.truth else (wrong, right)
        body = {"type": "truefalse", "answer": question.truth}
        return body | ({"feedback_true": yes} if yes else {}) | ({"feedback_false": no} if no else {})
    answers = []
    for answer in question.answers:
        item: dict[str, Any] = {"text": answer.text, "weight": _percent(answer.fraction)}
        answers.append(item | ({"feedback": _text(answer.feedback, fmt)} if answer.feedback else {}))
    return {"type": "shortanswer", "answers": answers}


def _module(question: GiftQuestion, modules: list[str], default: str | None, path: Path) -> str:
    named = (question.category or "").rstrip("/").split("/")[-1].strip()
    if named in modules:
        return named
    if default:
        return default
    if len(modules) == 1:
        return modules[0]
    message = _("no module for this question: start the file with $CATEGORY: <module> or give --module")
    raise LmsError(message, file=path, line=question.line)


def question_specs(
    questions: list[GiftQuestion], *, types: dict[str, QuestionType], modules: list[str], module: str | None, path: Path
) -> list[dict[str, Any]]:
    """Our question dicts for parsed GIFT questions, each validated by its type; LmsError names the line."""
    used: set[str] = set()
    specs = []
    for question in questions:
        unknown = set(question.meta) - META_KEYS
        if unknown:
            raise LmsError(
                _("unknown key in // lms: {key}").format(key=sorted(unknown)[0]), file=path, line=question.line
            )
        try:
            body = _body(question)
        except ValueError as error:
            raise LmsError(str(error), file=path, line=question.answer_line or question.line) from None
        question_id, name = _question_id(question, used)
        meta = question.meta
        spec: dict[str, Any] = {
            "id": question_id,
            "module": _module(question, modules, module, path),
            "prompt": _text(question.text, question.text_format),
            "points": meta.get("points", 0 if body["type"] == "description" else 1),
            "feedback": _maybe(question.general_feedback, question.text_format) or meta.get("feedback"),
        } | body
        if name or meta.get("name"):
            spec["name"] = meta.get("name") or name
        if meta.get("unit") and body["type"] == "numeric":
            spec["unit"] = meta["unit"]
        question_type = types.get(body["type"])
        if question_type is None:
            raise LmsError(
                _("no question type {kind} is installed").format(kind=body["type"]), file=path, line=question.line
            )
        try:
            validated = question_type.spec_model.model_validate(spec)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise LmsError(problem["msg"], file=path, line=question.line, field=where) from None
        specs.append(validated.model_dump(mode="json"))
    return specs


def import_gift(
    session: Session,
    *,
    path: Path,
    course_code: str,
    pm: Any,
    types: dict[str, QuestionType],
    module: str | None = None,
) -> GiftImport:
    """Add or replace the GIFT file's questions in the course, as a new course version. The caller commits."""
    require(Permission.manage_courses)
    # The course schema and importer belong to the courses plugin, the one that owns course files.
    from lms.catalog.importer import import_course
    from lms.catalog.schema import make_course_model, semantic_problems

    version = current_version(session, course_code)
    assert version.spec is not None
    modules = [entry["id"] for entry in version.spec.get("modules", [])]
    if module is not None and module not in modules:
        raise LmsError(_("the course has no module {module}").format(module=module), field="--module")
    source = decode_utf8(read_bytes(path, limit=GIFT_FILES), path)
    questions = parse_gift(source, path)
    specs = question_specs(questions, types=types, modules=modules, module=module, path=path)
    existing = [entry["id"] for entry in version.spec.get("questions", [])]
    incoming = {spec["id"]: spec for spec in specs}
    merged = [incoming.get(entry["id"], entry) for entry in version.spec["questions"]]
    merged += [spec for spec in specs if spec["id"] not in existing]
    try:
        course = make_course_model(types).model_validate(version.spec | {"questions": merged})
    except ValidationError as error:
        raise LmsError(error.errors()[0]["msg"], file=path) from None
    for _loc, message in semantic_problems(course):
        raise LmsError(message, file=path)
    new_version, created = import_course(session, course, source=path, handouts=list(version.handouts or []))
    pm.hook.lms_course_imported(session=session, course_version=new_version, created=created)
    replaced = [spec["id"] for spec in specs if spec["id"] in existing]
    added = [s["id"] for s in specs if s["id"] not in existing]
    return GiftImport(new_version, created, added, replaced, markup_warnings(questions, specs, path))
