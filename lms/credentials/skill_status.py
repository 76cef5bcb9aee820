# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""A person's standing in a skill on a day (certified, due for recertification, expired, none), judged from
their skill records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from lms.errors import NotFoundError
from lms.i18n import _
from lms.models import (
    Skill,
    SkillRecord,
)


class SkillStatus(StrEnum):
    certified = "certified"
    due = "due"  # inside the recertification window, still valid
    expired = "expired"
    none = "none"


def status_label(status: str) -> str:
    return {
        "certified": _("certified"),
        "due": _("due for renewal"),
        "expired": _("expired"),
        "none": _("no record"),
        "superseded": _("superseded"),
        "future": _("not yet valid"),
    }.get(status, status)


class RecordDates(Protocol):
    """What judging needs of a record: a model row or a plain result row."""

    @property
    def id(self) -> int | None: ...
    @property
    def level(self) -> int: ...
    @property
    def valid_from(self) -> dt.date: ...
    @property
    def valid_until(self) -> dt.date | None: ...


@dataclass(frozen=True)
class SkillCell:
    """One person's standing in one skill on one day, and the record it rests on."""

    status: str
    level: int | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    record_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "record_id"}


NO_RECORD = SkillCell(SkillStatus.none)


def _valid_on(record: RecordDates, on: dt.date) -> bool:
    return record.valid_from <= on and (record.valid_until is None or record.valid_until >= on)


def _lasting(record: RecordDates) -> tuple[dt.date, int, dt.date, int]:
    return (record.valid_until or dt.date.max, record.level, record.valid_from, record.id or 0)


def judge(records: Iterable[RecordDates], window_days: int, on: dt.date) -> SkillCell:
    """The status of one person in one skill on ``on``, from all their records of it."""
    records = list(records)
    current = [r for r in records if _valid_on(r, on)]
    if current:
        best = max(current, key=_lasting)
        due = best.valid_until is not None and on >= best.valid_until - dt.timedelta(days=window_days)
        status = SkillStatus.due if due else SkillStatus.certified
        return SkillCell(status, best.level, best.valid_from, best.valid_until, best.id)
    lapsed = [r for r in records if r.valid_until is not None and r.valid_until < on]
    if lapsed:
        last = max(lapsed, key=_lasting)
        return SkillCell(SkillStatus.expired, last.level, last.valid_from, last.valid_until, last.id)
    return NO_RECORD


def _valid_on_clause(on: dt.date) -> Any:
    return and_(
        SkillRecord.valid_from <= on, or_(col(SkillRecord.valid_until).is_(None), col(SkillRecord.valid_until) >= on)
    )


def skill_status(session: Session, person_id: int, skill_id: int, on: dt.date) -> SkillCell:
    """One person's status in one skill on ``on``."""
    skill = session.get(Skill, skill_id)
    if skill is None:
        raise NotFoundError(_("no such skill"))
    records = session.exec(
        select(SkillRecord).where(SkillRecord.person_id == person_id, SkillRecord.skill_id == skill_id)
    ).all()
    return judge(records, skill.renewal_window_days, on)
