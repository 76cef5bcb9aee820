"""Feedback summaries per session, course and trainer, and the overview of who collected any. Summaries never name
trainees."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from lms.access.roles import Permission, require
from lms.db import chunks
from lms.errors import NotFoundError
from lms.feedback.survey import SCALE, Scope, Survey, default_survey
from lms.i18n import _
from lms.models import (
    Attendance,
    Course,
    CourseVersion,
    FeedbackResponse,
    Person,
    SessionDay,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import course_by_code, person_by_code, session_by_code


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


def present_counts(session: Session, session_ids: Iterable[int]) -> dict[int, int]:
    """Trainees present on at least one day, per session (one grouped query per 500 sessions)."""
    counts: dict[int, int] = {}
    for chunk in chunks(sorted(set(session_ids))):
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
    for chunk in chunks(session_ids):
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
