"""The demo: what it promises is there, and the same seed gives the same data."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, func, select

from lms import models
from lms.db import make_engine, upgrade_schema
from lms.demo.loader import load_demo
from lms.models import Attempt, Certificate, Milestone, Person, Project, SkillRecord, TrainingSession
from tests.conftest import DEMO_TODAY


def test_demo_has_what_each_user_needs(demo_database: str) -> None:
    with Session(make_engine(demo_database)) as session:
        staff = session.exec(select(Person).where(col(Person.kind).in_(["trainer", "engineer"]))).all()
        assert len(staff) >= 8
        assert (
            session.exec(
                select(func.count()).select_from(models.Organisation).where(models.Organisation.kind == "buyer")
            ).one()
            >= 3
        )
        projects = session.exec(select(Project)).all()
        assert len(projects) >= 6
        acceptance = {m.project_id: m for m in session.exec(select(Milestone).where(Milestone.kind == "acceptance"))}
        past = [m for m in acceptance.values() if m.actual_date and m.actual_date < DEMO_TODAY]
        near = [
            m
            for m in acceptance.values()
            if not m.actual_date and m.planned_date and 0 <= (m.planned_date - DEMO_TODAY).days <= 7
        ]
        unknown = [m for m in acceptance.values() if not m.actual_date and not m.planned_date]
        assert past and near and unknown
        statuses = {s.status for s in session.exec(select(TrainingSession))}
        assert {"held", "planned", "confirmed"} <= statuses
        assert session.exec(select(func.count()).select_from(models.Attendance)).one() > 20
        attempts = session.exec(select(Attempt)).all()
        assert any(a.passed is False and a.number == 1 for a in attempts)
        assert any(a.passed and a.number == 2 for a in attempts)
        assert session.exec(select(func.count()).select_from(Certificate)).one() >= 10
        engineer_skills = session.exec(select(SkillRecord).where(SkillRecord.source == "certificate")).all()
        assert any(record.valid_until for record in engineer_skills)
        obligation = session.exec(select(models.Obligation)).first()
        assert obligation is not None and "验收合格后" in obligation.clause_text


def dump(url: str) -> str:
    tables = [
        models.Person,
        models.Project,
        models.Milestone,
        models.TrainingSession,
        models.SessionDay,
        models.Attendance,
        models.Attempt,
        models.Answer,
        models.Certificate,
        models.SkillRecord,
    ]
    data: dict[str, Any] = {}
    with Session(make_engine(url)) as session:
        for table in tables:
            rows = session.exec(select(table).order_by(table.id)).all()  # type: ignore[attr-defined]
            data[table.__name__] = [
                {
                    k: v
                    for k, v in row.model_dump(mode="json").items()
                    if k not in ("added_at", "saved_at", "updated_at")
                }
                for row in rows
            ]
    return json.dumps(data, sort_keys=True, default=str)


def fresh_demo(tmp_path: Any, name: str, pm: Any, seed: int) -> str:
    url = f"sqlite:///{tmp_path / name}"
    engine = make_engine(url)
    upgrade_schema(engine)
    with Session(engine) as session:
        load_demo(session, pm, seed=seed, today=DEMO_TODAY)
        session.commit()
    return url


def test_same_seed_same_data_other_seed_other_data(tmp_path: Any, pm: Any) -> None:
    first = dump(fresh_demo(tmp_path, "a.db", pm, 11))
    second = dump(fresh_demo(tmp_path, "b.db", pm, 11))
    third = dump(fresh_demo(tmp_path, "c.db", pm, 12))
    assert first == second
    assert first != third


def test_demo_command_refuses_a_database_with_data_and_skips_with_if_empty(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo", "--as-of", "2026-11-20").code == 0
    again = cli("demo")
    assert again.code == 1 and "not empty" in again.err
    skipped = cli("demo", "--if-empty")
    assert skipped.code == 0 and "already has data" in skipped.out
