"""A vendor's database from empty: a course, the example project (buyer WX-HOSP), and one planned session S-ROSTER."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.assessment.quizzes import current_version
from lms.models import Project
from lms.scheduling.sessions import create_session
from tests.conftest import LIBRARY

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "projects.yaml"


def resident_id(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def person_id_number(number: int) -> str:
    return resident_id(f"3202021990{number:07d}")


def vendor_with_a_session(cli: Any, engine: Engine, capacity: int = 5, code: str = "S-ROSTER") -> None:
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    assert cli("projects", "import", str(EXAMPLE)).code == 0
    with Session(engine, expire_on_commit=False) as session:
        project = session.exec(select(Project).where(Project.code == "P2026-WX-SHW")).one()
        create_session(
            session,
            course_version=current_version(session, "SHW-OM"),
            days=[dt.date(2026, 12, 3), dt.date(2026, 12, 4)],
            mode="centralised",
            place="医技楼会议室",
            city="无锡",
            project_id=project.id,
            capacity=capacity,
            code=code,
        )
        session.commit()
