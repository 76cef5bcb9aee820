"""Reading course YAML files into validated specs, with errors that name file, line, column and field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from lms.catalog.handouts import Handout, resolve_handouts
from lms.catalog.schema import CourseSpecBase, make_course_model, semantic_problems
from lms.errors import LmsError
from lms.files.yamlsource import YamlDocument, describe_pydantic_error, load_yaml_file
from lms.i18n import _
from lms.questions.types import QuestionType

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadedCourse:
    path: Path
    spec: CourseSpecBase
    document: YamlDocument
    handouts: list[Handout] = field(default_factory=list)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders become their YAML files, sorted. A path that does not exist is an error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
            if not found:
                raise LmsError(_("no course YAML files in this folder"), file=path)
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise LmsError(_("file not found"), file=path)
    return files


class CourseProblems(LmsError):
    """Every problem found in one course file, each its own one-line error (``problems``); the first is the message."""

    def __init__(self, problems: list[LmsError]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


def load_course(path: Path, types: Mapping[str, QuestionType]) -> LoadedCourse:
    """Parse and validate one course file.

    Raises:
        LmsError: the file cannot be read as YAML (one problem), or :class:`CourseProblems` with every problem of its
            fields, its rules and its handouts, each naming where it is.
    """
    document = load_yaml_file(path)
    if not isinstance(document.data, dict):
        raise LmsError(_("a course file must be a mapping of fields"), file=path, line=1)
    model = make_course_model(types)
    try:
        spec = model.model_validate(document.data)
    except ValidationError as error:
        problems = [
            document.error(detail["loc"], describe_pydantic_error(detail)) for detail in error.errors(include_url=False)
        ]
        raise CourseProblems(problems) from None
    problems = [document.error(loc, message) for loc, message in semantic_problems(spec)]
    if problems:
        raise CourseProblems(problems)
    handouts = resolve_handouts(document, list(spec.handouts))
    return LoadedCourse(path=path, spec=spec, document=document, handouts=handouts)


def load_courses(paths: Iterable[Path], types: Mapping[str, QuestionType]) -> tuple[list[LoadedCourse], list[LmsError]]:
    """Load every file, collecting one error per bad file; duplicate course codes across files are errors too."""
    loaded: list[LoadedCourse] = []
    errors: list[LmsError] = []
    seen: dict[str, Path] = {}
    for path in expand_paths(paths):
        try:
            course = load_course(path, types)
        except CourseProblems as found:
            errors.extend(found.problems)
            continue
        except LmsError as error:
            errors.append(error)
            continue
        code = course.spec.code
        if code in seen:
            line, column = course.document.positions.get(("code",), (1, 1))
            errors.append(
                LmsError(
                    _("course code {code!r} is also used by {other}").format(code=code, other=seen[code]),
                    file=path,
                    line=line,
                    column=column,
                    field="code",
                )
            )
            continue
        seen[code] = path
        loaded.append(course)
    return loaded, errors
