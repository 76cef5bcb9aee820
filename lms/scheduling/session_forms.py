"""A session as a form fills it in: checked field by field, tried against the schedule for conflicts without being
kept, then created or applied to an existing session through :mod:`lms.scheduling.sessions`.

Days are the first day and the working days after it, so a run of three days skips a weekend or a holiday; a first
day that is itself not a working day stays in and shows up as a conflict. A year the calendar does not know is a
problem on the first-day field, not an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session, col, select

from lms.access.edits import claim_version
from lms.calendars.dates import parse_date
from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar, working_days_after
from lms.errors import LmsError
from lms.i18n import _
from lms.master_data.rooms import checked_capacity
from lms.models import (
    Course,
    CourseVersion,
    Obligation,
    Organisation,
    Person,
    Project,
    Room,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import course_by_code, person_by_code, project_by_code, session_by_code
from lms.scheduling.conflicts import Conflict, find_conflicts
from lms.scheduling.sessions import create_session, move_session, record_change, session_days, set_trainers

MAX_DAYS = 30
MODES = ("on_site", "centralised", "online")


@dataclass
class SessionDraft:
    """What the form holds. Codes, not ids, so that it reads like the screen."""

    course: str | None = None
    project: str | None = None
    obligation: str | None = None
    period_label: str | None = None
    mode: str = "centralised"
    room: str | None = None
    place: str = ""
    city: str = ""
    first_day: str = ""
    day_count: str = "1"
    trainers: list[str] = field(default_factory=list)
    capacity: str = ""
    version: int | None = None  # the session's version when the form loaded it; a save from an older one is refused


@dataclass
class DraftCheck:
    days: list[dt.date] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # field name -> what is wrong with it
    conflicts: list[Conflict] = field(default_factory=list)


def form_choices(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Everything the form's lists offer: courses, projects with their obligations, rooms, trainers."""
    obligations: dict[int, list[dict[str, Any]]] = {}
    for obligation in session.exec(select(Obligation).order_by(col(Obligation.code))):
        obligations.setdefault(obligation.project_id, []).append(
            {"code": obligation.code, "clause_ref": obligation.clause_ref or "", "mode": obligation.mode}
        )
    return {
        "courses": [
            {"code": c.code, "title_zh": c.title_zh, "title_en": c.title_en}
            for c in session.exec(select(Course).order_by(col(Course.code)))
        ],
        "projects": [
            {"code": p.code, "name_zh": p.name_zh, "name_en": p.name_en, "site": p.site, "city": p.city}
            | {"obligations": obligations.get(p.id or 0, [])}
            for p in session.exec(select(Project).order_by(col(Project.code)))
        ],
        "rooms": [
            {"code": r.code, "name": r.name, "city": r.city, "capacity": r.capacity}
            for r in session.exec(select(Room).where(col(Room.retired_at).is_(None)).order_by(col(Room.code)))
        ],
        "trainers": [
            {"code": p.code, "name": p.name, "manufacturer": o.kind == "manufacturer", "lead": p.is_technical_lead}
            for p, o in session.exec(
                select(Person, Organisation)
                .join(Organisation, col(Organisation.id) == Person.organisation_id)
                .where(col(Person.kind).in_(("trainer", "engineer")), col(Person.retired_at).is_(None))
                .order_by(col(Person.code))
            )
        ],
    }


def draft_of(session: Session, code: str) -> SessionDraft:
    """An existing session as the form shows it."""
    training = session_by_code(session, code, field="session")
    version = session.get(CourseVersion, training.course_version_id)
    course = session.get(Course, version.course_id) if version else None
    project = session.get(Project, training.project_id) if training.project_id else None
    obligation = session.get(Obligation, training.obligation_id) if training.obligation_id else None
    room = session.get(Room, training.room_id) if training.room_id else None
    days = session_days(session, training)
    trainers = session.exec(
        select(Person.code)
        .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
        .where(SessionTrainer.session_id == training.id)
        .order_by(col(SessionTrainer.id))
    ).all()
    return SessionDraft(
        course=course.code if course else None,
        project=project.code if project else None,
        obligation=obligation.code if obligation else None,
        period_label=training.period_label,
        mode=training.mode,
        room=room.code if room else None,
        place=training.place,
        city=training.city,
        first_day=training.first_day.isoformat(),
        day_count=str(len(days)),
        trainers=list(trainers),
        capacity=str(training.capacity),
        version=training.version,
    )


def draft_days(calendar: WorkdayCalendar, first: dt.date, count: int) -> list[dt.date]:
    """The first day and the ``count - 1`` working days after it."""
    return [first] + [working_days_after(calendar, first, n) for n in range(1, count)]


