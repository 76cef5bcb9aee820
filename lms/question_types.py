"""Built-in question types: the YAML schema of each and how a response is graded.

Each type is a ``QuestionType``; plugins contribute more through ``lms_question_types``. ``grade`` returns the
fraction of the question's points earned (0..1), or None when a trainer must grade it by hand.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BilingualText(Strict):
    """Text every user reads: Simplified Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class QuestionBase(Strict):
    """Fields every question has, whatever its type."""

    id: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    module: str
    points: float = Field(default=1.0, ge=0)
    prompt: BilingualText
    feedback: BilingualText | None = None


class Choice(Strict):
    id: str = Field(min_length=1, max_length=20)
    text: BilingualText


def _unique_choice_ids(choices: list[Choice]) -> list[Choice]:
    seen: set[str] = set()
    for choice in choices:
        if choice.id in seen:
            raise ValueError(f"duplicate choice id {choice.id!r}")
        seen.add(choice.id)
    return choices


def _choice_list(choices: list[Choice]) -> str:
    return ", ".join(choice.id for choice in choices)


class SingleChoiceSpec(QuestionBase):
    type: Literal["single"]
    choices: list[Choice] = Field(min_length=2)
    answer: str

    _unique = field_validator("choices")(_unique_choice_ids)

    @field_validator("answer")
    @classmethod
    def answer_names_a_choice(cls, answer: str, info: ValidationInfo) -> str:
        choices = info.data.get("choices") or []
        if choices and answer not in {choice.id for choice in choices}:
            raise ValueError(f"answer {answer!r} names no choice (choices: {_choice_list(choices)})")
        return answer


