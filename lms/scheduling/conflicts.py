# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload,assignment"
"""Conflicts in the schedule, found with set-based SQL (no pairwise loops): trainers or rooms double-booked,
rosters larger than rooms, trainers without a valid skill, sessions on non-working days or outside their window,
the trainer mix a clause asks for, and a trainer in two cities on one day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session, col

from lms.calendars.dates import working_today
from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar, provisional_mark, provisional_years
from lms.credentials.qualification import course_grants, lapses_in, records_of
from lms.db import chunks
from lms.i18n import _
from lms.models import (
    Obligation,
    Person,
    Room,
    RosterEntry,
    SessionDay,
    TrainingSession,
)
from lms.scheduling.conflict_scan import (
    DriverDays,
    QualifiedSpans,
    course_of_versions,
    overlapping,
    room_scan,
    trainer_scan,
)

if TYPE_CHECKING:  # the obligation checks are imported when first run, as in obligation_conflicts
    from lms.projects.periods import PeriodStatus
    from lms.projects.session_facts import ServingSession

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
        # Shallow (the fields are plain values): dataclasses.asdict deep-copies, 0.1 s on 2,500 conflicts.
        return {field.name: getattr(self, field.name) for field in fields(self)}


# Labels are looked up per conflict shown: one translation each, not the whole table (2,500 conflicts: 0.3 s).
KIND_LABELS: dict[str, Callable[[], str]] = {
    "trainer_double_booked": lambda: _("trainer double-booked"),
    "room_double_booked": lambda: _("room double-booked"),
    "over_capacity": lambda: _("roster larger than capacity"),
    "trainer_unqualified": lambda: _("trainer without a valid skill"),
    "non_working_day": lambda: _("session on a non-working day"),
    "outside_window": lambda: _("session outside its obligation window"),
    "trainer_mix": lambda: _("required trainer mix not met"),
    "two_cities": lambda: _("trainer in two cities on one day"),
    "calendar_unknown": lambda: _("session in a year the calendar does not know"),
    "provisional_calendar": lambda: _("provisional calendar"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return label() if label else kind


def _active(from_day: dt.date | None) -> Any:
    condition = col(TrainingSession.status).in_(ACTIVE)
    if from_day is not None:
        condition = and_(condition, TrainingSession.last_day >= from_day)
    return condition


def _by_id(session: Session, id_column: Any, *columns: Any, ids: Iterable[int]) -> dict[int, Any]:
    """Rows of ``columns`` by their id, for any number of ids (a schedule can flag 100,000 sessions; one ``IN``
    may bind only so many values)."""
    found: dict[int, Any] = {}
    for part in chunks(sorted(set(ids))):
        found.update(
            (row[0], row) for row in session.execute(select(id_column, *columns).where(col(id_column).in_(part)))
        )
    return found


def _shared_days(session: Session, involved: dict[Any, set[int]]) -> list[tuple[Any, dt.date, list[int]]]:
    """(resource, day, sessions) for every day on which two or more of a resource's sessions meet."""
    ids = sorted({session_id for group in involved.values() for session_id in group})
    days_of: dict[int, list[dt.date]] = {}
    for part in chunks(ids):
        for session_id, day in session.execute(
            select(SessionDay.session_id, SessionDay.day).where(col(SessionDay.session_id).in_(part))
        ):
            days_of.setdefault(session_id, []).append(day)
    shared: list[tuple[Any, dt.date, list[int]]] = []
    for resource_id, group in involved.items():
        by_day: dict[dt.date, list[int]] = {}
        for session_id in group:
            for day in days_of.get(session_id, []):
                by_day.setdefault(day, []).append(session_id)
        shared.extend((resource_id, day, sorted(ids_)) for day, ids_ in sorted(by_day.items()) if len(ids_) > 1)
    return shared


