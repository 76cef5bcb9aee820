"""Certificates, their serials and keys, and skill records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from lms.models.base import CertificateStatus, utc_now


# Table: a certificate; serials are unique and gapless per year, re-issues supersede.
class Certificate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    serial: str = Field(unique=True, index=True, max_length=40)
    family: str = Field(max_length=20)
    person_id: int = Field(foreign_key="person.id", index=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    attempt_id: int | None = Field(default=None, foreign_key="attempt.id", index=True)
    issued_on: dt.date
    expires_on: dt.date | None = None
    status: str = Field(default=CertificateStatus.valid, max_length=20)
    superseded_by_id: int | None = Field(default=None, foreign_key="certificate.id")
    revoked_reason: str | None = None
    verification_code: str | None = Field(default=None, max_length=1000)
    pdf_sha256: str | None = Field(default=None, max_length=64)
    holder_name: str = Field(default="", max_length=100)
    key_id: str | None = Field(default=None, max_length=40)
    pdf_path: str | None = Field(default=None, max_length=500)
    revoked_on: dt.date | None = None
    supersedes_id: int | None = Field(default=None, foreign_key="certificate.id")


# Table: the last serial number handed out per prefix and year; one row locked per issue keeps serials gapless.
class SerialCounter(SQLModel, table=True):
    prefix: str = Field(primary_key=True, max_length=20)
    last: int = 0


# Table: a public key the issuer signs verification codes with; kept after rotation so old certificates verify.
class IssuerKey(SQLModel, table=True):
    key_id: str = Field(primary_key=True, max_length=40)
    public_key_pem: str
    created_at: dt.datetime = Field(default_factory=utc_now)
    retired_at: dt.datetime | None = None


# Table: person × skill × level × validity, from a certificate or entered by HR.
class SkillRecord(SQLModel, table=True):
    __table_args__ = (Index("ix_skillrecord_person_skill", "person_id", "skill_id", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    skill_id: int = Field(foreign_key="skill.id", index=True)
    level: int = 1
    valid_from: dt.date
    valid_until: dt.date | None = None
    certificate_id: int | None = Field(default=None, foreign_key="certificate.id", index=True)
    source: str = Field(default="hr", max_length=20)
    issuer: str | None = Field(default=None, max_length=200, description="who issued an outside certificate")
    reference: str | None = Field(default=None, max_length=100, description="the outside certificate's number")
    note: str | None = None


# Table: an engineer sent to a project's site for a period (持证上岗: only with a valid skill for all of it).
class Dispatch(SQLModel, table=True):
    __table_args__ = (Index("ix_dispatch_person_days", "person_id", "first_day", "last_day"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    project_id: int = Field(foreign_key="project.id", index=True)
    first_day: dt.date
    last_day: dt.date
    note: str | None = None
    created_at: dt.datetime = Field(default_factory=utc_now)
    created_by: str = Field(default="", max_length=100)
    cancelled_at: dt.datetime | None = None
