"""Organisations, people, rooms and skills: the master data a vendor keeps."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from lms.models.base import Retirable, Versioned


# Table: a company — the vendor itself, a buyer, or a manufacturer whose engineers co-teach.
class Organisation(Versioned, Retirable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    kind: str = Field(max_length=20)
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    city: str | None = Field(default=None, max_length=80)


# Table: anyone the system knows — trainers, engineers, buyer staff. ID numbers are stored and shown masked.
class Person(Versioned, Retirable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    kind: str = Field(max_length=20, index=True)
    name: str = Field(max_length=100)
    name_en: str | None = Field(default=None, max_length=100)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    title: str | None = Field(default=None, max_length=100)
    id_number: str | None = Field(default=None, max_length=40)
    employee_number: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    home_city: str | None = Field(default=None, max_length=80)
    is_technical_lead: bool = False

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def mask_id_number(id_number: str | None) -> str:
    """1101**********1234: keep the region prefix and the last four characters."""
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return id_number[:1] + "*" * (len(id_number) - 2) + id_number[-1:]
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


# Table: a place to teach — a training-centre room or a room at a buyer's site.
class Room(Versioned, Retirable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    name: str = Field(max_length=200)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    city: str = Field(max_length=80)
    address: str | None = Field(default=None, max_length=300)
    capacity: int = 20


# Table: a skill an engineer or trainer may hold (e.g. may maintain solar hot-water systems).
class Skill(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60)
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    renewal_window_days: int = Field(default=90, description="recertification window opens this long before expiry")
