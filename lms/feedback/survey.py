"""The feedback survey trainees fill in after a session: items rated 1–5 or commented, read from YAML and checked.

The rest of the feedback package: recording answers (``responses``), typed-in paper sheets (``paper_sheets``),
summaries per session, course and trainer (``summaries``) and their text form (``display``).

One response per trainee, session and survey: a second response from the same trainee *replaces* the first, so a
trainee who changes their mind, or a paper sheet typed in twice, leaves one answer, the latest. Anonymous responses
(paper sheets without a name) are always added; the same paper file is refused a second time for that reason.
Summaries never name trainees.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from lms.errors import LmsError
from lms.files.yamlsource import load_yaml_file
from lms.i18n import _
from lms.questions.types import BilingualText, Strict

SCALE = (1, 2, 3, 4, 5)
SOURCES = ("terminal", "browser", "paper")
MAX_COMMENT = 2000
DEFAULT_SURVEY_FILE = "training-feedback.yaml"
IMPORT_ACTION = "feedback.import"
Code = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Scope = Literal["session", "course", "trainer"]

# --- the survey -------------------------------------------------------------------------------------------------


class ScaleLabels(Strict):
    """What the two ends of the 1–5 scale mean (很不满意 … 很满意)."""

    low: BilingualText
    high: BilingualText


DEFAULT_SCALE = ScaleLabels(
    low=BilingualText(zh="很不满意", en="Very dissatisfied"), high=BilingualText(zh="很满意", en="Very satisfied")
)


class SurveyItem(Strict):
    """One question: a rating from 1 to 5, or a free-text comment (always optional)."""

    id: Code
    kind: Literal["rating", "comment"]
    text: BilingualText
    label: BilingualText | None = None  # a short name for charts and tables; the text when left out
    scale: ScaleLabels | None = None  # a rating's own end labels; the survey's when left out

    def short(self) -> BilingualText:
        return self.label or self.text


class Survey(Strict):
    """A feedback survey: its code (stored with each response), title and items in the order trainees see them."""

    code: Code
    title: BilingualText
    intro: BilingualText | None = None
    scale: ScaleLabels = DEFAULT_SCALE
    items: list[SurveyItem] = Field(min_length=1, max_length=40)

    def item(self, item_id: str) -> SurveyItem | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def ratings(self) -> list[SurveyItem]:
        return [item for item in self.items if item.kind == "rating"]

    @property
    def comments(self) -> list[SurveyItem]:
        return [item for item in self.items if item.kind == "comment"]

    def scale_of(self, item: SurveyItem) -> ScaleLabels:
        return item.scale or self.scale


def survey_problems(survey: Survey) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """What pydantic cannot see: repeated item ids, end labels on a comment."""
    seen: set[str] = set()
    for index, item in enumerate(survey.items):
        if item.id in seen:
            yield ("items", index, "id"), _("item id {id!r} is used twice").format(id=item.id)
        seen.add(item.id)
        if item.kind == "comment" and item.scale is not None:
            yield ("items", index, "scale"), _("only rating items have a scale")


def load_survey(path: Path) -> Survey:
    """Read and check a survey file. Raises LmsError naming file, line, column and field of the first problem."""
    document = load_yaml_file(path)
    if not isinstance(document.data, dict):
        raise LmsError(_("a survey file must be a mapping of fields"), file=path, line=1)
    try:
        survey = Survey.model_validate(document.data)
    except ValidationError as error:
        raise document.validation_error(error) from None
    for loc, message in survey_problems(survey):
        raise document.error(loc, message)
    return survey


def default_survey_path() -> Path:
    """The survey shipped beside the course library (package data of the courses plugin)."""
    from importlib.resources import files

    try:
        return Path(str(files("courses") / "surveys" / DEFAULT_SURVEY_FILE))
    except ModuleNotFoundError:
        raise LmsError(_("the default feedback survey is missing; reinstall the package")) from None


@cache
def default_survey() -> Survey:
    return load_survey(default_survey_path())


def survey_or_default(path: Path | None) -> Survey:
    """The survey in ``path``, or the shipped training feedback survey."""
    return load_survey(path) if path else default_survey()
