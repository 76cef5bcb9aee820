"""Shared column helpers and the enumerations the tables store as short strings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def json_column() -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=True))


class OrganisationKind(StrEnum):
    vendor = "vendor"
    buyer = "buyer"
    manufacturer = "manufacturer"


class PersonKind(StrEnum):
    trainer = "trainer"
    engineer = "engineer"
    buyer_staff = "buyer_staff"


class Curriculum(StrEnum):
    operation = "operation"
    maintenance = "maintenance"
    fault_handling = "fault_handling"


class MilestoneKind(StrEnum):
    delivery = "delivery"
    installation = "installation"
    acceptance = "acceptance"


class Mode(StrEnum):
    on_site = "on_site"
    centralised = "centralised"
    online = "online"


class Cadence(StrEnum):
    once = "once"
    monthly = "monthly"
    quarterly = "quarterly"
    semiannual = "semiannual"
    spring_autumn = "spring_autumn"
    yearly = "yearly"


class SessionStatus(StrEnum):
    planned = "planned"
    confirmed = "confirmed"
    held = "held"
    closed = "closed"
    cancelled = "cancelled"


class AttemptStatus(StrEnum):
    in_progress = "in_progress"
    submitted = "submitted"
    graded = "graded"


class CertificateStatus(StrEnum):
    valid = "valid"
    revoked = "revoked"
    superseded = "superseded"


class CertificateFamily(StrEnum):
    operator = "operator"
    engineer = "engineer"


# Mixin: a record people edit by hand. ``version`` is checked on every save (no lost updates); who changed it last.
class Versioned(SQLModel):
    version: int = Field(default=1, description="bumped on every change; a save from an older version is refused")
    changed_at: dt.datetime | None = None
    changed_by: str | None = Field(default=None, max_length=100)


# Mixin: a record that history refers to; retired instead of deleted.
class Retirable(SQLModel):
    retired_at: dt.datetime | None = None
