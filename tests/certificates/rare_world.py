"""A vendor starting from an empty database: one course, a buyer, trainees added through the people service, a held
session they all attended and passed (the certificate tests for rare names, long titles and the seal)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from lms.catalog.service import import_paths
from lms.master_data.organisations import OrganisationFields, add_organisation
from lms.master_data.people import PersonFields, add_person
from lms.models import Attempt, Attendance, Person, SessionDay
from lms.scheduling.sessions import add_to_roster, create_session

COURSE = """
code: RARE-1
title: {{zh: {course_zh}, en: {course_en}}}
system: {{zh: 热水系统, en: Hot-water system}}
audience: [operator]
pass_mark: 60
certificate: {{family: operator, title: {{zh: {title_zh}, en: {title_en}}}}}
modules:
  - {{id: op, curriculum: operation, title: {{zh: 操作, en: Operation}}, hours: 2,
      objectives: [{{zh: 会操作, en: Operate}}]}}
  - {{id: mt, curriculum: maintenance, title: {{zh: 维护, en: Upkeep}}, hours: 2,
      objectives: [{{zh: 会维护, en: Keep}}]}}
  - {{id: fh, curriculum: fault_handling, title: {{zh: 故障, en: Faults}}, hours: 2,
      objectives: [{{zh: 会排故, en: Fix}}]}}
questions:
  - {{id: q1, module: op, type: truefalse, prompt: {{zh: 水泵要接地。, en: The pump is earthed.}}, answer: true}}
"""


def passed_trainees(
    session: Session,
    pm: Any,
    folder: Path,
    names: tuple[str, ...],
    *,
    course: tuple[str, str] = ("热水系统操作", "Hot-water operation"),
    title: tuple[str, str] = ("合格证", "Certificate"),
    buyer: tuple[str, str] = ("买方单位", "Buyer Ltd."),
) -> list[Person]:
    """Everyone in ``names`` added as a buyer trainee, on the roster of a held session, present and passed."""
    path = folder / "rare-course.yaml"
    texts = {"course_zh": course[0], "course_en": course[1], "title_zh": title[0], "title_en": title[1]}
    path.write_text(
        COURSE.format(**{key: json.dumps(value, ensure_ascii=False) for key, value in texts.items()}), encoding="utf-8"
    )
    [(version, _created)] = import_paths(session, pm, [path])
    add_organisation(
        session=session, code="BUYER", fields=OrganisationFields(kind="buyer", name_zh=buyer[0], name_en=buyer[1])
    )
    people = [
        add_person(
            session=session,
            code=f"T{number:03d}",
            fields=PersonFields(kind="buyer_staff", name=name, name_en=f"Trainee {number}", organisation="BUYER"),
        )
        for number, name in enumerate(names, start=1)
    ]
    session.flush()
    training = create_session(
        session,
        course_version=version,
        days=[dt.date(2026, 11, 18)],
        mode="on_site",
        place="Site",
        city="杭州",
        status="held",
        code="S-RARE1",
    )
    add_to_roster(session, training, people)
    days = session.exec(select(SessionDay).where(SessionDay.session_id == training.id)).all()
    session.add_all(Attendance(session_day_id=day.id, person_id=person.id) for day in days for person in people)
    session.add_all(
        Attempt(
            person_id=person.id,
            course_version_id=version.id,
            session_id=training.id,
            status="graded",
            score=90.0,
            passed=True,
        )
        for person in people
    )
    session.commit()
    return people