def double_bookings(
    session: Session, from_day: dt.date | None = None, trainer_rows: list[tuple[Any, ...]] | None = None
) -> list[Conflict]:
    """Trainers and rooms with more than one active session on the same day (multi-day sessions by their days),
    and trainers due in two cities on one day. ``trainer_rows``: the trainer scan, when the caller already has it."""
    found: list[Conflict] = []
    if trainer_rows is None:
        trainer_rows = trainer_scan(session, _active(from_day))
    trainer_overlaps = overlapping(trainer_rows)
    room_overlaps = overlapping(room_scan(session, _active(from_day)))
    trainer_days = _shared_days(session, trainer_overlaps)
    room_days = _shared_days(session, room_overlaps)
    ids = {i for _r, _d, group in trainer_days + room_days for i in group}
    sessions = _by_id(session, TrainingSession.id, TrainingSession.code, TrainingSession.city, ids=ids)
    people = _by_id(session, Person.id, Person.code, Person.name, ids=trainer_overlaps)
    rooms = _by_id(session, Room.id, Room.code, Room.name, ids=room_overlaps)
    for person_id, day, group in trainer_days:
        person = people[person_id]
        codes = tuple(sorted(sessions[i].code for i in group))
        found.append(
            Conflict(
                "trainer_double_booked",
                codes,
                day,
                person.code,
                _("{name} ({code}) teaches {sessions} on {day}").format(
                    name=person.name, code=person.code, sessions=", ".join(codes), day=day
                ),
            )
        )
        cities = {sessions[i].city for i in group}
        if len(cities) > 1:
            found.append(
                Conflict(
                    "two_cities",
                    codes,
                    day,
                    person.code,
                    _("{name} ({code}) is due in {cities} cities on {day}").format(
                        name=person.name, code=person.code, cities=len(cities), day=day
                    ),
                )
            )
    for room_id, day, group in room_days:
        room = rooms[room_id]
        codes = tuple(sorted(sessions[i].code for i in group))
        found.append(
            Conflict(
                "room_double_booked",
                codes,
                day,
                room.code,
                _("room {name} holds {sessions} on {day}").format(name=room.name, sessions=", ".join(codes), day=day),
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


def unqualified_trainers(
    session: Session, from_day: dt.date | None = None, trainer_rows: list[tuple[Any, ...]] | None = None
) -> list[Conflict]:
    """Trainers who are not qualified (:mod:`lms.credentials.qualification`: every skill the course grants, every
    day of the session). Manufacturer engineers are exempt. The days each trainer holds every skill of a course are
    worked out once per trainer and course, so each session is one look-up; the rule itself words the lapse."""
    if trainer_rows is None:
        trainer_rows = trainer_scan(session, _active(from_day))
    taught = [row for row in trainer_rows if row[4] != "manufacturer"]
    if not taught:
        return []
    course_of = course_of_versions(session, {row[5] for row in taught})
    grants = course_grants(session, set(course_of.values()))
    records = records_of(session, {row[0] for row in taught}, {s for skills in grants.values() for s in skills})
    spans = QualifiedSpans(records, grants, DriverDays(taught[0][2]))
    flagged = [
        (person_id, session_id, course_of[version_id])
        for person_id, session_id, first, last, _role, version_id in taught
        if not spans.covers(person_id, course_of[version_id], first, last)
    ]
    sessions = {
        key: row[1:]
        for key, row in _by_id(
            session,
            TrainingSession.id,
            TrainingSession.code,
            TrainingSession.first_day,
            TrainingSession.last_day,
            ids=(session_id for _p, session_id, _c in flagged),
        ).items()
    }
    people = {
        key: row[1:]
        for key, row in _by_id(session, Person.id, Person.code, Person.name, ids=(p for p, _s, _c in flagged)).items()
    }
    found = []
    for person_id, session_id, course_id in flagged:
        (code, first, last), (person, name) = sessions[session_id], people[person_id]
        lapses = lapses_in(records.get(person_id, []), grants.get(course_id, {}), first, last)
        if lapses:
            found.append(
                Conflict(
                    "trainer_unqualified",
                    (code,),
                    first,
                    person,
                    _("{name} ({person}) is not qualified for {code}: {lapses}").format(
                        name=name, person=person, code=code, lapses="; ".join(lapse.describe() for lapse in lapses)
                    ),
                )
            )
    return sorted(found, key=lambda conflict: (conflict.day, conflict.sessions, conflict.subject))


def non_working_days(session: Session, calendar: WorkdayCalendar, from_day: dt.date | None = None) -> list[Conflict]:
    """Session days that fall on a day off: the calendar lists the days off in the span, SQL finds the sessions.
    The span is that of all session days (two index look-ups); days off outside the active sessions find nothing."""
    span = session.execute(select(func.min(SessionDay.day), func.max(SessionDay.day))).one()
    if span[0] is None:
        return []
    days_off = []
    day = span[0]
    while day <= span[1]:
        try:
            if not calendar.is_working_day(day):
                days_off.append(day)
        except CalendarCoverageError:
            pass  # a year the calendar does not know: nothing can be said about it here
        day += dt.timedelta(days=1)
    found: list[Conflict] = []
    estimated = provisional_years(calendar)
    for part in chunks(days_off):
        rows = session.execute(
            select(TrainingSession.code, SessionDay.day)
            .join(TrainingSession, col(TrainingSession.id) == SessionDay.session_id)
            .where(_active(from_day), col(SessionDay.day).in_(part))
        ).all()
        found.extend(
            Conflict(
                "non_working_day",
                (code,),
                day,
                code,
                _("{code} meets on {day}, which is not a working day").format(code=code, day=day)
                + (f" ({provisional_mark()})" if day.year in estimated else ""),
            )
            for code, day in rows
        )
    return sorted(found, key=lambda conflict: (conflict.day, conflict.subject))


def calendar_year_conflicts(
    session: Session, calendar: WorkdayCalendar, from_day: dt.date | None = None
) -> list[Conflict]:
    """Sessions in a year the calendar does not know (nothing can be checked there), and sessions planned on a
    provisional year (statutory holidays only, until the State Council's notice is imported)."""
    covered, estimated = set(calendar.covered_years()), provisional_years(calendar)
    span = session.execute(select(func.min(TrainingSession.first_day), func.max(TrainingSession.last_day))).one()
    if span[0] is None:
        return []
    # Only sessions that touch a year to report on are read (two index look-ups give the span of all sessions).
    years = [year for year in range(span[0].year, span[1].year + 1) if year not in covered or year in estimated]
    if not years:
        return []
    touching = or_(
        *(
            and_(TrainingSession.first_day <= dt.date(year, 12, 31), TrainingSession.last_day >= dt.date(year, 1, 1))
            for year in years
        )
    )
    rows = session.execute(
        select(TrainingSession.code, TrainingSession.first_day, TrainingSession.last_day)
        .where(_active(from_day), touching)
        .order_by(col(TrainingSession.first_day), col(TrainingSession.code))
    ).all()
    found = []
    for code, first, last in rows:
        years = range(first.year, last.year + 1)
        unknown = [year for year in years if year not in covered]
        if unknown:
            message = _("{code} meets in {year}, which the working-day calendar {calendar} does not cover").format(
                code=code, year=unknown[0], calendar=calendar.code
            )
            found.append(Conflict("calendar_unknown", (code,), first, code, message))
        elif any(year in estimated for year in years):
            year = next(year for year in years if year in estimated)
            message = _("{code} is planned on the {year} calendar before its holiday notice ({mark})").format(
                code=code, year=year, mark=provisional_mark()
            )
            found.append(Conflict("provisional_calendar", (code,), first, code, message))
    return found


def obligation_conflicts(session: Session, calendar: WorkdayCalendar, today: dt.date) -> list[Conflict]:
    """Active sessions outside their obligation's window, or without the trainer mix the clause asks for."""
    from lms.projects.obligations import Known, obligation_status

    found = []
    obligations = session.scalars(
        select(Obligation).where(
            col(Obligation.id).in_(select(TrainingSession.obligation_id).where(col(TrainingSession.status).in_(ACTIVE)))
        )
    ).all()
    known = Known.load(session, obligations)  # what every obligation's check reads, asked once for all of them
    for obligation in obligations:
        statuses = obligation_status(session, obligation, calendar, today, known)
        found.extend(in_no_window_conflicts(obligation, statuses, known.serving.get(obligation.id or 0, [])))
        for period in statuses:
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


def in_no_window_conflicts(
    obligation: Obligation, statuses: list[PeriodStatus], serving: list[ServingSession]
) -> list[Conflict]:
    """Active sessions that no period took as a candidate: a cadence clause's session before its first window,
    between two or after the last (a ``once`` clause checks every session against its one window)."""
    from lms.projects.periods import Period
    from lms.projects.session_checks import in_no_window

    checked = {check.code for status in statuses for check in status.sessions}
    windows = [
        Period(status.period, status.window_start, status.window_end)
        for status in statuses
        if status.window_start is not None and status.window_end is not None
    ]
    found = []
    for training in serving:
        if training.status not in ACTIVE or training.code in checked:
            continue
        problem = in_no_window(training.first_day, windows)
        if problem is not None and statuses:
            subject = f"{statuses[0].project}/{obligation.code}"
            found.append(
                Conflict("outside_window", (training.code,), training.first_day, subject, f"{training.code}: {problem}")
            )
    return found


def find_conflicts(session: Session, calendar: WorkdayCalendar, today: dt.date | None = None) -> list[Conflict]:
    """Every conflict among planned and confirmed sessions (from ``today`` on, when given)."""
    trainer_rows = trainer_scan(session, _active(today))
    conflicts = [
        *double_bookings(session, today, trainer_rows),
        *over_capacity(session, today),
        *unqualified_trainers(session, today, trainer_rows),
        *non_working_days(session, calendar, today),
        *calendar_year_conflicts(session, calendar, today),
        *obligation_conflicts(session, calendar, today or working_today()),
    ]
    return sorted(conflicts, key=lambda c: (c.day or dt.date.min, c.kind, c.sessions))
