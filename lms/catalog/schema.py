"""The course YAML schema (pydantic). ``lms courses schema`` prints it as JSON Schema for editors.

Question bodies come from the question-type registry, so a plugin's question type is part of the schema too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, create_model, model_validator

from lms.questions.types import (
    BilingualName,
    BilingualText,
    BilingualTitle,
    ChecklistItem,
    QuestionBase,
    QuestionType,
    Strict,
)

CurriculumName = Literal["operation", "maintenance", "fault_handling"]
Audience = Literal["operator", "electrician", "maintenance_technician", "manager", "engineer"]
TeachingMethod = Literal["lecture", "demonstration", "hands_on", "discussion"]
Code = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


class ModuleSpec(Strict):
    """A module of a course in one curriculum, with objectives and hours."""

    id: Code
    curriculum: CurriculumName
    title: BilingualTitle
    hours: float = Field(gt=0, le=200)
    objectives: list[BilingualText] = Field(min_length=1)
    audience: list[Audience] = Field(default_factory=list)
    methods: list[TeachingMethod] = Field(default=["lecture"])


class ReexamRule(Strict):
    """Re-exam (补考) rules: attempts allowed in all, waiting time, tutoring first, how attempts combine."""

    max_attempts: int = Field(default=2, ge=1, le=10)
    wait_days: int = Field(default=1, ge=0, le=365)
    tutoring_required: bool = True
    grading: Literal["highest", "last", "first", "average"] = "highest"
    cap_percent: float | None = Field(default=None, gt=0, le=100)


class CertificateRule(Strict):
    """What a pass earns: an operator training certificate or an engineer qualification."""

    family: Literal["operator", "engineer"]
    title: BilingualTitle
    # Bounded so that an expiry date is always a real date (a typo of 12000 months would otherwise end in year 3026+).
    validity_months: int | None = Field(default=None, gt=0, le=240)
    recertify_within_days: int | None = Field(default=None, gt=0, le=3650)


class AttendanceRule(Strict):
    """Who may be certified: the share of the session's days a trainee must attend (1: every day, the default)."""

    min_share: float = Field(default=1.0, gt=0, le=1)


class SkillGrant(Strict):
    code: Code
    name: BilingualName
    level: int = Field(default=1, ge=1, le=5)


class BlueprintDraw(Strict):
    """Draw ``count`` questions at random from one curriculum or one module."""

    curriculum: CurriculumName | None = None
    module: str | None = None
    count: int = Field(gt=0)

    @model_validator(mode="after")
    def one_source(self) -> BlueprintDraw:
        if (self.curriculum is None) == (self.module is None):
            raise ValueError("name either curriculum or module")
        return self


class CourseSpecBase(Strict):
    """A course: who it is for, its modules in three curricula, its question bank and what a pass grants."""

    code: Code
    title: BilingualTitle
    system: BilingualTitle
    description: BilingualText | None = None
    audience: list[Audience] = Field(min_length=1)
    pass_mark: float = Field(gt=0, le=100)
    written_weight: float = Field(default=1.0, ge=0, le=1)
    practical_weight: float = Field(default=0.0, ge=0, le=1)
    time_limit_minutes: int | None = Field(default=None, gt=0, le=1440)
    reexam: ReexamRule = Field(default_factory=ReexamRule)
    certificate: CertificateRule
    attendance: AttendanceRule | None = None  # None: every day of the session
    skills: list[SkillGrant] = Field(default_factory=list)
    modules: list[ModuleSpec] = Field(min_length=1)
    practical: list[ChecklistItem] = Field(default_factory=list)
    blueprint: list[BlueprintDraw] = Field(default_factory=list)
    handouts: list[str] = Field(default_factory=list)
    questions: list[Any] = Field(min_length=1)


def make_course_model(types: Mapping[str, QuestionType]) -> type[CourseSpecBase]:
    """The course model whose questions are a tagged union of the registered question types."""
    models = tuple(question_type.spec_model for question_type in types.values())
    union: Any = Annotated[Union[models], Field(discriminator="type")]  # noqa: UP007 - built at run time
    model: type[CourseSpecBase] = create_model(
        "CourseSpec", __base__=CourseSpecBase, questions=(list[union], Field(min_length=1))
    )
    return model


Problem = tuple[tuple[str | int, ...], str]


def _duplicates(items: list[Any], attribute: str, where: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = getattr(item, attribute)
        if key in seen:
            yield (where, index, attribute), f"duplicate id {key!r}"
        seen.add(key)


def semantic_problems(spec: CourseSpecBase) -> Iterator[Problem]:
    """Problems the shape alone cannot show: duplicate ids, dangling references, impossible blueprints."""
    yield from _duplicates(spec.modules, "id", "modules")
    yield from _duplicates(spec.questions, "id", "questions")
    yield from _duplicates(spec.skills, "code", "skills")
    yield from _duplicates(spec.practical, "id", "practical")
    modules = {module.id: module for module in spec.modules}
    covered = {module.curriculum for module in spec.modules}
    for curriculum in ("operation", "maintenance", "fault_handling"):
        if curriculum not in covered:
            yield ("modules",), f"no module covers the {curriculum} curriculum"
    question: QuestionBase
    for index, question in enumerate(spec.questions):
        if question.module not in modules:
            yield ("questions", index, "module"), f"module {question.module!r} is not defined in modules"
    if abs(spec.written_weight + spec.practical_weight - 1) > 1e-6:
        yield ("practical_weight",), "written_weight and practical_weight must add up to 1"
    if spec.practical_weight > 0 and not spec.practical:
        yield ("practical",), "practical_weight is set but there is no practical checklist"
    for index, draw in enumerate(spec.blueprint):
        if draw.module is not None and draw.module not in modules:
            yield ("blueprint", index, "module"), f"module {draw.module!r} is not defined in modules"
            continue
        available = [
            q
            for q in spec.questions
            if q.points > 0
            and q.module in modules
            and (q.module == draw.module if draw.module else modules[q.module].curriculum == draw.curriculum)
        ]
        if len(available) < draw.count:
            yield (
                ("blueprint", index, "count"),
                f"asks for {draw.count} questions but only {len(available)} exist",
            )


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Course"
    return schema