class MultipleResponseSpec(QuestionBase):
    type: Literal["multiple"]
    choices: list[Choice] = Field(min_length=2)
    weights: dict[str, float] = Field(description="percent of the points per choice; negative allowed")

    _unique = field_validator("choices")(_unique_choice_ids)

    @field_validator("weights")
    @classmethod
    def weights_name_choices(cls, weights: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        choices = info.data.get("choices") or []
        ids = {choice.id for choice in choices}
        for key, weight in weights.items():
            if choices and key not in ids:
                raise ValueError(f"weight for {key!r} names no choice (choices: {_choice_list(choices)})")
            if not -100 <= weight <= 100:
                raise ValueError(f"weight for {key!r} must lie between -100 and 100")
        positive = sum(weight for weight in weights.values() if weight > 0)
        if not math.isclose(positive, 100, abs_tol=0.01):
            raise ValueError(f"positive weights add up to {positive:g}, not 100")
        return weights


class TrueFalseSpec(QuestionBase):
    type: Literal["truefalse"]
    answer: bool


class NumericSpec(QuestionBase):
    type: Literal["numeric"]
    answer: float | None = None
    tolerance: float = Field(default=0, ge=0)
    range: tuple[float, float] | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def one_key(self) -> NumericSpec:
        if (self.answer is None) == (self.range is None):
            raise ValueError("give either answer (with tolerance) or range, not both")
        if self.range and self.range[0] > self.range[1]:
            raise ValueError("range must be [low, high]")
        return self


class AcceptedAnswer(Strict):
    text: str = Field(min_length=1)
    weight: float = Field(default=100, gt=0, le=100)


class ShortAnswerSpec(QuestionBase):
    type: Literal["shortanswer"]
    answers: list[AcceptedAnswer] = Field(min_length=1)

    @model_validator(mode="after")
    def one_full_answer(self) -> ShortAnswerSpec:
        if not any(answer.weight == 100 for answer in self.answers):
            raise ValueError("at least one accepted answer needs weight 100")
        return self


class MatchingPair(Strict):
    left: BilingualText
    right: BilingualText


class MatchingSpec(QuestionBase):
    type: Literal["matching"]
    pairs: list[MatchingPair] = Field(min_length=2)


class OrderingSpec(QuestionBase):
    type: Literal["ordering"]
    items: list[BilingualText] = Field(min_length=2)


class EssaySpec(QuestionBase):
    type: Literal["essay"]
    rubric: BilingualText | None = None


class DescriptionSpec(QuestionBase):
    type: Literal["description"]
    points: float = 0

    @field_validator("points")
    @classmethod
    def not_graded(cls, value: float) -> float:
        if value:
            raise ValueError("a description carries no points")
        return value


class ChecklistItem(Strict):
    id: str = Field(min_length=1, max_length=40)
    text: BilingualText
    points: float = Field(default=1, gt=0)
    critical: bool = False


class ChecklistSpec(QuestionBase):
    type: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def unique_items(cls, items: list[ChecklistItem]) -> list[ChecklistItem]:
        ids = [item.id for item in items]
        duplicates = sorted({item for item in ids if ids.count(item) > 1})
        if duplicates:
            raise ValueError(f"duplicate item id {duplicates[0]!r}")
        return items


def normalise_text_answer(text: str) -> str:
    """Full-width to half-width (NFKC), case folded, spaces removed: 'ＰＬＣ ' matches 'plc'."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


Data = dict[str, Any]


def _grade_single(data: Data, response: Any) -> float:
    return 1.0 if response == data["answer"] else 0.0


def _grade_multiple(data: Data, response: Any) -> float:
    chosen = set(response or [])
    total = sum(weight for key, weight in data["weights"].items() if key in chosen)
    return max(0.0, min(1.0, total / 100))


def _grade_truefalse(data: Data, response: Any) -> float:
    return 1.0 if isinstance(response, bool) and response == data["answer"] else 0.0


def _grade_numeric(data: Data, response: Any) -> float:
    try:
        value = float(str(response).strip().replace("，", "."))
    except ValueError:
        return 0.0
    if data.get("range"):
        low, high = data["range"]
        return 1.0 if low <= value <= high else 0.0
    return 1.0 if abs(value - data["answer"]) <= data.get("tolerance", 0) + 1e-9 else 0.0


def _grade_shortanswer(data: Data, response: Any) -> float:
    given = normalise_text_answer(str(response or ""))
    weights = [a["weight"] for a in data["answers"] if normalise_text_answer(a["text"]) == given and given]
    return max(weights, default=0) / 100


def _grade_matching(data: Data, response: Any) -> float:
    pairs = len(data["pairs"])
    chosen = list(response or [])
    right = sum(1 for index, picked in enumerate(chosen[:pairs]) if picked == index)
    return right / pairs


def _grade_ordering(data: Data, response: Any) -> float:
    items = len(data["items"])
    order = list(response or [])
    right = sum(1 for position, picked in enumerate(order[:items]) if picked == position)
    return right / items


def _grade_checklist(data: Data, response: Any) -> float:
    achieved = set(response or [])
    items = data["items"]
    if any(item.get("critical") and item["id"] not in achieved for item in items):
        return 0.0
    total = sum(item["points"] for item in items)
    return sum(item["points"] for item in items if item["id"] in achieved) / total


def _manual(data: Data, response: Any) -> float | None:
    return None


@dataclass(frozen=True)
class QuestionType:
    """A kind of question: its YAML schema, whether it is scored automatically, and how."""

    name: str
    spec_model: type[QuestionBase]
    grade: Callable[[Data, Any], float | None]
    auto_graded: bool = True
    graded: bool = True


BUILTIN_TYPES: tuple[QuestionType, ...] = (
    QuestionType("single", SingleChoiceSpec, _grade_single),
    QuestionType("multiple", MultipleResponseSpec, _grade_multiple),
    QuestionType("truefalse", TrueFalseSpec, _grade_truefalse),
    QuestionType("numeric", NumericSpec, _grade_numeric),
    QuestionType("shortanswer", ShortAnswerSpec, _grade_shortanswer),
    QuestionType("matching", MatchingSpec, _grade_matching),
    QuestionType("ordering", OrderingSpec, _grade_ordering),
    QuestionType("essay", EssaySpec, _manual, auto_graded=False),
    QuestionType("description", DescriptionSpec, _manual, auto_graded=False, graded=False),
    QuestionType("checklist", ChecklistSpec, _grade_checklist, auto_graded=False),
)

COMMON_FIELDS = frozenset(QuestionBase.model_fields)


def question_data(spec: QuestionBase) -> Data:
    """The type-specific body of a question as stored in ``Question.data``."""
    return spec.model_dump(mode="json", exclude=set(COMMON_FIELDS) | {"type"})


def registry(pm: Any) -> dict[str, QuestionType]:
    """All question types known to the plugin manager; later registrations override earlier ones by name."""
    types: dict[str, QuestionType] = {}
    for contributed in reversed(pm.hook.lms_question_types()):
        for question_type in contributed:
            types[question_type.name] = question_type
    return types
