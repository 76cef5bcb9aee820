"""A parser for Moodle's GIFT question format, reading it as Moodle's own importer (qformat_gift) does.

Questions are separated by blank lines; ``//`` lines are comments; ``$CATEGORY:`` sets the category of what
follows; ``::title::`` names a question; ``[html]``, ``[markdown]``, ``[plain]``, ``[moodle]`` set a text format;
``\\: \\# \\= \\{ \\} \\~ \\n \\\\`` are escapes. The answer block decides the type exactly as Moodle decides it:
nothing (description), ``{}`` (essay), ``{#...}`` (numerical), a ``~`` (multiple choice: single when any answer
starts with ``=``), ``=`` with ``->`` (matching), T/TRUE/F/FALSE (true/false), else short answer. Weights are
``%50%``, feedback follows ``#``, general feedback ``####``.

Two deliberate differences: a malformed question is an error naming its line (Moodle skips it with a notice),
and a question after ``$CATEGORY:`` on the next line (no blank line between) is read rather than swallowed.
Comment lines ``// lms: {json}`` carry what GIFT cannot say (points, units, ids); Moodle ignores them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lms.errors import LmsError
from lms.i18n import _

ESCAPES = {":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004", "}": "\ue005", "~": "\ue006", "n": "\ue007"}
BACKSLASH, BAR = "\ue000", "\ue008"
RESTORE = {v: k for k, v in ESCAPES.items()} | {ESCAPES["n"]: "\n", BACKSLASH: "\\", BAR: "\\|"}
FORMATS = ("moodle", "html", "plain", "markdown")
WEIGHT = re.compile(r"^%(-*\d{1,2}\.?\d*)%")
META = "// lms:"


@dataclass
class GiftAnswer:
    text: str
    fraction: float = 1.0
    feedback: str = ""
    value: float | None = None  # numerical: value with tolerance, or low..high
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None
    any_other: bool = False
    weighted: bool = False  # the weight was written out (``~%0%``), not implied


@dataclass
class GiftQuestion:
    """One question as GIFT says it; texts are unescaped and stripped of their format marker."""

    line: int
    kind: str
    text: str
    category: str | None = None
    title: str | None = None
    text_format: str = "moodle"
    general_feedback: str = ""
    single: bool = True
    answers: list[GiftAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    truth: bool = False
    feedback_wrong: str = ""
    feedback_right: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    answer_line: int = 0


def escape_pre(text: str) -> str:
    text = text.replace("\\\\", BACKSLASH).replace("\\|", BAR)
    for char, placeholder in ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text


def unescape(text: str) -> str:
    for placeholder, char in RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def with_format(text: str, default: str) -> tuple[str, str]:
    """Moodle's parse_text_with_format: a leading ``[name]`` of a known format sets it and is removed."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        name = text[1 : text.index("]")]
        if name in FORMATS:
            return unescape(text[text.index("]") + 1 :]).strip(), name
    return unescape(text).strip(), default


