"""What checking sessions against clauses needs to know of them, loaded for many sessions in a few queries.

Checking one session used to ask the database a dozen questions (its days, room, course, trainers, attendance per
day, roster, attempts, certificates, scans); over a vendor's history that is tens of thousands of round trips.
Here each question is asked once for a whole set of sessions (in chunks of ids), and the checks read the answers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from lms.credentials.eligibility import attendance_share, attended_as_required
from lms.db import chunks
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


@dataclass(frozen=True)
class Day:
    id: int
    day: dt.date
    hours: float


@dataclass
class SessionFacts:
    """One session as the clause checks see it."""

    days: list[Day] = field(default_factory=list)  # by date
    room_organisation: int | None = None
    in_room: bool = False  # held in a room that exists (a missing room counts as the buyer's site)
    course_code: str | None = None
    attendance_share: float = 1.0
    curricula: set[str] = field(default_factory=set)
    trainers: list[tuple[bool, str]] = field(default_factory=list)  # (technical lead, organisation kind)
    present_per_day: list[int] = field(default_factory=list)
    present_days: Counter[int] = field(default_factory=Counter)  # person id → days present
    rostered: set[int] = field(default_factory=set)
    roster_rows: int = 0
    graded: set[int] = field(default_factory=set)
    passed: set[int] = field(default_factory=set)
    certified: set[int] = field(default_factory=set)
    scanned_days: set[dt.date | None] = field(default_factory=set)

    @property
    def attended(self) -> set[int]:
        """Everyone present on at least one day."""
        return {person for person, days in self.present_days.items() if days}

    def may_be_certified(self, people: Iterable[int]) -> set[int]:
        """Those of ``people`` on the roster who attended as the course asks (``eligibility.attendance_problems``)."""
        return {
            person
            for person in people
            if attended_as_required(
                rostered=person in self.rostered,
                days_present=self.present_days.get(person, 0),
                days=len(self.days),
                share=self.attendance_share,
            )
        }

    def unscanned_days(self) -> list[dt.date]:
        """Days with no scanned, signed sign-in sheet kept as evidence."""
        return sorted(day.day for day in self.days if day.day not in self.scanned_days)


def load_session_facts(session: Session, trainings: Sequence[TrainingSession]) -> dict[int, SessionFacts]:
    """Facts for every session in ``trainings``, by session id: about ten queries per 500 sessions."""
    facts: dict[int, SessionFacts] = {t.id: SessionFacts() for t in trainings if t.id is not None}
    ids = sorted(facts)
    for chunk in chunks(ids):
        _load_days_and_attendance(session, chunk, facts)
        _load_people(session, chunk, facts)
    _load_rooms(session, trainings, facts)
    _load_courses(session, trainings, facts)
    return facts


def _load_days_and_attendance(session: Session, chunk: list[int], facts: dict[int, SessionFacts]) -> None:
    day_rows = session.exec(
        select(col(SessionDay.id), col(SessionDay.session_id), col(SessionDay.day), col(SessionDay.hours))
        .where(col(SessionDay.session_id).in_(chunk))
        .order_by(col(SessionDay.session_id), col(SessionDay.day))
    ).all()
    present_on: Counter[int] = Counter()
    for attended_in, attended_on, person_id in session.exec(
        select(col(SessionDay.session_id), col(Attendance.session_day_id), col(Attendance.person_id))
        .join(SessionDay, col(SessionDay.id) == Attendance.session_day_id)
        .where(col(SessionDay.session_id).in_(chunk), Attendance.present == True)  # noqa: E712
    ):
        present_on[attended_on] += 1
        facts[attended_in].present_days[person_id] += 1
    for day_id, session_id, day, hours in day_rows:
        found = facts[session_id]
        found.days.append(Day(day_id or 0, day, hours))
        found.present_per_day.append(present_on[day_id or 0])
    for scanned_for, scanned in session.exec(
        select(col(Attachment.session_id), col(Attachment.session_day)).where(
            col(Attachment.session_id).in_(chunk), Attachment.kind == "signin_scan"
        )
    ):
        facts[scanned_for or 0].scanned_days.add(scanned)


def _load_people(session: Session, chunk: list[int], facts: dict[int, SessionFacts]) -> None:
    for rostered_on, person_id in session.exec(
        select(col(RosterEntry.session_id), col(RosterEntry.person_id)).where(col(RosterEntry.session_id).in_(chunk))
    ):
        facts[rostered_on].rostered.add(person_id)
        facts[rostered_on].roster_rows += 1
    for session_id, sitter, status, passed in session.exec(
        select(col(Attempt.session_id), col(Attempt.person_id), col(Attempt.status), col(Attempt.passed)).where(
            col(Attempt.session_id).in_(chunk)
        )
    ):
        if status == "graded":
            facts[session_id or 0].graded.add(sitter)
        if passed:
            facts[session_id or 0].passed.add(sitter)
    for certified_at, holder in session.exec(
        select(col(Certificate.session_id), col(Certificate.person_id)).where(
            col(Certificate.session_id).in_(chunk), Certificate.status == "valid"
        )
    ):
        facts[certified_at or 0].certified.add(holder)
    for taught, lead, kind in session.exec(
        select(col(SessionTrainer.session_id), col(Person.is_technical_lead), col(Organisation.kind))
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(col(SessionTrainer.session_id).in_(chunk))
        .order_by(col(SessionTrainer.id))
    ):
        facts[taught].trainers.append((bool(lead), kind))


def _load_rooms(session: Session, trainings: Sequence[TrainingSession], facts: dict[int, SessionFacts]) -> None:
    room_ids = sorted({t.room_id for t in trainings if t.room_id is not None})
    owners: dict[int, int | None] = {}
    for chunk in chunks(room_ids):
        for room_id, organisation_id in session.exec(
            select(col(Room.id), col(Room.organisation_id)).where(col(Room.id).in_(chunk))
        ):
            owners[room_id or 0] = organisation_id
    for training in trainings:
        if training.id is not None and training.room_id in owners:
            facts[training.id].in_room = True
            facts[training.id].room_organisation = owners[training.room_id]


def _load_courses(session: Session, trainings: Sequence[TrainingSession], facts: dict[int, SessionFacts]) -> None:
    version_ids = sorted({t.course_version_id for t in trainings})
    versions: dict[int, tuple[str | None, float]] = {}
    curricula: dict[int, set[str]] = {}
    for chunk in chunks(version_ids):
        for version, course_code in session.exec(
            select(CourseVersion, Course.code)
            .join(Course, col(Course.id) == CourseVersion.course_id)
            .where(col(CourseVersion.id).in_(chunk))
        ):
            versions[version.id or 0] = (course_code, attendance_share(version))
        for version_id, curriculum in session.exec(
            select(col(CourseModule.course_version_id), col(CourseModule.curriculum)).where(
                col(CourseModule.course_version_id).in_(chunk)
            )
        ):
            curricula.setdefault(version_id, set()).add(curriculum)
    for training in trainings:
        found = facts.get(training.id or 0)
        if found is None:
            continue
        found.course_code, found.attendance_share = versions.get(training.course_version_id, (None, 1.0))
        found.curricula = curricula.get(training.course_version_id, set())
