"""Writing a course's question bank as GIFT that Moodle imports and that ``lms quiz import-gift`` reads back
unchanged: each module is a ``$CATEGORY: COURSE/module``; each question is ``::id::``; bilingual texts are
``中文 | English``; what GIFT cannot say (points, unit, choice ids, rubric, ordering and checklist questions) rides
in a ``// lms: {json}`` comment line, which Moodle ignores. Ordering questions are written as matching questions
(position -> item), so Moodle still gets a gradable question.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from lms.access.roles import Permission, require
from lms.assessment.quizzes import current_version
from lms.catalog.gift.text import escape, join_bilingual
from lms.models import CourseModule, CourseVersion, Question
from lms.questions.views import letters


def _number(value: float) -> str:
    return f"{float(value):.15g}"


def _weight(percent: float) -> str:
    return f"%{_number(percent)}%"


def _feedback(text: dict[str, str] | None) -> str:
    return "#" + join_bilingual(text) if text else ""


def _general(text: dict[str, str] | None) -> str:
    return f"\t####{join_bilingual(text)}\n" if text else ""


def _choices(data: dict[str, Any], single: bool) -> str:
    weights = data.get("weights") or {}
    lines = []
    for choice in data["choices"]:
        if single and choice["id"] == data["answer"]:
            mark = "="
        elif choice["id"] in weights:
            mark = "~" + _weight(weights[choice["id"]])
        else:
            mark = "~"
        lines.append(f"\t{mark}{join_bilingual(choice['text'])}{_feedback(choice.get('feedback'))}\n")
    return "".join(lines)


def _numeric_key(entry: dict[str, Any], value_key: str) -> str:
    if entry.get("range"):
        low, high = entry["range"]
        return f"{_number(low)}..{_number(high)}"
    tolerance = entry.get("tolerance") or 0
    return _number(entry[value_key]) + (f":{_number(tolerance)}" if tolerance else "")


def _numeric(data: dict[str, Any]) -> str:
    main = _numeric_key(data, "answer")
    extras, wrong = data.get("answers") or [], data.get("wrong_feedback")
    if not extras and not wrong and not data.get("answer_feedback"):
        return "#" + main
    lines = [f"#\n\t={main}{_feedback(data.get('answer_feedback'))}\n"]
    for extra in extras:
        key = _numeric_key(extra, "value")
        lines.append(f"\t={_weight(extra.get('weight', 100))}{key}{_feedback(extra.get('feedback'))}\n")
    if wrong:
        lines.append(f"\t~{_feedback(wrong)}\n")
    return "".join(lines)


def _answer_block(question: Question, data: dict[str, Any], feedback: dict[str, str] | None) -> str:
    kind = question.qtype
    if kind == "single":
        return "{\n" + _choices(data, single=True) + _general(feedback) + "}"
    if kind == "multiple":
        return "{\n" + _choices(data, single=False) + _general(feedback) + "}"
    if kind == "truefalse":
        right = data.get("feedback_true") if data["answer"] else data.get("feedback_false")
        wrong = data.get("feedback_false") if data["answer"] else data.get("feedback_true")
        tail = ("#" + join_bilingual(wrong) if wrong else "#" if right else "") + _feedback(right)
        general = "####" + join_bilingual(feedback) if feedback else ""
        return "{" + ("TRUE" if data["answer"] else "FALSE") + tail + general + "}"
    if kind == "numeric":
        return "{" + _numeric(data) + ("\n" + _general(feedback) if feedback else "") + "}"
    if kind == "shortanswer":
        lines = [
            f"\t={_weight(a.get('weight', 100))}{escape(a['text'])}{_feedback(a.get('feedback'))}\n"
            for a in data["answers"]
        ]
        return "{\n" + "".join(lines) + _general(feedback) + "}"
    if kind == "matching":
        lines = [f"\t={join_bilingual(p['left'])} -> {join_bilingual(p['right'])}\n" for p in data["pairs"]]
        lines += [f"\t= -> {join_bilingual(text)}\n" for text in data.get("distractors") or []]
        return "{\n" + "".join(lines) + _general(feedback) + "}"
    if kind == "ordering":
        lines = [f"\t={position} -> {join_bilingual(item)}\n" for position, item in enumerate(data["items"], 1)]
        return "{\n" + "".join(lines) + _general(feedback) + "}"
    return "{" + ("####" + join_bilingual(feedback) if feedback else "") + "}"  # essay, checklist


def _meta(question: Question, data: dict[str, Any], feedback: dict[str, str] | None) -> dict[str, Any]:
    kind = question.qtype
    meta: dict[str, Any] = {}
    if question.points != (0 if kind == "description" else 1):
        meta["points"] = question.points
    if kind in ("ordering", "checklist"):
        meta["type"] = kind
    if kind == "checklist":
        meta["items"] = data["items"]
    if kind in ("single", "multiple"):
        ids = [choice["id"] for choice in data["choices"]]
        if ids != [letter.lower() for letter in letters(len(ids))]:
            meta["choices"] = ids
    for key in ("unit", "rubric", "name"):
        if data.get(key):
            meta[key] = data[key]
    if kind == "description" and feedback:
        meta["feedback"] = feedback
    return meta


GIFT_TYPES = {"single", "multiple", "truefalse", "numeric", "shortanswer", "matching", "ordering", "essay"}
GIFT_TYPES |= {"description", "checklist"}


def question_gift(question: Question, feedback: dict[str, str] | None) -> str:
    """One question as GIFT (with its ``// lms:`` line when needed)."""
    data = question.data or {}
    meta = _meta(question, data, feedback)
    head = f"// lms: {json.dumps(meta, ensure_ascii=False, sort_keys=True)}\n" if meta else ""
    prompt = join_bilingual({"zh": question.prompt_zh, "en": question.prompt_en})
    title = f"::{escape(question.code)}::"
    if question.qtype == "description":
        return f"{head}{title}{prompt}\n"
    return f"{head}{title}{prompt}{_answer_block(question, data, feedback)}\n"


def export_gift(session: Session, *, course_code: str, version: CourseVersion | None = None) -> tuple[str, list[str]]:
    """The course version's bank as GIFT text, and the ids of questions of types GIFT cannot carry."""
    require(Permission.view_keys)
    version = version or current_version(session, course_code)
    modules = session.exec(
        select(CourseModule).where(CourseModule.course_version_id == version.id).order_by(col(CourseModule.position))
    ).all()
    questions = session.exec(
        select(Question).where(Question.course_version_id == version.id).order_by(col(Question.id))
    ).all()
    feedback = {entry["id"]: entry.get("feedback") for entry in (version.spec or {}).get("questions", [])}
    parts = [f"// {course_code} version {version.version}: GIFT export (texts are 中文 | English)\n"]
    skipped = []
    for module in modules:
        members = [q for q in questions if q.module_id == module.id]
        if not members:
            continue
        parts.append(f"$CATEGORY: {course_code}/{module.code}\n")
        for question in members:
            if question.qtype not in GIFT_TYPES:
                skipped.append(question.code)
                continue
            parts.append(question_gift(question, feedback.get(question.code)))
    return "\n".join(parts), skipped
