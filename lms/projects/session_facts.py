"""What checking sessions against clauses needs to know of them, loaded for many sessions in a few queries.

Checking one session used to ask the database a dozen questions (its days, room, course, trainers, attendance per
day, roster, attempts, certificates, scans); over a vendor's history that is tens of thousands of round trips.
Here each question is asked once for a whole set of sessions (in chunks of ids), and the checks read the answers.
The rows are read as plain rows (ORM rows cost more than the query), the sessions as columns (``ServingSession``),
and who attended, passed or holds a certificate only when a clause asks (``SessionFacts.people``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from sqlalchemy import and_, func, outerjoin
from sqlmodel import Session, col, select

from lms.credentials.eligibility import attended_as_required, share_of_rule
from lms.db import chunks, plain_rows
from lms.models import (
    Attachment,
    Attempt,
    Attendance,
    Certificate,
    Course,
    CourseModule,
    CourseVersion,
    Organisation,
    Person,
    Room,
    RosterEntry,
    SessionDay,
    SessionTrainer,
    TrainingSession,
)


class Scheduled(Protocol):
    """What the clause checks read of a session: a ``TrainingSession`` or a ``ServingSession`` row."""

    @property
    def id(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def first_day(self) -> dt.date: ...
    @property
    def last_day(self) -> dt.date: ...
    @property
    def room_id(self) -> int | None: ...
    @property
    def course_version_id(self) -> int: ...


class ServingSession(NamedTuple):
    """A session serving an obligation, as its columns: a ``TrainingSession`` instance costs ~80 µs to build and a
    vendor's history has thousands of them."""

    id: int
    code: str
    status: str
    mode: str
    first_day: dt.date
    last_day: dt.date
    room_id: int | None
    course_version_id: int
    obligation_id: int
    period_label: str | None


def serving_sessions(session: Session, obligation_ids: Iterable[int]) -> dict[int, list[ServingSession]]:
    """By obligation, its sessions not cancelled, by first day then as created (the order the checks pick in)."""
    columns = [getattr(TrainingSession, name) for name in ServingSession._fields]
    serving: dict[int, list[ServingSession]] = {}
    for chunk in chunks(sorted(set(obligation_ids))):
        statement = (
            select(*columns)
            .where(col(TrainingSession.obligation_id).in_(chunk), TrainingSession.status != "cancelled")
            .order_by(col(TrainingSession.first_day), col(TrainingSession.id))
        )
        for row in plain_rows(session, statement):
            found = ServingSession(*row)
            serving.setdefault(found.obligation_id, []).append(found)
    return serving


@dataclass(frozen=True)
class Day:
    id: int
    day: dt.date
    hours: float


@dataclass
class People:
    """Who of one session was rostered, present (on how many days), graded, passed and holds a valid certificate."""

    present_days: Counter[int] = field(default_factory=Counter)  # person id → days present
    rostered: set[int] = field(default_factory=set)
    graded: set[int] = field(default_factory=set)
    passed: set[int] = field(default_factory=set)
    certified: set[int] = field(default_factory=set)


class PeopleOfBatch:
    """The people of the sessions of one batch, read when a check first asks about someone: only clauses asking for
    assessment or certificates do, and most do not, so most of these thousands of rows need not be read.

    ``likely``: the sessions the checks will probably ask about, read together at the first question about one of
    them; a question about any other session reads the rest of the batch at once.
    """

    def __init__(self, session: Session, ids: list[int], likely: Iterable[int]) -> None:
        self.session, self.ids, self.likely = session, ids, sorted(set(likely) & set(ids))
        self.by_session: dict[int, People] = {}

    def of(self, session_id: int) -> People:
        if session_id not in self.by_session:
            group = self.likely if session_id in self.likely else self.ids
            missing = [number for number in group if number not in self.by_session]
            self.by_session.update((number, People()) for number in missing)
            for chunk in chunks(missing):
                _load_people(self.session, chunk, self.by_session)
        return self.by_session[session_id]


