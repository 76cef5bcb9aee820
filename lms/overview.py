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


STATUS_ORDER = {"overdue": 0, "at_risk": 1, "partly_met": 2, "planned": 3, "waiting": 4, "met": 5}


def dashboard_data(session: Session, calendar: Any, today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """What a trainer sees first: obligations by urgency, the next sessions, open conflicts."""
    from lms.conflicts import find_conflicts
    from lms.obligations import portfolio_status

    periods = [p.as_dict() for p in portfolio_status(session, calendar, today)]
    relevant = [
        p
        for p in periods
        if p["status"] != "met" and (p["window_start"] is None or p["window_start"] <= today + dt.timedelta(days=120))
    ]
    relevant.sort(key=lambda p: (STATUS_ORDER.get(p["status"], 9), p["window_end"] or dt.date.max))
    conflicts = [c.as_dict() for c in find_conflicts(session, calendar, today)]
    return {"obligations": relevant, "sessions": upcoming_sessions(session, today), "conflicts": conflicts}
