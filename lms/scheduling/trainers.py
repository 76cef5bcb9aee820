# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Trainers and engineers at a glance: the skills they hold and until when, and how much teaching lies ahead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlmodel import Session, col

from lms.models import Organisation, Person, SessionDay, SessionTrainer, Skill, SkillRecord, TrainingSession
from lms.models.lookup import same_code

TEACHING_KINDS = ("trainer", "engineer")
EXPIRING_DAYS = 60
HORIZON_DAYS = 90


@dataclass(frozen=True)
class SkillHolding:
    """A person's latest record of one skill, and what it means today: valid, expiring, expired or not yet."""

    skill: str
    name_zh: str
    name_en: str
    level: int
    valid_from: dt.date
    valid_until: dt.date | None
    state: str


@dataclass
class TrainerLoad:
    code: str
    name: str
    name_en: str
    organisation_zh: str
    organisation_en: str
    manufacturer: bool
    technical_lead: bool
    skills: list[SkillHolding] = field(default_factory=list)
    sessions_ahead: int = 0  # active sessions with a day in the coming HORIZON_DAYS
    days_ahead: int = 0  # teaching days in the coming HORIZON_DAYS
    days_last_year: int = 0  # days taught (held sessions) in the past 365 days

    @property
    def next_expiry(self) -> dt.date | None:
        ends = [s.valid_until for s in self.skills if s.state in ("valid", "expiring") and s.valid_until]
        return min(ends, default=None)


def skill_state(record_from: dt.date, record_until: dt.date | None, today: dt.date) -> str:
    if record_from > today:
        return "future"
    if record_until is None:
        return "valid"
    if record_until < today:
        return "expired"
    return "expiring" if record_until <= today + dt.timedelta(days=EXPIRING_DAYS) else "valid"


def trainer_overview(session: Session, *, today: dt.date) -> list[TrainerLoad]:
    """Every trainer and engineer with their skills and load, by code. A few set-based queries, whatever the size."""
    people = session.execute(
        select(Person, Organisation)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(col(Person.kind).in_(TEACHING_KINDS))
        .order_by(col(Person.code))
    ).all()
    loads: dict[int, TrainerLoad] = {
        person.id: TrainerLoad(
            person.code,
            person.name,
            person.name_en or "",
            organisation.name_zh,
            organisation.name_en,
            organisation.kind == "manufacturer",
            person.is_technical_lead,
        )
        for person, organisation in people
    }
    latest: dict[tuple[int, int], tuple[SkillRecord, Skill]] = {}
    for record, skill in session.execute(
        select(SkillRecord, Skill)
        .join(Skill, col(Skill.id) == SkillRecord.skill_id)
        .where(col(SkillRecord.person_id).in_(list(loads)))
        .order_by(col(SkillRecord.valid_from))
    ).all():
        latest[(record.person_id, record.skill_id)] = (record, skill)  # the newest record of a skill wins
    for (person_id, _skill_id), (record, skill) in sorted(latest.items(), key=lambda item: item[1][1].code):
        loads[person_id].skills.append(
            SkillHolding(
                skill.code,
                skill.name_zh,
                skill.name_en,
                record.level,
                record.valid_from,
                record.valid_until,
                skill_state(record.valid_from, record.valid_until, today),
            )
        )
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    ahead = and_(
        SessionDay.day >= today, SessionDay.day <= horizon, col(TrainingSession.status).in_(("planned", "confirmed"))
    )
    held = and_(
        SessionDay.day < today,
        SessionDay.day >= today - dt.timedelta(days=365),
        col(TrainingSession.status).in_(("held", "closed")),
    )
    rows = session.execute(
        select(
            SessionTrainer.person_id,
            func.count(func.distinct(case((ahead, SessionDay.session_id)))),
            func.count(func.distinct(case((ahead, SessionDay.day)))),
            func.count(func.distinct(case((held, SessionDay.day)))),
        )
        .join(TrainingSession, col(TrainingSession.id) == SessionTrainer.session_id)
        .join(SessionDay, col(SessionDay.session_id) == SessionTrainer.session_id)
        .where(col(SessionTrainer.person_id).in_(list(loads)), SessionDay.day >= today - dt.timedelta(days=365))
        .group_by(SessionTrainer.person_id)
    ).all()
    for person_id, sessions_ahead, days_ahead, days_last_year in rows:
        load = loads[person_id]
        load.sessions_ahead, load.days_ahead, load.days_last_year = sessions_ahead, days_ahead, days_last_year
    return list(loads.values())


def trainer_schedule(session: Session, *, person_code: str, today: dt.date, limit: int = 30) -> list[dict[str, object]]:
    """A trainer's active sessions from today on, soonest first."""
    rows = session.execute(
        select(
            TrainingSession.code,
            TrainingSession.first_day,
            TrainingSession.last_day,
            TrainingSession.status,
            TrainingSession.place,
            SessionTrainer.role,
        )
        .join(SessionTrainer, col(SessionTrainer.session_id) == TrainingSession.id)
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(
            same_code(Person.code, person_code),
            TrainingSession.last_day >= today,
            col(TrainingSession.status).in_(("planned", "confirmed")),
        )
        .order_by(col(TrainingSession.first_day))
        .limit(limit)
    ).all()
    return [
        {"code": code, "first_day": first, "last_day": last, "status": status, "place": place, "role": role}
        for code, first, last, status, place, role in rows
    ]
