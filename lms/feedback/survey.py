"""Trainees' feedback after a session: the survey (YAML), answers from the terminal, the browser or paper, and
summaries per session, course and trainer.

One response per trainee, session and survey: a second response from the same trainee *replaces* the first, so a
trainee who changes their mind, or a paper sheet typed in twice, leaves one answer, the latest. Anonymous responses
(paper sheets without a name) are always added; the same paper file is refused a second time for that reason.
Summaries never name trainees.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError
from sqlmodel import Session, col, func, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.errors import LmsError, NotFoundError
from lms.files.limits import TYPED_IN_SHEETS
from lms.files.textfiles import decode_table_text, read_bytes
from lms.files.yamlsource import load_yaml_file
from lms.i18n import _, pick
from lms.models import (
    Attendance,
    AuditEntry,
    Course,
    CourseVersion,
    FeedbackResponse,
    Person,
    RosterEntry,
    SessionDay,
    SessionStatus,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import course_by_code, person_by_code, session_by_code
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


# --- recording --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedFeedback:
    id: int
    replaced: bool  # the trainee's earlier response to this survey in this session was replaced


def checked_ratings(survey: Survey, ratings: Mapping[str, Any]) -> dict[str, int]:
    """Ratings by item id, each a whole number 1–5; an unknown item or a comment item is an error, None is unrated."""
    checked: dict[str, int] = {}
    for item_id, value in ratings.items():
        item = survey.item(item_id)
        if item is None:
            raise LmsError(_("the survey has no item {item!r}").format(item=item_id), field=item_id)
        if item.kind != "rating":
            raise LmsError(_("{item} takes a comment, not a rating").format(item=item_id), field=item_id)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            message = _("a rating is a whole number from 1 to 5, not {value!r}").format(value=value)
            raise LmsError(message, field=item_id)
        checked[item_id] = value
    return checked


def checked_comments(survey: Survey, comments: Mapping[str, Any]) -> dict[str, str]:
    """Comments by item id, trimmed; empty ones are dropped."""
    checked: dict[str, str] = {}
    for item_id, value in comments.items():
        item = survey.item(item_id)
        if item is None:
            raise LmsError(_("the survey has no item {item!r}").format(item=item_id), field=item_id)
        if item.kind != "comment":
            raise LmsError(_("{item} takes a rating, not a comment").format(item=item_id), field=item_id)
        if value is None:
            continue
        if not isinstance(value, str):
            raise LmsError(_("a comment is text"), field=item_id)
        text = value.strip()
        if len(text) > MAX_COMMENT:
            raise LmsError(_("a comment is at most {limit} characters").format(limit=MAX_COMMENT), field=item_id)
        if text:
            checked[item_id] = text
    return checked


def record_response(
    session: Session,
    session_id: int,
    person_id: int | None,
    survey: Survey,
    ratings: Mapping[str, Any],
    comments: Mapping[str, Any],
    source: str = "terminal",
    *,
    now: dt.datetime | None = None,
) -> RecordedFeedback:
    """Store one trainee's answers (``person_id`` None: anonymous). A trainee's second response to the same survey in
    the same session replaces the first. Raises LmsError for an unknown item, a rating outside 1–5, an empty
    response, a trainee not on the roster or a cancelled session; nothing is written then. The caller commits."""
    training = session.get(TrainingSession, session_id)
    if training is None:
        raise NotFoundError(_("no training session has the id {id}").format(id=session_id))
    if training.status == SessionStatus.cancelled:
        raise LmsError(_("session {code} was cancelled; it takes no feedback").format(code=training.code))
    if source not in SOURCES:
        raise LmsError(_("unknown source {source!r}").format(source=source), field="source")
    clean_ratings = checked_ratings(survey, ratings)
    clean_comments = checked_comments(survey, comments)
    if not clean_ratings and not clean_comments:
        raise LmsError(_("the response is empty: rate at least one item or write a comment"))
    earlier: list[FeedbackResponse] = []
    if person_id is not None:
        rostered = session.exec(
            select(RosterEntry.id).where(RosterEntry.session_id == session_id, RosterEntry.person_id == person_id)
        ).first()
        if rostered is None:
            raise LmsError(
                _("this trainee is not on the roster of session {code}").format(code=training.code), field="trainee"
            )
        earlier = list(
            session.exec(
                select(FeedbackResponse)
                .where(
                    FeedbackResponse.session_id == session_id,
                    FeedbackResponse.person_id == person_id,
                    FeedbackResponse.survey == survey.code,
                )
                .order_by(col(FeedbackResponse.id))
            )
        )
    response = earlier[0] if earlier else FeedbackResponse(session_id=session_id, person_id=person_id, survey="")
    for duplicate in earlier[1:]:  # left by two submits racing each other; one answer remains
        session.delete(duplicate)
    response.survey = survey.code
    response.ratings = clean_ratings
    response.comments = clean_comments
    response.source = source
    response.submitted_at = now or dt.datetime.now(dt.UTC)
    session.add(response)
    session.flush()
    assert response.id is not None
    return RecordedFeedback(response.id, replaced=bool(earlier))


def previous_response(session: Session, session_id: int, person_id: int, survey: Survey) -> FeedbackResponse | None:
    """The trainee's response to this survey in this session, to show when they open it again."""
    return session.exec(
        select(FeedbackResponse)
        .where(
            FeedbackResponse.session_id == session_id,
            FeedbackResponse.person_id == person_id,
            FeedbackResponse.survey == survey.code,
        )
        .order_by(col(FeedbackResponse.id).desc())
    ).first()


