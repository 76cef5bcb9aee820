"""Courses as imported: versions, modules, questions and the skills they grant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from lms.models.base import json_column, utc_now


# Table: a course as trainers name it; its content lives in versions.
class Course(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60)
    title_zh: str = Field(max_length=300)
    title_en: str = Field(max_length=300)


# Table: one imported state of a course. Attempts and certificates point here, so edits never rewrite history.
class CourseVersion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    version: int
    content_hash: str = Field(max_length=64, index=True)
    source_path: str | None = Field(default=None, max_length=500)
    imported_at: dt.datetime = Field(default_factory=utc_now)
    system_zh: str = Field(default="", max_length=300)
    system_en: str = Field(default="", max_length=300)
    audience: list[str] | None = json_column()
    pass_mark: float = 60.0
    written_weight: float = 1.0
    practical_weight: float = 0.0
    time_limit_minutes: int | None = None
    reexam: dict[str, Any] | None = json_column()
    certificate: dict[str, Any] | None = json_column()
    blueprint: list[dict[str, Any]] | None = json_column()
    practical_checklist: list[dict[str, Any]] | None = json_column()
    handouts: list[str] | None = json_column()
    spec: dict[str, Any] | None = json_column()


# Table: a module of a course version in one curriculum (operation, maintenance or fault handling).
class CourseModule(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_version_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    code: str = Field(max_length=60)
    curriculum: str = Field(max_length=30)
    position: int = 0
    title_zh: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    hours: float = 0
    objectives: list[dict[str, str]] | None = json_column()
    audience: list[str] | None = json_column()
    methods: list[str] | None = json_column()


# Table: a question in a course version's bank; ``data`` holds the type-specific body and answer key.
class Question(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_version_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    module_id: int = Field(foreign_key="coursemodule.id", index=True)
    code: str = Field(max_length=60)
    qtype: str = Field(max_length=30)
    curriculum: str = Field(max_length=30)
    points: float = 1.0
    prompt_zh: str
    prompt_en: str
    data: dict[str, Any] | None = json_column()


# Table: a skill (at a level) that passing a course version grants.
class CourseSkillGrant(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_version_id", "skill_id"),)
    id: int | None = Field(default=None, primary_key=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    skill_id: int = Field(foreign_key="skill.id", index=True)
    level: int = 1