def validate(calendar: WorkdayCalendar, draft: SessionDraft, *, new: bool) -> DraftCheck:
    """Field by field, what cannot be saved; and the days, when the dates allow."""
    check = DraftCheck()
    problems = check.problems
    if new and not draft.course:
        problems["course"] = _("choose a course")
    if new and draft.obligation and not draft.project:
        problems["obligation"] = _("an obligation belongs to a project: choose the project first")
    if draft.mode not in MODES:
        problems["mode"] = _("choose a mode")
    if not draft.room and draft.mode != "online":
        if not draft.place.strip():
            problems["place"] = _("where: a room, or the place at the buyer's site")
        if not draft.city.strip():
            problems["city"] = _("which city")
    if not draft.trainers:
        problems["trainers"] = _("choose at least one trainer")
    if draft.capacity.strip():
        try:
            checked_capacity(draft.capacity, "capacity")
        except LmsError as error:
            problems["capacity"] = error.message
    count = int(draft.day_count) if draft.day_count.strip().isdigit() else 0
    if not 1 <= count <= MAX_DAYS:
        problems["day_count"] = _("from 1 to {limit} working days").format(limit=MAX_DAYS)
    try:
        first = parse_date(draft.first_day, "first_day")
    except LmsError as error:
        problems["first_day"] = error.message
        return check
    if count:
        try:
            check.days = draft_days(calendar, first, count)
        except CalendarCoverageError as error:
            problems["first_day"] = str(error)
    return check


def _project_ids(session: Session, draft: SessionDraft) -> tuple[int | None, int | None]:
    if not draft.project:
        return None, None
    project = project_by_code(session, draft.project)
    obligation = None
    if draft.obligation:
        obligation = session.exec(
            select(Obligation).where(Obligation.project_id == project.id, Obligation.code == draft.obligation)
        ).one()
    return project.id, obligation.id if obligation else None


def _trainers(session: Session, draft: SessionDraft, roles: dict[str, str]) -> list[tuple[Person, str]]:
    """People in the order chosen; the first leads, manufacturer engineers co-teach, the rest assist."""
    chosen = []
    for position, code in enumerate(draft.trainers):
        person = person_by_code(session, code, field="trainers")
        organisation = session.get(Organisation, person.organisation_id)
        assert organisation is not None
        role = roles.get(code) or (
            "manufacturer" if organisation.kind == "manufacturer" else "lead" if position == 0 else "assistant"
        )
        chosen.append((person, role))
    return chosen


def apply_draft(
    session: Session,
    draft: SessionDraft,
    days: list[dt.date],
    *,
    code: str | None = None,
    pm: Any = None,
    drop_attendance: bool = False,
    trial: bool = False,
) -> TrainingSession:
    """Create the session, or bring an existing one (``code``) in line with the draft. The caller commits.

    An existing session is saved only from the version the form loaded (``draft.version``; :class:`StaleEdit`
    otherwise), and days with attendance are dropped only with ``drop_attendance``
    (:class:`~lms.scheduling.sessions.AttendanceOnDroppedDays` otherwise). A ``trial`` (rolled back by the caller)
    checks neither."""
    room = session.exec(select(Room).where(Room.code == draft.room)).one() if draft.room else None
    place = draft.place.strip() or (room.name if room else _("online"))
    city = draft.city.strip() or (room.city if room else "")
    capacity = int(draft.capacity) if draft.capacity.strip().isdigit() else None
    if code is None:
        course = course_by_code(session, draft.course or "", field="course")
        version = session.exec(
            select(CourseVersion)
            .where(CourseVersion.course_id == course.id)
            .order_by(col(CourseVersion.version).desc())
        ).first()
        if version is None:
            raise LmsError(_("course {code} has no imported version").format(code=course.code), field="course")
        project_id, obligation_id = _project_ids(session, draft)
        return create_session(
            session,
            course_version=version,
            days=days,
            mode=draft.mode,
            place=place,
            city=city,
            trainers=_trainers(session, draft, {}),
            room=room,
            project_id=project_id,
            obligation_id=obligation_id,
            period_label=draft.period_label,
            capacity=capacity,
            pm=pm,
        )
    training = session_by_code(session, code, field="session")
    if not trial:
        claim_version(session, training, draft.version, what=_("session {code}").format(code=training.code))
    if [d.day for d in session_days(session, training)] != days:
        move_session(session, training, days, pm, drop_attendance=drop_attendance or trial)
    roles = dict(
        session.exec(
            select(Person.code, SessionTrainer.role)
            .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
            .where(SessionTrainer.session_id == training.id)
        ).all()
    )
    if set(roles) != set(draft.trainers):
        set_trainers(session, training, _trainers(session, draft, roles), pm)
    details = {"mode": draft.mode, "room_id": room.id if room else None, "place": place, "city": city}
    details |= {"capacity": capacity or training.capacity}
    if any(getattr(training, name) != value for name, value in details.items()):
        for name, value in details.items():
            setattr(training, name, value)
        record_change(session, training, "edited", pm)
    return training


def check_draft(
    session: Session, calendar: WorkdayCalendar, today: dt.date, draft: SessionDraft, *, code: str | None = None
) -> DraftCheck:
    """Validate, then try the draft in the database and list the conflicts it would be part of. The change is
    rolled back: ``session`` must not hold anything else uncommitted."""
    check = validate(calendar, draft, new=code is None)
    if check.problems or not check.days:
        return check
    try:
        training = apply_draft(session, draft, check.days, code=code, trial=True)
        since = min(today, check.days[0])
        found = [c for c in find_conflicts(session, calendar, since) if training.code in c.sessions]
        if code is None:  # the code drawn for the trial is not the one the session will get: say "this session"
            this = _("this session")
            found = [
                replace(
                    c,
                    sessions=tuple(this if s == training.code else s for s in c.sessions),
                    message=c.message.replace(training.code, this),
                )
                for c in found
            ]
        check.conflicts = found
    finally:
        session.rollback()
    return check
