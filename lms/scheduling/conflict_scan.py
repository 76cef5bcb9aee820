# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""One pass over the active schedule for the conflict checks that look at every session (double bookings and
trainers' skills), so that 100,000 sessions are read once, in start order, without building objects.

Rows come straight from the database driver: dates are ISO text on SQLite and ``date`` values on PostgreSQL. Both
order the same way as dates, so the sweeps compare them as they come; day bounds computed here are turned into the
driver's form once (:class:`DriverDays`). ``ix_trainingsession_schedule`` and ``ix_sessiontrainer_session_role``
(schema 0008) cover the scan, which then reads no table rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session, col

from lms.credentials.qualification import Covering
from lms.models import CourseVersion, SessionTrainer, TrainingSession

ONE_DAY = dt.timedelta(days=1)
Spans = list[tuple[dt.date, dt.date]]


def plain_rows(session: Session, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """The statement's rows as the driver returns them: SQLAlchemy's row objects cost as much as the query here."""
    result = session.connection().execute(statement)
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()


def trainer_scan(session: Session, active: Any) -> list[tuple[Any, ...]]:
    """(person, session, first day, last day, role, course version) for every trainer of an active session, in order
    of the session's start."""
    return plain_rows(
        session,
        select(
            SessionTrainer.person_id,
            TrainingSession.id,
            TrainingSession.first_day,
            TrainingSession.last_day,
            SessionTrainer.role,
            TrainingSession.course_version_id,
        )
        .select_from(TrainingSession)
        .join(SessionTrainer, col(SessionTrainer.session_id) == TrainingSession.id)
        .where(active)
        .order_by(col(TrainingSession.first_day), col(TrainingSession.id)),
    )


def room_scan(session: Session, active: Any) -> list[tuple[Any, ...]]:
    """(room, session, first day, last day) for every active session held in a room, in order of start."""
    return plain_rows(
        session,
        select(TrainingSession.room_id, TrainingSession.id, TrainingSession.first_day, TrainingSession.last_day)
        .where(active, col(TrainingSession.room_id).is_not(None))
        .order_by(col(TrainingSession.first_day), col(TrainingSession.id)),
    )


def overlapping(rows: Iterable[Sequence[Any]]) -> dict[Hashable, set[int]]:
    """Per resource (the rows' first column), the sessions that overlap another of its sessions.

    The rows come in order of start; each resource keeps the sessions still running at the latest start, so the work
    is one pass (a self-join on date ranges took 4 s on 100,000 sessions)."""
    involved: dict[Hashable, set[int]] = {}
    running_of: dict[Hashable, list[tuple[int, Any]]] = {}
    for row in rows:
        resource, session_id, first, last = row[0], row[1], row[2], row[3]
        running = running_of.get(resource)
        if running is None:
            running_of[resource] = [(session_id, last)]
            continue
        running = [(other, end) for other, end in running if end >= first]
        if running:
            involved.setdefault(resource, set()).update({session_id, *(other for other, _end in running)})
        running.append((session_id, last))
        running_of[resource] = running
    return involved


class DriverDays:
    """Turns dates into the form the driver returns them in (ISO text on SQLite), so that rows need no conversion."""

    def __init__(self, sample: Any) -> None:
        self.text = isinstance(sample, str)

    def __call__(self, day: dt.date) -> Any:
        return day.isoformat() if self.text else day


def covered_spans(records: Iterable[Covering], skill_id: int) -> Spans:
    """The days one skill is held on, as disjoint spans: records that overlap or meet (a renewal starting the day
    after the old record ends) join up, as :func:`lms.credentials.qualification.first_uncovered` reads them."""
    spans: Spans = []
    for record in sorted((r for r in records if r.skill_id == skill_id), key=lambda r: r.valid_from):
        end = record.valid_until or dt.date.max
        if spans and record.valid_from <= min(spans[-1][1], dt.date.max - ONE_DAY) + ONE_DAY:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((record.valid_from, end))
    return spans


def intersect(left: Spans, right: Spans) -> Spans:
    """The days in both lists of disjoint, sorted spans."""
    both: Spans = []
    i = j = 0
    while i < len(left) and j < len(right):
        start, end = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if start <= end:
            both.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return both


class QualifiedSpans:
    """Per trainer and course version: the spans of days on which they hold every skill the course grants."""

    def __init__(self, records: dict[int, list[Any]], grants: dict[int, dict[int, str]], days: DriverDays) -> None:
        self.records, self.grants, self.days = records, grants, days
        self.known: dict[tuple[int, int], tuple[list[Any], list[Any]] | None] = {}

    def spans(self, person_id: int, course_id: int) -> tuple[list[Any], list[Any]] | None:
        """(starts, ends) in the driver's form; None when the course asks for no skill."""
        key = (person_id, course_id)
        if key not in self.known:
            skills = self.grants.get(course_id)
            if not skills:
                self.known[key] = None
            else:
                records = self.records.get(person_id, [])
                held = [(dt.date.min, dt.date.max)]
                for skill_id in skills:
                    held = intersect(held, covered_spans(records, skill_id))
                self.known[key] = ([self.days(s) for s, _e in held], [self.days(e) for _s, e in held])
        return self.known[key]

    def covers(self, person_id: int, course_id: int, first: Any, last: Any) -> bool:
        found = self.spans(person_id, course_id)
        if found is None:
            return True
        starts, ends = found
        index = bisect.bisect_right(starts, first) - 1
        return index >= 0 and ends[index] >= last


def course_of_versions(session: Session, version_ids: Iterable[int]) -> dict[int, int]:
    ids = set(version_ids)
    rows = session.execute(select(CourseVersion.id, CourseVersion.course_id).where(col(CourseVersion.id).in_(ids)))
    return {int(version_id): int(course_id) for version_id, course_id in rows}
