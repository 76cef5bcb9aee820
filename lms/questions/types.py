"""Built-in question types: the YAML schema of each, how a response is graded and what a trainee may see.

Each type is a ``QuestionType``; plugins contribute more through ``lms_question_types``. ``grade`` returns the
fraction of the question's points earned (0..1), or None when a trainer must grade it by hand. Grading follows
Moodle: multiple response sums per-choice weights and floors the total at 0; short answers are compared after
normalising width, case and spaces; numeric answers accept a tolerance, a range or several weighted answers.

Optional fields added after the first course files (per-answer feedback, partial credit, distractors) are left
out of dumps when unset, so the content hash of an unchanged course file stays the same.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from lms.questions import grading
from lms.questions import views as question_views


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unset(value: Any) -> bool:
    return value is None or value == [] or value == {}


def optional(**kwargs: Any) -> Any:
    """An optional field that is left out of dumps when empty."""
    return Field(default=None, exclude_if=_unset, **kwargs)


class BilingualText(Strict):
    """Text every user reads: Simplified Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class BilingualTitle(BilingualText):
    """A course, module or project title: no longer than the columns it is stored in (300), so a longer one is
    refused at validate with its field named instead of failing on PostgreSQL at import."""

    zh: str = Field(min_length=1, max_length=300)
    en: str = Field(min_length=1, max_length=300)


class BilingualName(BilingualText):
    """An organisation's name, as wide as its stored columns (200)."""

    zh: str = Field(min_length=1, max_length=200)
    en: str = Field(min_length=1, max_length=200)


class QuestionBase(Strict):
    """Fields every question has, whatever its type."""

    id: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    module: str
    points: float = Field(default=1.0, ge=0)
    prompt: BilingualText
    feedback: BilingualText | None = None
    name: str | None = optional(max_length=200, description="a title that is not itself an id (GIFT ::title::)")


class Choice(Strict):
    id: str = Field(min_length=1, max_length=20)
    text: BilingualText
    feedback: BilingualText | None = optional()


def _unique_choice_ids(choices: list[Choice]) -> list[Choice]:
    seen: set[str] = set()
    for choice in choices:
        if choice.id in seen:
            raise ValueError(f"duplicate choice id {choice.id!r}")
        seen.add(choice.id)
    return choices


def _choice_list(choices: list[Choice]) -> str:
    return ", ".join(choice.id for choice in choices)


def _check_weights(weights: dict[str, float], info: ValidationInfo) -> None:
    choices = info.data.get("choices") or []
    ids = {choice.id for choice in choices}
    for key, weight in weights.items():
        if choices and key not in ids:
            raise ValueError(f"weight for {key!r} names no choice (choices: {_choice_list(choices)})")
        if not -100 <= weight <= 100:
            raise ValueError(f"weight for {key!r} must lie between -100 and 100")


class SingleChoiceSpec(QuestionBase):
    type: Literal["single"]
    choices: list[Choice] = Field(min_length=2)
    answer: str
    weights: dict[str, float] | None = optional(description="partial credit (percent) for other choices")

    _unique = field_validator("choices")(_unique_choice_ids)

    @field_validator("answer")
    @classmethod
    def answer_names_a_choice(cls, answer: str, info: ValidationInfo) -> str:
        choices = info.data.get("choices") or []
        if choices and answer not in {choice.id for choice in choices}:
            raise ValueError(f"answer {answer!r} names no choice (choices: {_choice_list(choices)})")
        return answer

    @field_validator("weights")
    @classmethod
    def partial_credit_names_choices(cls, weights: dict[str, float] | None, info: ValidationInfo) -> Any:
        if weights:
            _check_weights(weights, info)
        return weights


