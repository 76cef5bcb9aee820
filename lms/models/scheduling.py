"""Training sessions, their days, trainers, rosters and attendance; trainers' busy times."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from lms.models.base import SessionStatus, Versioned, utc_now


# Table: a planned, confirmed, held or cancelled training session.
class TrainingSession(Versioned, table=True):
    # Covers the conflict check's scan of every active session in start order (lms.scheduling.conflict_scan).
    __table_args__ = (
        Index("ix_trainingsession_schedule", "first_day", "id", "last_day", "status", "course_version_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    uid: str = Field(unique=True, max_length=120)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    obligation_id: int | None = Field(default=None, foreign_key="obligation.id", index=True)
    period_label: str | None = Field(default=None, max_length=20)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    mode: str = Field(max_length=20)
    room_id: int | None = Field(default=None, foreign_key="room.id", index=True)
    place: str = Field(max_length=300)
    city: str = Field(max_length=80)
    capacity: int = 20
    status: str = Field(default=SessionStatus.planned, max_length=20, index=True)
    sequence: int = 0
    first_day: dt.date = Field(index=True)
    last_day: dt.date = Field(index=True)
    notes: str | None = None
    updated_at: dt.datetime = Field(default_factory=utc_now)
    override_reason: str | None = Field(default=None, description="why an admin confirmed it despite open problems")
    override_by: str | None = Field(default=None, max_length=100)


# Table: one day of a session with its hours; multi-day sessions have several.
class SessionDay(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    day: dt.date = Field(index=True)
    start_time: dt.time = dt.time(9, 0)
    end_time: dt.time = dt.time(17, 0)
    hours: float = 6.0


# Table: who teaches a session, and in what role (lead, assistant, manufacturer engineer).
class SessionTrainer(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("session_id", "person_id"),
        Index("ix_sessiontrainer_person_session", "person_id", "session_id"),
        Index("ix_sessiontrainer_session_role", "session_id", "person_id", "role"),
    )
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(default="lead", max_length=30)


# Table: a trainee on a session's roster.
class RosterEntry(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    added_at: dt.datetime = Field(default_factory=utc_now)


# Table: whether a rostered trainee was present on one session day.
class Attendance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_day_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_day_id: int = Field(foreign_key="sessionday.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    present: bool = True
    signed_at: dt.datetime | None = None


# Table: a time a trainer is busy elsewhere, imported from their own calendar (.ics); auto-scheduling avoids it.
class TrainerBusy(SQLModel, table=True):
    __table_args__ = (Index("ix_trainerbusy_person_start", "person_id", "starts_at"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str = Field(default="", max_length=300)
    source: str = Field(default="", max_length=300)
    source_uid: str | None = Field(default=None, max_length=300)


# Table: a trainer taken off a session; their calendar gets a CANCEL for it at this SEQUENCE.
class CalendarCancellation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    sequence: int = 0
    created_at: dt.datetime = Field(default_factory=utc_now)
