"""Attempts, answers and tutoring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from lms.models.base import AttemptStatus, json_column, utc_now


# Table: one trainee's sitting of a course quiz; re-exams (补考) have number > 1.
class Attempt(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("person_id", "course_version_id", "session_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    number: int = 1
    seed: int = 0
    question_ids: list[int] | None = json_column()
    status: str = Field(default=AttemptStatus.in_progress, max_length=20)
    started_at: dt.datetime = Field(default_factory=utc_now)
    # When its paper was first printed. The invigilator keeps a paper's time; equal to started_at while the attempt
    # exists only on paper, so the screen's clock starts when the trainee first opens it there.
    printed_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    written_score: float | None = None
    practical_score: float | None = None
    score: float | None = None
    passed: bool | None = None


# Table: one answer in an attempt, autosaved as the trainee goes.
class Answer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    response: Any = json_column()
    fraction: float | None = None
    saved_at: dt.datetime = Field(default_factory=utc_now)


# Table: a tutoring session a trainee attended after failing; a re-exam may require one first (reexam rules).
class TutoringRecord(SQLModel, table=True):
    __table_args__ = (Index("ix_tutoringrecord_person_course", "person_id", "course_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    course_id: int = Field(foreign_key="course.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    tutor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    held_on: dt.date
    notes: str | None = None


# Table: a trainee's own short access code for the browser quiz of one session; only its hash is kept.
class TraineeAccess(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    code_hash: str = Field(max_length=64, index=True)
    created_at: dt.datetime = Field(default_factory=utc_now)
    expires_at: dt.datetime
    failed_guesses: int = 0
    last_used_at: dt.datetime | None = None