class MultipleResponseSpec(QuestionBase):
    type: Literal["multiple"]
    choices: list[Choice] = Field(min_length=2)
    weights: dict[str, float] = Field(description="percent of the points per choice; negative allowed")

    _unique = field_validator("choices")(_unique_choice_ids)

    @field_validator("weights")
    @classmethod
    def weights_name_choices(cls, weights: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        _check_weights(weights, info)
        positive = sum(weight for weight in weights.values() if weight > 0)
        if not math.isclose(positive, 100, abs_tol=0.01):
            raise ValueError(f"positive weights add up to {positive:g}, not 100")
        return weights


class TrueFalseSpec(QuestionBase):
    type: Literal["truefalse"]
    answer: bool
    feedback_true: BilingualText | None = optional(description="shown to those who answered true")
    feedback_false: BilingualText | None = optional(description="shown to those who answered false")


class NumericAnswer(Strict):
    """A further accepted numeric answer with its own credit (GIFT ``{#=1822:0 =%50%1822:2}``)."""

    value: float | None = None
    tolerance: float = Field(default=0, ge=0)
    range: tuple[float, float] | None = None
    weight: float = Field(default=100, ge=0, le=100)
    feedback: BilingualText | None = optional()

    @model_validator(mode="after")
    def one_key(self) -> NumericAnswer:
        if (self.value is None) == (self.range is None):
            raise ValueError("give either value (with tolerance) or range")
        if self.range and self.range[0] > self.range[1]:
            raise ValueError("range must be [low, high]")
        return self


class NumericSpec(QuestionBase):
    type: Literal["numeric"]
    answer: float | None = None
    tolerance: float = Field(default=0, ge=0)
    range: tuple[float, float] | None = None
    unit: str | None = None
    answer_feedback: BilingualText | None = optional(description="shown for the full-credit answer")
    answers: list[NumericAnswer] | None = optional(description="further answers, e.g. for partial credit")
    wrong_feedback: BilingualText | None = optional(description="shown for any other answer")

    @model_validator(mode="after")
    def one_key(self) -> NumericSpec:
        if (self.answer is None) == (self.range is None):
            raise ValueError("give either answer (with tolerance) or range, not both")
        if self.range and self.range[0] > self.range[1]:
            raise ValueError("range must be [low, high]")
        return self


class AcceptedAnswer(Strict):
    text: str = Field(min_length=1, description="* matches any characters; \\* is a literal star")
    weight: float = Field(default=100, ge=0, le=100)
    feedback: BilingualText | None = optional()


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
    distractors: list[BilingualText] | None = optional(description="extra wrong answers on the right")


class OrderingSpec(QuestionBase):
    type: Literal["ordering"]
    items: list[BilingualText] = Field(min_length=2, description="in the correct order")


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


Data = dict[str, Any]
normalise_text_answer = grading.normalise_text_answer


@dataclass(frozen=True)
class QuestionType:
    """A kind of question: its YAML schema, whether it is scored automatically, how, and what a trainee sees.

    ``compile`` (optional) turns a question's data into a fast one-argument grader; ``view`` builds the keyless
    body shown to a trainee (``question_views.ViewBody``) and ``from_view`` turns a response given against that
    view back into the stored form. Types without them show the prompt and take a free-text response.
    ``answered_by`` is ``trainer`` for types a trainer scores on site (nothing for the trainee to enter).
    """

    name: str
    spec_model: type[QuestionBase]
    grade: Callable[[Data, Any], float | None]
    auto_graded: bool = True
    graded: bool = True
    compile: Callable[[Data], Callable[[Any], float | None]] | None = None
    view: Callable[[str, Data, int], question_views.ViewBody] | None = None
    from_view: Callable[[str, Data, Any], Any] | None = None
    to_view: Callable[[str, Data, Any], Any] | None = None
    answered_by: Literal["trainee", "trainer"] = "trainee"

    def grader(self, data: Data) -> Callable[[Any], float | None]:
        """A one-argument grader for one question (compiled once, called for every response)."""
        if self.compile is not None:
            return self.compile(data)
        grade = self.grade
        return lambda response: grade(data, response)


def _builtin(name: str, spec: type[QuestionBase], compile_: Callable[[Data], Any], **options: Any) -> QuestionType:
    views = question_views.BUILTIN_VIEWS.get(name)
    return QuestionType(
        name,
        spec,
        grading.by_data(compile_),
        compile=compile_,
        view=views.view if views else None,
        from_view=views.from_view if views else None,
        to_view=views.to_view if views else None,
        **options,
    )


BUILTIN_TYPES: tuple[QuestionType, ...] = (
    _builtin("single", SingleChoiceSpec, grading.single),
    _builtin("multiple", MultipleResponseSpec, grading.multiple),
    _builtin("truefalse", TrueFalseSpec, grading.truefalse),
    _builtin("numeric", NumericSpec, grading.numeric),
    _builtin("shortanswer", ShortAnswerSpec, grading.shortanswer),
    _builtin("matching", MatchingSpec, grading.matching),
    _builtin("ordering", OrderingSpec, grading.ordering),
    _builtin("essay", EssaySpec, grading.manual, auto_graded=False),
    _builtin("description", DescriptionSpec, grading.manual, auto_graded=False, graded=False),
    _builtin("checklist", ChecklistSpec, grading.checklist, auto_graded=False, answered_by="trainer"),
)

COMMON_FIELDS = frozenset(QuestionBase.model_fields) - {"name"}


def question_data(spec: QuestionBase) -> Data:
    """The type-specific body of a question as stored in ``Question.data`` (a GIFT title rides along as ``name``)."""
    return spec.model_dump(mode="json", exclude=set(COMMON_FIELDS) | {"type"})


def registry(pm: Any) -> dict[str, QuestionType]:
    """All question types known to the plugin manager; later registrations override earlier ones by name."""
    types: dict[str, QuestionType] = {}
    for contributed in reversed(pm.hook.lms_question_types()):
        for question_type in contributed:
            types[question_type.name] = question_type
    return types