# --- summaries --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSummary:
    item: str
    label: dict[str, str]
    count: int
    mean: float | None
    distribution: tuple[int, ...]  # how many gave 1, 2, 3, 4 and 5


@dataclass(frozen=True)
class FeedbackComment:
    item: str
    session: str
    text: str


@dataclass(frozen=True)
class FeedbackSummary:
    """Feedback for a session, or for a course's or a trainer's sessions that collected feedback."""

    scope: str
    code: str
    title: dict[str, str]
    survey: str
    sessions: int  # for a course or trainer: the sessions with at least one response
    responses: int
    anonymous: int
    present: int  # trainees present on at least one day of those sessions
    items: list[ItemSummary]
    comments: list[FeedbackComment]

    @property
    def response_rate(self) -> float | None:
        """Responses per present trainee (anonymous paper sheets count too)."""
        return round(self.responses / self.present, 3) if self.present else None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"response_rate": self.response_rate}


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def present_counts(session: Session, session_ids: Iterable[int]) -> dict[int, int]:
    """Trainees present on at least one day, per session (one grouped query per 500 sessions)."""
    counts: dict[int, int] = {}
    for chunk in _chunks(sorted(set(session_ids))):
        statement = (
            select(SessionDay.session_id, func.count(func.distinct(Attendance.person_id)))
            .join(Attendance, col(Attendance.session_day_id) == SessionDay.id)
            .where(col(SessionDay.session_id).in_(chunk), col(Attendance.present).is_(True))
            .group_by(col(SessionDay.session_id))
        )
        counts |= {session_id: int(count) for session_id, count in session.exec(statement)}
    return counts


def _item_summaries(survey: Survey, ratings: Iterable[Mapping[str, Any]]) -> list[ItemSummary]:
    """Per rating item: count, mean and distribution; items not in the survey follow, named by their id."""
    tallies: dict[str, list[int]] = defaultdict(lambda: [0] * len(SCALE))
    for rating in ratings:
        for item_id, value in rating.items():
            if isinstance(value, int) and value in SCALE:
                tallies[item_id][value - 1] += 1
    known = [item.id for item in survey.ratings]
    summaries = []
    for item_id in known + sorted(set(tallies) - set(known)):
        distribution = tuple(tallies[item_id]) if item_id in tallies else (0,) * len(SCALE)
        count = sum(distribution)
        total = sum(value * n for value, n in zip(SCALE, distribution, strict=True))
        item = survey.item(item_id)
        label = item.short().model_dump() if item else {"zh": item_id, "en": item_id}
        summaries.append(ItemSummary(item_id, label, count, round(total / count, 2) if count else None, distribution))
    return summaries


def _summarise(
    session: Session,
    rows: Sequence[tuple[FeedbackResponse, str]],
    *,
    scope: Scope,
    code: str,
    title: dict[str, str],
    survey: Survey,
    session_ids: set[int],
) -> FeedbackSummary:
    present = present_counts(session, session_ids)
    comments = [
        FeedbackComment(item_id, session_code, text)
        for response, session_code in rows
        for item_id, text in (response.comments or {}).items()
        if isinstance(text, str) and text
    ]
    return FeedbackSummary(
        scope=scope,
        code=code,
        title=title,
        survey=survey.code,
        sessions=len(session_ids),
        responses=len(rows),
        anonymous=sum(1 for response, _code in rows if response.person_id is None),
        present=sum(present.values()),
        items=_item_summaries(survey, (response.ratings or {} for response, _code in rows)),
        comments=comments,
    )


