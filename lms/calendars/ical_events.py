"""The sessions an .ics export holds: the selection, each session's days, invitees and times, loaded in a few
queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from lms.config import settings
from lms.errors import LmsError
from lms.i18n import _
from lms.models import (
    CalendarCancellation,
    Course,
    CourseVersion,
    Obligation,
    Person,
    Project,
    SessionDay,
    SessionStatus,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import person_by_code, project_by_code

PRODID = "-//LMS//Training Scheduler//ZH"
CANCEL_SUFFIX = "-cancel"
MAX_BUSY_OCCURRENCES = 100_000
DEFAULT_PAST_DAYS = 30
DEFAULT_FUTURE_DAYS = 400
# Properties that decide when someone is busy; a broken one stops the import (the others are ignored).
TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")

ICS_STATUS: dict[str, str] = {
    SessionStatus.planned: "TENTATIVE",
    SessionStatus.confirmed: "CONFIRMED",
    SessionStatus.held: "CONFIRMED",
    SessionStatus.cancelled: "CANCELLED",
}
STATUS_TEXT: dict[str, str] = {
    SessionStatus.planned: "计划中 planned",
    SessionStatus.confirmed: "已确认 confirmed",
    SessionStatus.held: "已举办 held",
    SessionStatus.cancelled: "已取消 cancelled",
}


class IcsMethod(StrEnum):
    publish = "publish"
    request = "request"


# ---------------------------------------------------------------------------------------------------------------
# Export


@dataclass(frozen=True)
class SessionDayTimes:
    day: dt.date
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Invitee:
    name: str  # Person.name: the ATTENDEE's CN
    display: str  # "陈立峰 Chen Lifeng" for the description
    email: str | None
    role: str


@dataclass(frozen=True)
class SessionEvent:
    """Everything one VEVENT needs, loaded in a few queries for any number of sessions."""

    uid: str
    code: str
    sequence: int
    status: str
    updated_at: dt.datetime
    title_zh: str
    title_en: str
    place: str
    city: str
    project_code: str | None
    obligation_code: str | None
    days: tuple[SessionDayTimes, ...]
    trainers: tuple[Invitee, ...]
    calendar_provisional: bool = False  # its year is planned before the State Council's holiday notice

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.cancelled


@dataclass(frozen=True)
class Selection:
    """Which sessions to export: a trainer's, a project's, or all (both codes None)."""

    trainer_code: str | None = None
    project_code: str | None = None

    @property
    def label(self) -> str:
        if self.trainer_code:
            return f"trainer {self.trainer_code}"
        if self.project_code:
            return f"project {self.project_code}"
        return "all"


@dataclass
class PlannedFile:
    """One calendar file about to be written."""

    path: Path
    method: str
    sessions: list[SessionEvent]
    data: bytes = b""


@dataclass
class ExportResult:
    files: list[PlannedFile]
    #: session codes exported as invitations that have no trainer with an e-mail address (no ATTENDEE).
    without_attendees: list[str] = field(default_factory=list)


def site_timezone() -> tuple[str, ZoneInfo]:
    name = settings().timezone
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LmsError(_("unknown time zone {name!r}").format(name=name), field="timezone") from None


def taken_off_invitee(session: Session, code: str) -> Invitee:
    person = person_by_code(session, code, field="--trainer")
    display = f"{person.name} {person.name_en}" if person.name_en else person.name
    return Invitee(name=person.name, display=display, email=person.email or None, role="cancelled")


def load_session_events(session: Session, selection: Selection) -> list[SessionEvent]:
    """The selected sessions, ordered by first day; an unknown trainer or project code is a ``NotFoundError``."""
    conditions: list[Any] = []
    taken_off: dict[int, int] = {}  # a trainer's sessions they were taken off: session id → the CANCEL's sequence
    if selection.trainer_code:
        person = person_by_code(session, selection.trainer_code, field="--trainer")
        taught = select(SessionTrainer.session_id).where(SessionTrainer.person_id == person.id)
        for session_id, sequence in session.exec(
            select(CalendarCancellation.session_id, CalendarCancellation.sequence)
            .where(CalendarCancellation.person_id == person.id, col(CalendarCancellation.session_id).not_in(taught))
            .order_by(col(CalendarCancellation.sequence))
        ):
            taken_off[session_id] = sequence
        conditions.append(or_(col(TrainingSession.id).in_(taught), col(TrainingSession.id).in_(list(taken_off))))
    if selection.project_code:
        project = project_by_code(session, selection.project_code, field="--project")
        conditions.append(TrainingSession.project_id == project.id)

    # Plain columns rather than ORM objects: building 10,000s of instances costs more than the queries.
    sessions = session.execute(
        select_columns(
            col(TrainingSession.id),
            col(TrainingSession.uid),
            col(TrainingSession.code),
            col(TrainingSession.sequence),
            col(TrainingSession.status),
            col(TrainingSession.updated_at),
            col(TrainingSession.course_version_id),
            col(TrainingSession.place),
            col(TrainingSession.city),
            col(TrainingSession.project_id),
            col(TrainingSession.obligation_id),
            col(TrainingSession.first_day),
        )
        .where(*conditions)
        .order_by(col(TrainingSession.first_day), col(TrainingSession.code))
    ).all()
    if not sessions:
        return []
    # Related rows are fetched with the same filter as a subquery: no giant IN lists, a handful of queries in all.
    selected_ids = select(TrainingSession.id).where(*conditions)

    days: dict[int, list[SessionDayTimes]] = defaultdict(list)
    for session_id, day, start, end in session.execute(
        select_columns(
            col(SessionDay.session_id), col(SessionDay.day), col(SessionDay.start_time), col(SessionDay.end_time)
        )
        .where(col(SessionDay.session_id).in_(selected_ids))
        .order_by(col(SessionDay.session_id), col(SessionDay.day))
    ):
        days[session_id].append(SessionDayTimes(day, start, end))

    trainers: dict[int, list[Invitee]] = defaultdict(list)
    for session_id, role, name, name_en, email in session.execute(
        select_columns(
            col(SessionTrainer.session_id),
            col(SessionTrainer.role),
            col(Person.name),
            col(Person.name_en),
            col(Person.email),
        )
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(col(SessionTrainer.session_id).in_(selected_ids))
        .order_by(col(SessionTrainer.session_id), col(SessionTrainer.id))
    ):
        display = f"{name} {name_en}" if name_en else name
        trainers[session_id].append(Invitee(name=name, display=display, email=email or None, role=role))

    titles = {
        version_id: (title_zh, title_en)
        for version_id, title_zh, title_en in session.exec(
            select(CourseVersion.id, Course.title_zh, Course.title_en)
            .join(Course, col(Course.id) == CourseVersion.course_id)
            .where(col(CourseVersion.id).in_(select(TrainingSession.course_version_id).where(*conditions)))
        )
    }
    projects = dict(
        session.exec(
            select(Project.id, Project.code).where(
                col(Project.id).in_(select(TrainingSession.project_id).where(*conditions))
            )
        ).all()
    )
    obligations = dict(
        session.exec(
            select(Obligation.id, Obligation.code).where(
                col(Obligation.id).in_(select(TrainingSession.obligation_id).where(*conditions))
            )
        ).all()
    )

    events = []
    for (
        session_id,
        uid,
        code,
        sequence,
        status,
        updated_at,
        version_id,
        place,
        city,
        project_id,
        obligation_id,
        first_day,
    ) in sessions:
        session_days = days.get(session_id) or [SessionDayTimes(first_day, dt.time(9, 0), dt.time(17, 0))]
        invited = tuple(trainers.get(session_id, ()))
        if session_id in taken_off:  # the trainer's copy of the session is withdrawn: a CANCEL to them alone
            status, sequence = SessionStatus.cancelled, max(sequence, taken_off[session_id])
            invited = (taken_off_invitee(session, selection.trainer_code or ""),)
        title_zh, title_en = titles.get(version_id, ("", ""))
        events.append(
            SessionEvent(
                uid=uid,
                code=code,
                sequence=sequence,
                status=status,
                updated_at=updated_at,
                title_zh=title_zh,
                title_en=title_en,
                place=place,
                city=city,
                project_code=projects.get(project_id) if project_id else None,
                obligation_code=obligations.get(obligation_id) if obligation_id else None,
                days=tuple(session_days),
                trainers=invited,
            )
        )
    return events
