"""The sessions list as the screens page through it: filtered and ordered in SQL, a page at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from lms.models import Course, CourseVersion, Person, Project, SessionTrainer, TrainingSession


def session_page(
    session: Session, *, today: dt.date, text: str = "", offset: int = 0, limit: int = 200
) -> tuple[list[dict[str, Any]], int]:
    """One page of sessions whose code, course, project, place, city, trainer or status (its code or its label in
    the language shown, so 「计划中」 finds the planned ones) contains ``text``: those not over yet first (soonest
    first), then past ones (latest first). Returns the rows and how many sessions match."""
    from sqlalchemy import case, func

    from lms.models import RosterEntry

    statement = (
        select(TrainingSession, Course, Project.code)
        .join(CourseVersion, col(CourseVersion.id) == TrainingSession.course_version_id)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .outerjoin(Project, col(Project.id) == TrainingSession.project_id)
    )
    counting = (
        select(func.count(TrainingSession.id))  # type: ignore[arg-type]
        .join(CourseVersion, col(CourseVersion.id) == TrainingSession.course_version_id)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .outerjoin(Project, col(Project.id) == TrainingSession.project_id)
    )
    if text.strip():
        matches = session_text_matches(text.strip())
        statement, counting = statement.where(matches), counting.where(matches)
    total = int(session.exec(counting).one())
    found = session.exec(
        statement.order_by(
            TrainingSession.last_day < today,  # type: ignore[arg-type]
            case((TrainingSession.last_day >= today, TrainingSession.first_day)),  # type: ignore[arg-type]
            col(TrainingSession.first_day).desc(),
            col(TrainingSession.code),
        )
        .offset(offset)
        .limit(limit)
    ).all()
    ids = [training.id for training, _course, _project in found]
    names: dict[int, list[str]] = {}
    for link, person in session.exec(
        select(SessionTrainer, Person)
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(col(SessionTrainer.session_id).in_(ids))
        .order_by(col(SessionTrainer.id))
    ):
        names.setdefault(link.session_id, []).append(person.name)
    rostered = dict(
        session.exec(
            select(RosterEntry.session_id, func.count(RosterEntry.id))  # type: ignore[arg-type]
            .where(col(RosterEntry.session_id).in_(ids))
            .group_by(col(RosterEntry.session_id))
        ).all()
    )
    rows = [
        {
            "code": training.code,
            "course": course.code,
            "course_zh": course.title_zh,
            "course_en": course.title_en,
            "project": project or "",
            "first_day": training.first_day,
            "last_day": training.last_day,
            "status": training.status,
            "place": training.place,
            "city": training.city,
            "trainers": "、".join(names.get(training.id or 0, [])),
            "rostered": rostered.get(training.id or 0, 0),
            "capacity": training.capacity,
            "override_reason": training.override_reason,
            "override_by": training.override_by,
        }
        for training, course, project in found
    ]
    return rows, total


def session_text_matches(text: str) -> Any:
    """The SQL condition of ``session_page``'s filter (the query joins Course and Project)."""
    from sqlalchemy import exists, or_

    from lms.models import SessionStatus
    from lms.scheduling.lifecycle import status_name

    # what the user typed is matched literally: their % and _ are not LIKE wildcards
    literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{literal}%"
    columns = (
        TrainingSession.code,
        TrainingSession.place,
        TrainingSession.city,
        TrainingSession.status,
        Course.code,
        Course.title_zh,
        Course.title_en,
        Project.code,
    )
    folded = text.casefold()
    labelled = [status.value for status in SessionStatus if folded in status_name(status.value).casefold()]
    taught_by = exists().where(
        col(SessionTrainer.session_id) == TrainingSession.id,
        col(Person.id) == SessionTrainer.person_id,
        or_(*(col(column).ilike(pattern, escape="\\") for column in (Person.name, Person.name_en, Person.code))),
    )
    return or_(
        *(col(column).ilike(pattern, escape="\\") for column in columns),
        col(TrainingSession.status).in_(labelled),
        taught_by,
    )