def _responses_where(session: Session, *conditions: Any) -> list[tuple[FeedbackResponse, str]]:
    statement = (
        select(FeedbackResponse, TrainingSession.code)
        .join(TrainingSession, col(TrainingSession.id) == FeedbackResponse.session_id)
        .where(*conditions)
        .order_by(col(FeedbackResponse.submitted_at), col(FeedbackResponse.id))
    )
    return [(response, code) for response, code in session.exec(statement)]


def feedback_summary(session: Session, session_id: int, survey: Survey | None = None) -> FeedbackSummary:
    """One session's feedback: per item count, mean and distribution; comments; response rate against the trainees
    present. Raises NotFoundError for an unknown session."""
    require(Permission.view_results)
    training = session.get(TrainingSession, session_id)
    if training is None:
        raise NotFoundError(_("no training session has the id {id}").format(id=session_id))
    version = session.get(CourseVersion, training.course_version_id)
    course = session.get(Course, version.course_id) if version else None
    title = {"zh": course.title_zh, "en": course.title_en} if course else {"zh": "", "en": ""}
    rows = _responses_where(session, FeedbackResponse.session_id == session_id)
    survey = survey or default_survey()
    return _summarise(
        session, rows, scope="session", code=training.code, title=title, survey=survey, session_ids={session_id}
    )


def summary_by_course(session: Session, course_code: str, survey: Survey | None = None) -> FeedbackSummary:
    """Feedback over every session of a course (all versions) that collected any."""
    require(Permission.view_results)
    course = course_by_code(session, course_code, field=None)
    versions = select(CourseVersion.id).where(CourseVersion.course_id == course.id)
    rows = _responses_where(session, col(TrainingSession.course_version_id).in_(versions))
    return _summarise(
        session,
        rows,
        scope="course",
        code=course.code,
        title={"zh": course.title_zh, "en": course.title_en},
        survey=survey or default_survey(),
        session_ids={response.session_id for response, _code in rows},
    )


def summary_by_trainer(session: Session, trainer_code: str, survey: Survey | None = None) -> FeedbackSummary:
    """Feedback over every session a trainer taught (in any role) that collected any."""
    require(Permission.view_results)
    trainer = person_by_code(session, trainer_code, field=None)
    taught = select(SessionTrainer.session_id).where(SessionTrainer.person_id == trainer.id)
    rows = _responses_where(session, col(FeedbackResponse.session_id).in_(taught))
    name = trainer.name_en or trainer.name
    return _summarise(
        session,
        rows,
        scope="trainer",
        code=trainer.code,
        title={"zh": trainer.name, "en": name},
        survey=survey or default_survey(),
        session_ids={response.session_id for response, _code in rows},
    )


def summary_for(session: Session, scope: Scope, code: str, survey: Survey | None = None) -> FeedbackSummary:
    """The summary for a session code, a course code or a trainer's person code."""
    if scope == "session":
        training = session_by_code(session, code)
        assert training.id is not None
        return feedback_summary(session, training.id, survey)
    if scope == "course":
        return summary_by_course(session, code, survey)
    return summary_by_trainer(session, code, survey)


@dataclass(frozen=True)
class FeedbackRow:
    """One line of the results list: a session, course or trainer with feedback."""

    scope: str
    code: str
    title: dict[str, str]
    sessions: int
    responses: int
    present: int
    mean: float | None  # of every rating given, all items together
    last_day: dt.date | None

    @property
    def response_rate(self) -> float | None:
        return round(self.responses / self.present, 3) if self.present else None


