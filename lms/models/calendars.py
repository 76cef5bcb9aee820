"""Working-day calendars that people load: a year's official holiday notice, kept with its source text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel

from lms.models.base import json_column, utc_now


# Table: a year's holiday and 调休 arrangement as published (days off, make-up working days); the newest wins.
class HolidayNotice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    calendar: str = Field(default="CN", max_length=10, index=True)
    year: int = Field(index=True)
    days_off: list[str] | None = json_column()
    working_days: list[str] | None = json_column()
    source_text: str
    imported_at: dt.datetime = Field(default_factory=utc_now)
    imported_by: str = Field(default="", max_length=100)
    note: dict[str, Any] | None = json_column()