@dataclass
class SessionFacts:
    """One session as the clause checks see it."""

    id: int = 0
    days: list[Day] = field(default_factory=list)  # by date
    room_organisation: int | None = None
    in_room: bool = False  # held in a room that exists (a missing room counts as the buyer's site)
    course_code: str | None = None
    attendance_share: float = 1.0
    curricula: set[str] = field(default_factory=set)
    trainers: list[tuple[bool, str]] = field(default_factory=list)  # (technical lead, organisation kind)
    present_per_day: list[int] = field(default_factory=list)
    roster_rows: int = 0
    scanned_days: set[dt.date | None] = field(default_factory=set)
    batch: PeopleOfBatch | None = field(default=None, repr=False, compare=False)

    @property
    def people(self) -> People:
        return self.batch.of(self.id) if self.batch is not None else People()

    @property
    def attended(self) -> set[int]:
        """Everyone present on at least one day."""
        return {person for person, days in self.people.present_days.items() if days}

    def may_be_certified(self, people: Iterable[int]) -> set[int]:
        """Those of ``people`` on the roster who attended as the course asks (``eligibility.attendance_problems``)."""
        known = self.people
        return {
            person
            for person in people
            if attended_as_required(
                rostered=person in known.rostered,
                days_present=known.present_days.get(person, 0),
                days=len(self.days),
                share=self.attendance_share,
            )
        }

    def unscanned_days(self) -> list[dt.date]:
        """Days with no scanned, signed sign-in sheet kept as evidence."""
        return sorted(day.day for day in self.days if day.day not in self.scanned_days)


def load_session_facts(
    session: Session, trainings: Sequence[Scheduled], people_asked: Iterable[int] | None = None
) -> dict[int, SessionFacts]:
    """Facts for every session in ``trainings``, by session id: about six queries per 500 sessions, and four more
    for their people when a check asks about them (``SessionFacts.people``). ``people_asked``: the sessions whose
    people the checks will probably ask about (``session_checks.asks_about_people``), read together; any."""
    ids = sorted({t.id for t in trainings if t.id is not None})
    batch = PeopleOfBatch(session, ids, ids if people_asked is None else people_asked)
    facts = {number: SessionFacts(id=number, batch=batch) for number in ids}
    for chunk in chunks(ids):
        _load_days(session, chunk, facts)
        _load_roster_and_trainers(session, chunk, facts)
    _load_rooms(session, trainings, facts)
    _load_courses(session, trainings, facts)
    return facts


def _load_days(session: Session, chunk: list[int], facts: dict[int, SessionFacts]) -> None:
    """Each day with its hours and how many were present (counted by the database), and the scanned sheets."""
    present = outerjoin(
        SessionDay, Attendance, and_(col(Attendance.session_day_id) == SessionDay.id, col(Attendance.present))
    )
    for day_id, session_id, day, hours, count in plain_rows(
        session,
        select(col(SessionDay.id), col(SessionDay.session_id), col(SessionDay.day), col(SessionDay.hours))
        .add_columns(func.count(col(Attendance.id)))
        .select_from(present)
        .where(col(SessionDay.session_id).in_(chunk))
        .group_by(col(SessionDay.id), col(SessionDay.session_id), col(SessionDay.day), col(SessionDay.hours))
        .order_by(col(SessionDay.session_id), col(SessionDay.day)),
    ):
        found = facts[session_id]
        found.days.append(Day(day_id or 0, day, hours))
        found.present_per_day.append(count)
    for scanned_for, scanned in plain_rows(
        session,
        select(col(Attachment.session_id), col(Attachment.session_day)).where(
            col(Attachment.session_id).in_(chunk), Attachment.kind == "signin_scan"
        ),
    ):
        facts[scanned_for or 0].scanned_days.add(scanned)


