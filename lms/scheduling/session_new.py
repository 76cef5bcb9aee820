"""Sessions made from the command line: a new session for an obligation, and a copy of one on another start date.

Both name everything by its code, check each code, and leave the session ``planned``; the days are the start date and
the working days after it, as in the session editor (:func:`lms.scheduling.session_forms.draft_days`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.master_data.rooms import checked_capacity
from lms.models import (
    CourseVersion,
    Obligation,
    Organisation,
    Person,
    Room,
    SessionDay,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import course_by_code, find_by_code, person_by_code, project_by_code, same_code
from lms.scheduling.roster_files import CODE_PATTERN
from lms.scheduling.session_forms import MAX_DAYS, draft_days
from lms.scheduling.sessions import create_session


@dataclass(frozen=True)
class NewSession:
    """What ``lms sessions new`` asks for, as typed."""

    project: str
    obligation: str
    start: dt.date
    days: int
    trainers: Sequence[str]
    course: str | None = None
    room: str | None = None
    site: str | None = None
    city: str | None = None
    capacity: int | None = None
    hours_per_day: float = 6.0
    code: str | None = None  # drawn at random when not given


def _days(calendar: WorkdayCalendar, start: dt.date, count: int) -> list[dt.date]:
    if not 1 <= count <= MAX_DAYS:
        raise LmsError(_("from 1 to {limit} working days").format(limit=MAX_DAYS), field="--days")
    try:
        return draft_days(calendar, start, count)
    except CalendarCoverageError as error:
        raise LmsError(str(error), field="--start") from None


def _trainers(session: Session, codes: Sequence[str]) -> list[tuple[Person, str]]:
    """People in the order given: the first leads, manufacturer engineers co-teach, the rest assist."""
    if not codes:
        raise LmsError(_("choose at least one trainer"), field="--trainer")
    chosen = []
    for position, code in enumerate(codes):
        person = person_by_code(session, code, field="--trainer")
        organisation = session.get(Organisation, person.organisation_id)
        kind = organisation.kind if organisation else ""
        role = "manufacturer" if kind == "manufacturer" else "lead" if position == 0 else "assistant"
        chosen.append((person, role))
    return chosen


def _course_version(session: Session, obligation: Obligation, code: str | None) -> CourseVersion:
    named = list(obligation.course_codes or [])
    if code is None:
        if len(named) != 1:
            raise LmsError(_("name the course with --course (the obligation names {count})").format(count=len(named)))
        code = named[0]
    course = course_by_code(session, code)
    version = session.exec(
        select(CourseVersion).where(CourseVersion.course_id == course.id).order_by(col(CourseVersion.version).desc())
    ).first()
    if version is None:
        raise LmsError(_("course {code} has no imported version").format(code=code), field="--course")
    return version


def new_session(session: Session, calendar: WorkdayCalendar, wanted: NewSession, *, pm: Any = None) -> TrainingSession:
    """A planned session serving one obligation of a project, in a room or at a site. The caller commits."""
    if wanted.capacity is not None:
        checked_capacity(wanted.capacity, "--capacity")  # the bound of a room's places, named as typed here
    project = project_by_code(session, wanted.project, field="--project")
    obligation = session.exec(
        select(Obligation).where(Obligation.project_id == project.id, same_code(Obligation.code, wanted.obligation))
    ).first()
    if obligation is None:
        raise NotFoundError(
            _("project {project} has no obligation {code}").format(project=project.code, code=wanted.obligation),
            field="--obligation",
        )
    if wanted.code and not CODE_PATTERN.match(wanted.code):
        raise LmsError(
            _("{code!r} is not a code: letters, digits, '.', '_' or '-'").format(code=wanted.code), field="--code"
        )
    if wanted.code and find_by_code(session, TrainingSession, wanted.code) is not None:
        raise LmsError(_("a session with code {code} already exists").format(code=wanted.code), field="--code")
    room = None
    if wanted.room:
        room = find_by_code(session, Room, wanted.room)
        if room is None:
            raise NotFoundError(_("no room has the code {code}").format(code=wanted.room), field="--room")
    elif obligation.mode != "online" and not (wanted.site or project.site):
        raise LmsError(_("where: a room (--room) or the place at the buyer's site (--site)"), field="--site")
    training = create_session(
        session,
        course_version=_course_version(session, obligation, wanted.course),
        days=_days(calendar, wanted.start, wanted.days),
        mode=obligation.mode,
        place=room.name if room else (wanted.site or project.site or _("online")),
        city=room.city if room else (wanted.city or project.city),
        trainers=_trainers(session, wanted.trainers),
        room=room,
        project_id=project.id,
        obligation_id=obligation.id,
        capacity=wanted.capacity,
        hours_per_day=wanted.hours_per_day,
        code=wanted.code,
        pm=pm,
    )
    audit.record(
        session, action="session.create", entity="session", key=training.code, before=None, after=summary(training)
    )
    return training


def duplicate_session(
    session: Session, calendar: WorkdayCalendar, source: TrainingSession, start: dt.date, *, pm: Any = None
) -> TrainingSession:
    """The same course, obligation, place, trainers, hours and number of days from ``start``; no roster, no
    attendance. The copy is planned."""
    days = session.exec(
        select(SessionDay).where(SessionDay.session_id == source.id).order_by(col(SessionDay.day))
    ).all()
    trainers = session.exec(
        select(Person, SessionTrainer.role)
        .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
        .where(SessionTrainer.session_id == source.id)
        .order_by(col(SessionTrainer.id))
    ).all()
    room = session.get(Room, source.room_id) if source.room_id else None
    version = session.get(CourseVersion, source.course_version_id)
    assert version is not None  # a foreign key
    training = create_session(
        session,
        course_version=version,
        days=_days(calendar, start, len(days)),
        mode=source.mode,
        place=source.place,
        city=source.city,
        trainers=list(trainers),
        room=room,
        project_id=source.project_id,
        obligation_id=source.obligation_id,
        capacity=source.capacity,
        hours_per_day=days[0].hours if days else 6.0,
        pm=pm,
    )
    audit.record(
        session,
        action="session.duplicate",
        entity="session",
        key=training.code,
        before=None,
        after=summary(training) | {"copied_from": source.code},
    )
    return training


def summary(training: TrainingSession) -> dict[str, Any]:
    return {
        "code": training.code,
        "status": training.status,
        "first_day": training.first_day.isoformat(),
        "last_day": training.last_day.isoformat(),
        "place": training.place,
    }
