"""Evidence files, issued documents, materials sent, feedback and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from lms.models.base import json_column, utc_now


# Table: a file kept as evidence — a signed sign-in sheet scan, an outside certificate's scan, sent materials.
# Files are stored by content hash under the data folder, so a re-run never leaves a second copy.
class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    session_day: dt.date | None = None
    skill_record_id: int | None = Field(default=None, foreign_key="skillrecord.id", index=True)
    original_name: str = Field(max_length=300)
    media_type: str = Field(max_length=100)
    sha256: str = Field(max_length=64, index=True)
    size: int
    added_at: dt.datetime = Field(default_factory=utc_now)
    added_by: str = Field(default="", max_length=100)
    note: str | None = None


# Table: a generated document kept with its version — training plans are re-issued when sessions move.
class IssuedDocument(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("kind", "subject", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    subject: str = Field(max_length=120, description="what it is about: a project code or a session id")
    version: int
    inputs_sha256: str = Field(max_length=64, description="hash of the data it was made from")
    sha256: str = Field(max_length=64)
    language: str = Field(default="zh", max_length=10)
    created_at: dt.datetime = Field(default_factory=utc_now)


# Table: a record that training materials were sent to the buyer before a session.
class MaterialsDispatch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    sent_on: dt.date
    sent_to: str = Field(max_length=200)
    channel: str = Field(default="email", max_length=40)
    bundle_sha256: str | None = Field(default=None, max_length=64)
    note: str | None = None


# Table: one trainee's answers to the feedback survey after a session (paper, terminal or browser).
class FeedbackResponse(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    survey: str = Field(max_length=60)
    ratings: dict[str, Any] | None = json_column()
    comments: dict[str, Any] | None = json_column()
    source: str = Field(default="terminal", max_length=20)
    submitted_at: dt.datetime = Field(default_factory=utc_now)


# Table: append-only record of changes (who, when, before, after), chained by hashes.
class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utc_now)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=60)
    entity_key: str = Field(max_length=120)
    before: dict[str, Any] | None = json_column()
    after: dict[str, Any] | None = json_column()
    previous_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)