def feedback_overview(session: Session, scope: Scope) -> list[FeedbackRow]:
    """Every session, course or trainer with feedback, latest first: a few queries, whatever the number of rows."""
    require(Permission.view_results)
    responses = session.exec(select(FeedbackResponse.session_id, FeedbackResponse.ratings)).all()
    session_ids = sorted({session_id for session_id, _ratings in responses})
    keys: dict[int, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    last_days: dict[int, dt.date] = {}
    for chunk in _chunks(session_ids):
        for training, course in session.exec(
            select(TrainingSession, Course)
            .join(CourseVersion, col(CourseVersion.id) == TrainingSession.course_version_id)
            .join(Course, col(Course.id) == CourseVersion.course_id)
            .where(col(TrainingSession.id).in_(chunk))
        ):
            assert training.id is not None
            last_days[training.id] = training.last_day
            course_title = {"zh": course.title_zh, "en": course.title_en}
            if scope == "session":
                keys[training.id].append((training.code, course_title))
            elif scope == "course":
                keys[training.id].append((course.code, course_title))
        if scope == "trainer":
            for session_id, person in session.exec(
                select(SessionTrainer.session_id, Person)
                .join(Person, col(Person.id) == SessionTrainer.person_id)
                .where(col(SessionTrainer.session_id).in_(chunk))
                .order_by(col(SessionTrainer.id))
            ):
                keys[session_id].append((person.code, {"zh": person.name, "en": person.name_en or person.name}))
    present = present_counts(session, session_ids)
    grouped: dict[str, dict[str, Any]] = {}
    for session_id, ratings in responses:
        for code, title in keys[session_id]:
            group = grouped.setdefault(code, {"title": title, "sessions": set(), "responses": 0, "values": []})
            group["sessions"].add(session_id)
            group["responses"] += 1
            group["values"].extend(v for v in (ratings or {}).values() if isinstance(v, int) and v in SCALE)
    rows = [
        FeedbackRow(
            scope=scope,
            code=code,
            title=group["title"],
            sessions=len(group["sessions"]),
            responses=group["responses"],
            present=sum(present.get(session_id, 0) for session_id in group["sessions"]),
            mean=round(sum(group["values"]) / len(group["values"]), 2) if group["values"] else None,
            last_day=max((last_days[s] for s in group["sessions"] if s in last_days), default=None),
        )
        for code, group in grouped.items()
    ]
    return sorted(rows, key=lambda row: (row.last_day or dt.date.min, row.code), reverse=True)


EIGHTHS = " ▏▎▍▌▋▊▉"
SPARKS = "▁▂▃▄▅▆▇█"


def rating_bar(mean: float | None, width: int = 20) -> str:
    """A mean on the 1–5 scale as a bar of block characters; 5 fills ``width`` cells."""
    if mean is None:
        return ""
    full, part = divmod(round(mean / SCALE[-1] * width * 8), 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def distribution_spark(distribution: Sequence[int]) -> str:
    """How many gave 1 … 5, one character each, the most common the tallest; · where nobody did."""
    top = max(distribution, default=0)
    return "".join(SPARKS[max(1, round(n / top * 7))] if n else "·" for n in distribution)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def mean_text(mean: float | None) -> str:
    return "—" if mean is None else f"{mean:.2f}"


def scope_label(scope: str) -> str:
    return {"session": _("Session"), "course": _("Course"), "trainer": _("Trainer")}.get(scope, scope)


def summary_heading(summary: FeedbackSummary) -> list[str]:
    """Two lines for a summary: what it is about, and how many answered."""
    what = f"{scope_label(summary.scope)} {summary.code} — {pick(summary.title)}"
    if summary.scope != "session":
        what += " · " + _("{count} sessions with feedback").format(count=summary.sessions)
    answered = _("{responses} responses from {present} trainees present ({rate}), {anonymous} anonymous").format(
        responses=summary.responses,
        present=summary.present,
        rate=percent(summary.response_rate),
        anonymous=summary.anonymous,
    )
    return [what, answered]


# --- paper sheets -----------------------------------------------------------------------------------------------

COLUMNS = {
    "trainee": {"trainee", "学员", "人员", "姓名"},
    "item": {"item", "题目", "项目", "问题"},
    "value": {"value", "评分", "答案", "值", "内容"},
    "sheet": {"sheet", "表号", "问卷号", "序号"},
}


@dataclass
class PaperSheet:
    """One paper sheet: a named trainee's or an anonymous one (numbered in the ``sheet`` column)."""

    key: str
    line: int
    person_id: int | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedbackImport:
    session: str
    recorded: int
    replaced: int
    anonymous: int


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [_fold(cell) for cell in header]
    found = {}
    for column, aliases in COLUMNS.items():
        matches = [index for index, name in enumerate(names) if name in aliases]
        if matches:
            found[column] = matches[0]
    if "item" not in found or "value" not in found:
        raise LmsError(_("the first row must name the columns trainee, item, value"), file=path, line=1)
    return found


class _Roster:
    """A session's trainees by code, ID number and name, looked up without a query per row."""

    def __init__(self, session: Session, session_id: int) -> None:
        people = session.exec(
            select(Person).join(RosterEntry).where(RosterEntry.session_id == session_id).order_by(col(Person.id))
        ).all()
        self.by_key: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            self.by_key[_fold(person.code)] = person
            if person.id_number:
                self.by_key[_fold(person.id_number)] = person
            for name in {_fold(person.name), _fold(person.name_en or "")} - {""}:
                self.by_name[name].append(person)

    def find(self, text: str) -> Person:
        wanted = _fold(text)
        if wanted in self.by_key:
            return self.by_key[wanted]
        named = self.by_name.get(wanted, [])
        if len(named) > 1:
            raise LmsError(_("several trainees have the name {name}: give the code or ID number").format(name=text))
        if not named:
            raise LmsError(_("{name} is not on the roster of this session").format(name=text))
        return named[0]


def _value(survey: Survey, item_id: str, raw: str) -> tuple[str, int | str] | None:
    """(kind, value) of one cell; None when left blank on paper."""
    item = survey.item(item_id)
    if item is None:
        raise LmsError(_("the survey has no item {item!r}").format(item=item_id))
    text = raw.strip()
    if not text:
        return None
    if item.kind == "comment":
        return "comment", checked_comments(survey, {item_id: text})[item_id]
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isdigit() or int(folded) not in SCALE:
        raise LmsError(_("a rating is a whole number from 1 to 5, not {value!r}").format(value=text))
    return "rating", int(folded)


def read_feedback_sheet(session: Session, *, path: Path, training: TrainingSession, survey: Survey) -> list[PaperSheet]:
    """Check the whole file against the survey and the roster; LmsError at the first bad line, nothing written."""
    assert training.id is not None
    text, _encoding = decode_table_text(read_bytes(path, limit=TYPED_IN_SHEETS), path)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise LmsError(_("the file is empty"), file=path, line=1)
    columns = _columns(rows[0], path)
    roster = _Roster(session, training.id)
    sheets: dict[str, PaperSheet] = {}
    owners: dict[int, str] = {}  # person id -> the sheet holding their answers
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: row[index].strip() if index < len(row) else "" for name, index in columns.items()}
        person: Person | None = None
        if cells.get("trainee"):
            try:
                person = roster.find(cells["trainee"])
            except LmsError as error:
                raise LmsError(error.message, file=path, line=line, field="trainee") from None
        sheet_number = cells.get("sheet", "")
        if person is None and not sheet_number:
            message = _("an anonymous row needs a sheet number (column sheet) to keep its sheet together")
            raise LmsError(message, file=path, line=line, field="trainee")
        key = f"#{_fold(sheet_number)}" if sheet_number else f"@{person.id if person else ''}"
        sheet = sheets.setdefault(key, PaperSheet(key, line))
        if person is not None and person.id is not None:
            # A sheet's trainee is named by any of its rows; a blank trainee cell on a named sheet is fine.
            if sheet.person_id not in (None, person.id):
                message = _("sheet {sheet} belongs to another trainee (line {first})").format(
                    sheet=sheet_number, first=sheet.line
                )
                raise LmsError(message, file=path, line=line, field="trainee")
            if owners.setdefault(person.id, key) != key:
                message = _("{name} has answers on two sheets").format(name=person.name)
                raise LmsError(message, file=path, line=line, field="trainee")
            sheet.person_id = person.id
        item_id = cells["item"]
        if item_id in sheet.ratings or item_id in sheet.comments:
            message = _("{item} is answered twice on this sheet").format(item=item_id)
            raise LmsError(message, file=path, line=line, field="item")
        try:
            answer = _value(survey, item_id, cells["value"])
        except LmsError as error:
            where = "item" if survey.item(item_id) is None else "value"
            raise LmsError(error.message, file=path, line=line, field=where) from None
        if answer is not None:
            kind, value = answer
            if kind == "rating":
                sheet.ratings[item_id] = int(value)
            else:
                sheet.comments[item_id] = str(value)
    return [sheet for sheet in sheets.values() if sheet.ratings or sheet.comments]


def import_feedback(
    session: Session, *, path: Path, session_code: str, survey: Survey | None = None, now: dt.datetime | None = None
) -> FeedbackImport:
    """Record the answers typed in from paper sheets. The whole file is checked first; the same file (by content) is
    refused a second time for the session, since its anonymous sheets would count twice. The caller commits."""
    require(Permission.grade)
    survey = survey or default_survey()
    training = session_by_code(session, session_code)
    assert training.id is not None
    digest = hashlib.sha256(read_bytes(path, limit=TYPED_IN_SHEETS)).hexdigest()
    for entry in session.exec(
        select(AuditEntry).where(AuditEntry.action == IMPORT_ACTION, AuditEntry.entity_key == training.code)
    ):
        if (entry.after or {}).get("sha256") == digest:
            message = _("this file was already imported for session {code} on {day}").format(
                code=training.code, day=entry.at.date().isoformat()
            )
            raise LmsError(message, file=path)
    sheets = read_feedback_sheet(session, path=path, training=training, survey=survey)
    if not sheets:
        raise LmsError(_("the file has no answers"), file=path)
    replaced = 0
    for sheet in sheets:
        recorded = record_response(
            session, training.id, sheet.person_id, survey, sheet.ratings, sheet.comments, "paper", now=now
        )
        replaced += recorded.replaced
    result = FeedbackImport(
        session=training.code,
        recorded=len(sheets),
        replaced=replaced,
        anonymous=sum(1 for sheet in sheets if sheet.person_id is None),
    )
    audit.record(
        session,
        action=IMPORT_ACTION,
        entity="session",
        key=training.code,
        before=None,
        after={"file": path.name, "sha256": digest, "survey": survey.code} | asdict(result),
    )
    return result


# --- demo -------------------------------------------------------------------------------------------------------

DEMO_COMMENTS = (
    "实操时间可以再多一些。",
    "讲师讲得很清楚，案例贴近现场。",
    "希望资料里多一些故障排查的图片。",
    "第二天下午的内容有点赶。",
    "Good course; the English handouts helped our new colleague.",
)


def add_demo_feedback(session: Session, *, seed: int, survey: Survey | None = None) -> int:
    """Responses from most trainees present at each held session, the same for the same seed; one trainee who did
    not answer on screen hands in an anonymous paper sheet. The feedback has its own random stream, so the rest of
    the demo stays as it was. Returns how many responses were made."""
    survey = survey or default_survey()
    rng = random.Random(f"feedback-{seed}")
    held = session.exec(
        select(TrainingSession).where(TrainingSession.status == SessionStatus.held).order_by(col(TrainingSession.id))
    ).all()
    ids = [training.id for training in held if training.id is not None]
    present: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(ids):
        statement = (
            select(SessionDay.session_id, Attendance.person_id)
            .join(Attendance, col(Attendance.session_day_id) == SessionDay.id)
            .where(col(SessionDay.session_id).in_(chunk), col(Attendance.present).is_(True))
            .distinct()
            .order_by(col(SessionDay.session_id), col(Attendance.person_id))
        )
        for session_id, person_id in session.exec(statement):
            present[session_id].append(person_id)
    count = 0
    anonymous_left = 1
    for training in held:
        assert training.id is not None
        mood = rng.choice((3.6, 4.1, 4.4))
        at = dt.datetime.combine(training.last_day, dt.time(8, 30), tzinfo=dt.UTC)
        chosen = [rng.random() < 0.85 for _person in present[training.id]]
        people: list[int | None] = [p for p, yes in zip(present[training.id], chosen, strict=True) if yes]
        if anonymous_left and not all(chosen):
            people.append(None)  # one who did not answer on screen hands in a sheet without a name
            anonymous_left -= 1
        for number, trainee in enumerate(people):
            ratings = {item.id: min(5, max(1, round(rng.gauss(mood, 0.8)))) for item in survey.ratings}
            comments = {}
            if survey.comments and rng.random() < 0.4:
                comments[survey.comments[0].id] = rng.choice(DEMO_COMMENTS)
            source = "paper" if trainee is None or rng.random() < 0.3 else "terminal"
            when = at + dt.timedelta(minutes=5 * number)
            record_response(session, training.id, trainee, survey, ratings, comments, source, now=when)
            count += 1
    return count