def _load_roster_and_trainers(session: Session, chunk: list[int], facts: dict[int, SessionFacts]) -> None:
    for rostered_on, count in plain_rows(
        session,
        select(col(RosterEntry.session_id), func.count())
        .where(col(RosterEntry.session_id).in_(chunk))
        .group_by(col(RosterEntry.session_id)),
    ):
        facts[rostered_on].roster_rows = count
    for taught, lead, kind in plain_rows(
        session,
        select(col(SessionTrainer.session_id), col(Person.is_technical_lead), col(Organisation.kind))
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(col(SessionTrainer.session_id).in_(chunk))
        .order_by(col(SessionTrainer.id)),
    ):
        facts[taught].trainers.append((bool(lead), kind))


def _load_people(session: Session, chunk: list[int], people: dict[int, People]) -> None:
    for attended_in, person_id, days in plain_rows(
        session,
        select(col(SessionDay.session_id), col(Attendance.person_id), func.count())
        .join(SessionDay, col(SessionDay.id) == Attendance.session_day_id)
        .where(col(SessionDay.session_id).in_(chunk), col(Attendance.present))
        .group_by(col(SessionDay.session_id), col(Attendance.person_id)),
    ):
        people[attended_in].present_days[person_id] = days
    for rostered_on, person_id in plain_rows(
        session,
        select(col(RosterEntry.session_id), col(RosterEntry.person_id)).where(col(RosterEntry.session_id).in_(chunk)),
    ):
        people[rostered_on].rostered.add(person_id)
    for session_id, sitter, status, passed in plain_rows(
        session,
        select(col(Attempt.session_id), col(Attempt.person_id), col(Attempt.status), col(Attempt.passed)).where(
            col(Attempt.session_id).in_(chunk)
        ),
    ):
        if status == "graded":
            people[session_id or 0].graded.add(sitter)
        if passed:
            people[session_id or 0].passed.add(sitter)
    for certified_at, holder in plain_rows(
        session,
        select(col(Certificate.session_id), col(Certificate.person_id)).where(
            col(Certificate.session_id).in_(chunk), Certificate.status == "valid"
        ),
    ):
        people[certified_at or 0].certified.add(holder)


def _load_rooms(session: Session, trainings: Sequence[Scheduled], facts: dict[int, SessionFacts]) -> None:
    room_ids = sorted({t.room_id for t in trainings if t.room_id is not None})
    owners: dict[int, int | None] = {}
    for chunk in chunks(room_ids):
        for room_id, organisation_id in plain_rows(
            session, select(col(Room.id), col(Room.organisation_id)).where(col(Room.id).in_(chunk))
        ):
            owners[room_id or 0] = organisation_id
    for training in trainings:
        if training.id is not None and training.room_id in owners:
            facts[training.id].in_room = True
            facts[training.id].room_organisation = owners[training.room_id]


def _load_courses(session: Session, trainings: Sequence[Scheduled], facts: dict[int, SessionFacts]) -> None:
    version_ids = sorted({t.course_version_id for t in trainings})
    versions: dict[int, tuple[str | None, float]] = {}
    curricula: dict[int, set[str]] = {}
    for chunk in chunks(version_ids):
        # Only the attendance rule of each version's spec: the whole spec (its questions' blueprint, handouts...)
        # is JSON that takes ~1 ms a version to decode.
        for version_id, course_code, rule in plain_rows(
            session,
            select(col(CourseVersion.id), col(Course.code), col(CourseVersion.spec)["attendance"])
            .join(Course, col(Course.id) == CourseVersion.course_id)
            .where(col(CourseVersion.id).in_(chunk)),
        ):
            versions[version_id] = (course_code, share_of_rule(rule))
        for version_id, curriculum in plain_rows(
            session,
            select(col(CourseModule.course_version_id), col(CourseModule.curriculum)).where(
                col(CourseModule.course_version_id).in_(chunk)
            ),
        ):
            curricula.setdefault(version_id, set()).add(curriculum)
    for training in trainings:
        found = facts.get(training.id or 0)
        if found is None:
            continue
        found.course_code, found.attendance_share = versions.get(training.course_version_id, (None, 1.0))
        found.curricula = curricula.get(training.course_version_id, set())
