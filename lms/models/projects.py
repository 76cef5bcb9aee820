"""Projects, their milestones and the tender obligations they carry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from lms.models.base import Versioned, json_column


# Table: a won contract at a buyer's site.
class Project(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60)
    name_zh: str = Field(max_length=300)
    name_en: str = Field(max_length=300)
    buyer_id: int = Field(foreign_key="organisation.id", index=True)
    site: str = Field(max_length=300)
    city: str = Field(max_length=80)
    warranty_months: int = 12
    tender_ref: str | None = Field(default=None, max_length=120)


# Table: a system (course) delivered under a project.
class ProjectCourse(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "course_id"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    course_id: int = Field(foreign_key="course.id", index=True)


# Table: a project milestone with its planned and actual date; moving acceptance moves obligations.
class Milestone(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: str = Field(max_length=20)
    planned_date: dt.date | None = None
    actual_date: dt.date | None = None


# Table: one training duty from the tender, quoting its clause.
class Obligation(Versioned, table=True):
    __table_args__ = (UniqueConstraint("project_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    code: str = Field(max_length=60)
    clause_ref: str | None = Field(default=None, max_length=120)
    clause_text: str
    anchor: str = Field(max_length=20)
    offset_days: int = 0
    offset_unit: str = Field(default="working", max_length=10)
    direction: str = Field(default="after", max_length=10)
    window_days: int | None = None
    mode: str = Field(max_length=20)
    place: str = Field(default="buyer_site", max_length=20)
    min_trainees: int = 0
    min_days: float = 0
    min_hours: float = 0
    audience: list[str] | None = json_column()
    curricula: list[str] | None = json_column()
    course_codes: list[str] | None = json_column()
    assessment_required: bool = False
    certificate_required: bool = False
    cadence: str = Field(default="once", max_length=20)
    required_trainer_roles: list[str] | None = json_column()
    deadline: dt.date | None = Field(default=None, description="an absolute date the clause names (「2022年03月底前」)")
    reexam_required: bool = False
