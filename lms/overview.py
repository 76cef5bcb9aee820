"""Plain rows for overview screens and listings: projects with milestones, upcoming sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from lms.models import (
    Course,
    CourseVersion,
    Milestone,
    Organisation,
    Person,
    Project,
    SessionTrainer,
    TrainingSession,
)


def project_rows(session: Session) -> list[dict[str, Any]]:
    """Each project with its buyer and acceptance date (planned and actual)."""
    buyers = {o.id: o for o in session.exec(select(Organisation))}
    acceptance = {m.project_id: m for m in session.exec(select(Milestone).where(Milestone.kind == "acceptance"))}
    rows = []
    for project in session.exec(select(Project).order_by(Project.code)):
        milestone = acceptance.get(project.id or 0)
        buyer = buyers.get(project.buyer_id)
        rows.append(
            {
                "code": project.code,
                "name_zh": project.name_zh,
                "name_en": project.name_en,
                "buyer_zh": buyer.name_zh if buyer else "",
                "buyer_en": buyer.name_en if buyer else "",
                "city": project.city,
                "acceptance_planned": milestone.planned_date if milestone else None,
                "acceptance_actual": milestone.actual_date if milestone else None,
            }
        )
    return rows


def upcoming_sessions(session: Session, today: dt.date, limit: int = 50) -> list[dict[str, Any]]:
    """Sessions not cancelled that end on or after ``today``, soonest first, with their trainers."""
    statement = (
        select(TrainingSession, Course)
        .join(CourseVersion, col(CourseVersion.id) == TrainingSession.course_version_id)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .where(TrainingSession.last_day >= today, TrainingSession.status != "cancelled")
        .order_by(col(TrainingSession.first_day))
        .limit(limit)
    )
    found = session.exec(statement).all()
    ids = [training.id for training, _course in found]
    names: dict[int, list[str]] = {}
    for link, person in session.exec(
        select(SessionTrainer, Person)
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(col(SessionTrainer.session_id).in_(ids))
    ):
        names.setdefault(link.session_id, []).append(person.name)
    projects = {p.id: p.code for p in session.exec(select(Project))}
    return [
        {
            "code": training.code,
            "course": course.code,
            "course_zh": course.title_zh,
            "course_en": course.title_en,
            "project": projects.get(training.project_id, ""),
            "first_day": training.first_day,
            "last_day": training.last_day,
            "status": training.status,
            "place": training.place,
            "trainers": "、".join(names.get(training.id or 0, [])),
        }
        for training, course in found
    ]