def blocks(source: str) -> list[tuple[int, list[tuple[int, str]]]]:
    """Questions as runs of non-blank lines: (first line number, [(line number, text), ...])."""
    found: list[tuple[int, list[tuple[int, str]]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip():
            current.append((number, line.strip()))
        elif current:
            found.append((current[0][0], current))
            current = []
    if current:
        found.append((current[0][0], current))
    return found


def parse_gift(source: str, path: Path | str = "<gift>") -> list[GiftQuestion]:
    """Every question in ``source``; LmsError naming file and line at the first malformed one."""
    source = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[GiftQuestion] = []
    category: str | None = None
    for _first, lines in blocks(source):
        meta: dict[str, Any] = {}
        kept: list[tuple[int, str]] = []
        for number, line in lines:
            if line.startswith(META):
                meta |= _meta(line[len(META) :], path, number)
            elif not line.startswith("//"):
                kept.append((number, line))
        if kept and kept[0][1].startswith("$CATEGORY:"):
            category = unescape(escape_pre(kept[0][1])[len("$CATEGORY:") :]).strip()
            kept = kept[1:]
        if not kept:
            continue
        question = parse_question(kept, path)
        question.category, question.meta = category, meta
        questions.append(question)
    return questions


def _meta(text: str, path: Path | str, line: int) -> dict[str, Any]:
    try:
        value = json.loads(text, parse_float=_finite, parse_constant=_finite)
    except json.JSONDecodeError as error:
        message = _("not valid JSON after // lms: ({reason})").format(reason=error.msg)
        raise LmsError(message, file=path, line=line) from None
    except ValueError as error:  # from _finite
        message = _("not valid JSON after // lms: ({reason})").format(reason=error)
        raise LmsError(message, file=path, line=line) from None
    except RecursionError:
        message = _("not valid JSON after // lms: ({reason})").format(reason="nested too deeply")
        raise LmsError(message, file=path, line=line) from None
    if not isinstance(value, dict):
        raise LmsError(_("// lms: must be followed by a JSON object"), file=path, line=line)
    return value


def _finite(text: str) -> float:
    """A JSON number as a float; NaN, Infinity and 1e999 (which Python's JSON reads as infinity) are refused."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(_("{text!r} is not a number").format(text=text))
    return value


def parse_question(lines: list[tuple[int, str]], path: Path | str) -> GiftQuestion:
    full = escape_pre("\n".join(line for _n, line in lines))
    first, text, title = lines[0][0], full, None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise LmsError(_("the title is not closed with ::"), file=path, line=first)
        title, text = unescape(text[2:end]).strip(), text[end + 2 :].strip()
    base = len(full) - len(text)

    def line_of(position: int) -> int:
        return lines[full[: base + position].count("\n")][0]

    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        body, fmt = with_format(text, "moodle")
        return GiftQuestion(line=first, kind="description", text=body, title=title, text_format=fmt)
    if start >= 0 and (finish < 0 or "{" in text[start + 1 : finish if finish > start else len(text)]):
        raise LmsError(_("an unclosed {: every answer block needs a closing }"), file=path, line=line_of(start))
    if finish < start:
        raise LmsError(_("a } without an opening {"), file=path, line=line_of(finish))
    if "{" in text[finish:] or "}" in text[finish + 1 :]:
        raise LmsError(_("more than one answer block in a question"), file=path, line=line_of(finish))
    answer_line = line_of(start)
    answer = text[start + 1 : finish].strip()
    if text.rstrip().endswith("}"):
        question_text = text[:start] + text[finish + 1 :]
    else:
        question_text = text[:start] + "_____" + text[finish + 1 :]
    general = ""
    if "####" in answer:
        cut = answer.rfind("####")
        general, answer = answer[cut + 4 :], answer[:cut].strip()
    body, fmt = with_format(question_text, "moodle")
    question = GiftQuestion(line=first, kind="", text=body, title=title, text_format=fmt, answer_line=answer_line)
    question.general_feedback = with_format(general, fmt)[0]
    try:
        _answers(question, answer, fmt)
    except ValueError as error:
        raise LmsError(str(error), file=path, line=answer_line) from None
    return question


def _answers(question: GiftQuestion, answer: str, fmt: str) -> None:
    if answer == "":
        question.kind = "essay"
    elif answer.startswith("#"):
        question.kind = "numerical"
        question.answers = _numerical(answer[1:], fmt)
    elif "~" in answer:
        question.kind = "multichoice"
        question.single = "=" in answer
        question.answers = _choices(answer, fmt)
    elif "=" in answer and "->" in answer:
        question.kind = "match"
        question.pairs = _pairs(answer, fmt)
    elif answer.split("#", 1)[0].strip() in ("T", "TRUE", "F", "FALSE"):
        question.kind = "truefalse"
        parts = answer.split("#", 2) + ["", ""]
        question.truth = parts[0].strip() in ("T", "TRUE")
        question.feedback_wrong = with_format(parts[1], fmt)[0]
        question.feedback_right = with_format(parts[2], fmt)[0]
    else:
        question.kind = "shortanswer"
        question.answers = _short(answer, fmt)


def _split(answer: str, mark: str) -> list[str]:
    parts = answer.split(mark)
    if parts and not parts[0].strip():
        parts = parts[1:]
    return [part.strip() for part in parts]


def _weight(text: str, default: float) -> tuple[float, str, bool]:
    match = WEIGHT.match(text)
    if not match:
        return default, text, False
    digits = match.group(1)
    negative = digits.startswith("-")
    value = float(digits.lstrip("-")) / 100
    return (-value if negative else value), text[match.end() :], True


def _feedback(text: str, fmt: str) -> tuple[str, str]:
    head, _sep, tail = text.partition("#")
    return with_format(head, fmt)[0], with_format(tail, fmt)[0]


def _choices(answer: str, fmt: str) -> list[GiftAnswer]:
    parts = _split(answer.replace("=", "~="), "~")
    if len(parts) < 2:
        raise ValueError(_("a multiple-choice question needs at least two answers"))
    result = []
    for part in parts:
        if part.startswith("="):
            fraction, part, weighted = 1.0, part[1:], False
        else:
            fraction, part, weighted = _weight(part, 0.0)
        text, feedback = _feedback(part, fmt)
        result.append(GiftAnswer(text=text, fraction=fraction, feedback=feedback, weighted=weighted))
    return result


def _pairs(answer: str, fmt: str) -> list[tuple[str, str]]:
    parts = _split(answer, "=")
    if len(parts) < 2:
        raise ValueError(_("a matching question needs at least two pairs"))
    pairs = []
    for part in parts:
        if "->" not in part:
            raise ValueError(_("each matching answer needs ->: {part}").format(part=" ".join(unescape(part).split())))
        left, _sep, right = part.partition("->")
        pairs.append((with_format(left, fmt)[0], unescape(right).strip()))
    return pairs


def _short(answer: str, fmt: str) -> list[GiftAnswer]:
    parts = _split(answer, "=")
    if not parts:
        raise ValueError(_("a short-answer question needs at least one answer"))
    result = []
    for part in parts:
        fraction, part, weighted = _weight(part, 1.0)
        text, feedback = _feedback(part, fmt)
        result.append(GiftAnswer(text=text, fraction=fraction, feedback=feedback, weighted=weighted))
    return result


def _number(text: str) -> float:
    try:
        value = float(unescape(text).strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # float() also reads "nan", "inf" and "1e999"
        raise ValueError(_("{text!r} is not a number").format(text=unescape(text).strip()))
    return value


def _numerical(answer: str, fmt: str) -> list[GiftAnswer]:
    wrong = ""
    if "~" in answer:
        answer, wrong = answer[: answer.index("~")], answer[answer.index("~") :]
    parts = _split(answer, "=")
    if not parts:
        raise ValueError(_("a numerical question needs at least one number"))
    result = []
    for part in parts:
        fraction, part, weighted = _weight(part, 1.0)
        value, feedback = _feedback(part, fmt)
        item = GiftAnswer(text=value, fraction=fraction, feedback=feedback, weighted=weighted)
        if ".." in value[1:]:
            low, _sep, high = value.partition("..")
            item.low, item.high = sorted((_number(low), _number(high)))
        elif ":" in value[1:]:
            number, _sep, tolerance = value.partition(":")
            item.value, item.tolerance = _number(number), abs(_number(tolerance))
        elif value == "*":
            item.any_other = True
        else:
            item.value = _number(value)
        result.append(item)
    if wrong:
        result.append(GiftAnswer(text="*", fraction=0.0, feedback=_feedback(wrong[1:], fmt)[1], any_other=True))
    return result
