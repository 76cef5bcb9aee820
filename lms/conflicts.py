# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload,assignment"
"""Conflicts in the schedule, found with set-based SQL (no pairwise loops): trainers or rooms double-booked,
rosters larger than rooms, trainers without a valid skill, sessions on non-working days or outside their window,
the trainer mix a clause asks for, and a trainer in two cities on one day."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, distinct, func, or_, select
from sqlmodel import Session, col

from lms.i18n import _
from lms.models import (
    CourseSkillGrant,
    Obligation,
    Person,
    Room,
    RosterEntry,
    SessionDay,
    SessionTrainer,
    SkillRecord,
    TrainingSession,
)
from lms.workdays import CalendarCoverageError, WorkdayCalendar

ACTIVE = ("planned", "confirmed")
CONFLICT_KINDS = {"window": "outside_window", "trainer_mix": "trainer_mix"}


@dataclass(frozen=True)
class Conflict:
    kind: str
    sessions: tuple[str, ...]
    day: dt.date | None
    subject: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def kind_label(kind: str) -> str:
    return {
        "trainer_double_booked": _("trainer double-booked"),
        "room_double_booked": _("room double-booked"),
        "over_capacity": _("roster larger than capacity"),
        "trainer_unqualified": _("trainer without a valid skill"),
        "non_working_day": _("session on a non-working day"),
        "outside_window": _("session outside its obligation window"),
        "trainer_mix": _("required trainer mix not met"),
        "two_cities": _("trainer in two cities on one day"),
    }.get(kind, kind)


def _active(from_day: dt.date | None) -> Any:
    condition = col(TrainingSession.status).in_(ACTIVE)
    if from_day is not None:
        condition = and_(condition, TrainingSession.last_day >= from_day)
    return condition


def double_bookings(session: Session, from_day: dt.date | None = None) -> list[Conflict]:
    """Trainers and rooms with more than one active session on the same day (multi-day sessions by their days)."""
    found: list[Conflict] = []
    sessions_of = func.group_concat(distinct(TrainingSession.code))
    if session.get_bind().dialect.name == "postgresql":
        sessions_of = func.string_agg(distinct(TrainingSession.code), ",")
    trainer_rows = session.execute(
        select(Person.code, Person.name, SessionDay.day, sessions_of, func.count(distinct(TrainingSession.city)))
        .select_from(SessionDay)
        .join(TrainingSession, col(TrainingSession.id) == SessionDay.session_id)
        .join(SessionTrainer, col(SessionTrainer.session_id) == SessionDay.session_id)
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(_active(from_day))
        .group_by(col(Person.code), col(Person.name), col(SessionDay.day))
        .having(func.count(distinct(SessionDay.session_id)) > 1)
        .order_by(col(SessionDay.day))
    ).all()
    for code, name, day, codes, cities in trainer_rows:
        sessions = tuple(sorted(str(codes).split(",")))
        found.append(
            Conflict(
                "trainer_double_booked",
                sessions,
                day,
                code,
                _("{name} ({code}) teaches {sessions} on {day}").format(
                    name=name, code=code, sessions=", ".join(sessions), day=day
                ),
            )
        )
        if cities > 1:
            found.append(
                Conflict(
                    "two_cities",
                    sessions,
                    day,
                    code,
                    _("{name} ({code}) is due in {cities} cities on {day}").format(
                        name=name, code=code, cities=cities, day=day
                    ),
                )
            )
    room_rows = session.execute(
        select(Room.code, Room.name, SessionDay.day, sessions_of)
        .select_from(SessionDay)
        .join(TrainingSession, col(TrainingSession.id) == SessionDay.session_id)
        .join(Room, col(Room.id) == TrainingSession.room_id)
        .where(_active(from_day))
        .group_by(col(Room.code), col(Room.name), col(SessionDay.day))
        .having(func.count(distinct(SessionDay.session_id)) > 1)
        .order_by(col(SessionDay.day))
    ).all()
    for code, name, day, codes in room_rows:
        sessions = tuple(sorted(str(codes).split(",")))
        found.append(
            Conflict(
                "room_double_booked",
                sessions,
                day,
                code,
                _("room {name} holds {sessions} on {day}").format(name=name, sessions=", ".join(sessions), day=day),
            )
        )
    return found


def over_capacity(session: Session, from_day: dt.date | None = None) -> list[Conflict]:
    rostered = func.count(RosterEntry.id)
    capacity = func.coalesce(Room.capacity, TrainingSession.capacity)
    rows = session.execute(
        select(TrainingSession.code, TrainingSession.first_day, rostered, capacity)
        .select_from(TrainingSession)
        .join(RosterEntry, col(RosterEntry.session_id) == TrainingSession.id)
        .outerjoin(Room, col(Room.id) == TrainingSession.room_id)
        .where(_active(from_day))
        .group_by(
            col(TrainingSession.code), col(TrainingSession.first_day), col(Room.capacity), col(TrainingSession.capacity)
        )
        .having(rostered > capacity)
    ).all()
    return [
        Conflict(
            "over_capacity",
            (code,),
            day,
            code,
            _("{code}: {count} on the roster, room for {capacity}").format(code=code, count=count, capacity=cap),
        )
        for code, day, count, cap in rows
    ]


def unqualified_trainers(session: Session, from_day: dt.date | None = None) -> list[Conflict]:
    """A trainer needs a skill the course grants, valid over the whole session (manufacturer engineers exempt)."""
    valid_skill = (
        select(SkillRecord.id)
        .join(CourseSkillGrant, col(CourseSkillGrant.skill_id) == SkillRecord.skill_id)
        .where(
            SkillRecord.person_id == SessionTrainer.person_id,
            CourseSkillGrant.course_version_id == TrainingSession.course_version_id,
            SkillRecord.valid_from <= TrainingSession.first_day,
            or_(col(SkillRecord.valid_until).is_(None), col(SkillRecord.valid_until) >= TrainingSession.last_day),
        )
        .exists()
    )
    rows = session.execute(
        select(TrainingSession.code, TrainingSession.first_day, Person.code, Person.name)
        .select_from(SessionTrainer)
        .join(TrainingSession, col(TrainingSession.id) == SessionTrainer.session_id)
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(_active(from_day), SessionTrainer.role != "manufacturer", ~valid_skill)
        .order_by(col(TrainingSession.first_day))
    ).all()
    return [
        Conflict(
            "trainer_unqualified",
            (code,),
            day,
            person,
            _("{name} ({person}) holds no valid skill for the course of {code}").format(
                name=name, person=person, code=code
            ),
        )
        for code, day, person, name in rows
    ]


def non_working_days(session: Session, calendar: WorkdayCalendar, from_day: dt.date | None = None) -> list[Conflict]:
    rows = session.execute(
        select(TrainingSession.code, SessionDay.day)
        .join(TrainingSession, col(TrainingSession.id) == SessionDay.session_id)
        .where(_active(from_day))
        .order_by(col(SessionDay.day))
    ).all()
    found = []
    verdicts: dict[dt.date, bool | None] = {}
    for code, day in rows:
        if day not in verdicts:
            try:
                verdicts[day] = calendar.is_working_day(day)
            except CalendarCoverageError:
                verdicts[day] = None
        if verdicts[day] is False:
            found.append(
                Conflict(
                    "non_working_day",
                    (code,),
                    day,
                    code,
                    _("{code} meets on {day}, which is not a working day").format(code=code, day=day),
                )
            )
    return found


def obligation_conflicts(session: Session, calendar: WorkdayCalendar, today: dt.date) -> list[Conflict]:
    """Active sessions outside their obligation's window, or without the trainer mix the clause asks for."""
    from lms.obligations import obligation_status

    found = []
    obligations = session.scalars(
        select(Obligation).where(
            col(Obligation.id).in_(select(TrainingSession.obligation_id).where(col(TrainingSession.status).in_(ACTIVE)))
        )
    ).all()
    for obligation in obligations:
        for period in obligation_status(session, obligation, calendar, today):
            for check in period.sessions:
                if check.status not in ACTIVE:
                    continue
                for kind, problem in zip(check.problem_kinds, check.problems, strict=True):
                    if kind in CONFLICT_KINDS:
                        found.append(
                            Conflict(
                                CONFLICT_KINDS[kind],
                                (check.code,),
                                check.first_day,
                                f"{period.project}/{obligation.code}",
                                f"{check.code}: {problem}",
                            )
                        )
    return found


def find_conflicts(session: Session, calendar: WorkdayCalendar, today: dt.date | None = None) -> list[Conflict]:
    """Every conflict among planned and confirmed sessions (from ``today`` on, when given)."""
    today_or_all = today
    conflicts = [
        *double_bookings(session, today_or_all),
        *over_capacity(session, today_or_all),
        *unqualified_trainers(session, today_or_all),
        *non_working_days(session, calendar, today_or_all),
        *obligation_conflicts(session, calendar, today or dt.date.today()),
    ]
    return sorted(conflicts, key=lambda c: (c.day or dt.date.min, c.kind, c.sessions))
