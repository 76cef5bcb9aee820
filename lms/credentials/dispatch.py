# SQLModel types table attributes as Python values, which SQLAlchemy Core expressions reject in mypy.
# mypy: disable-error-code="arg-type,call-overload"
"""Engineers sent to a project's site (持证上岗): recorded only when the engineer is qualified
(:mod:`lms.credentials.qualification`) for every skill of the project's equipment — the courses its obligations
name — on every day of the period. Cancelling keeps the row (``cancelled_at``) for the record."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.roles import Permission, require
from lms.credentials.qualification import qualification_lapses
from lms.credentials.qualified import required_skills
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.master_data.records import refuse_retired
from lms.models import Dispatch, Person, Project
from lms.models.base import utc_now
from lms.models.lookup import person_by_code, project_by_code


@dataclass(frozen=True)
class DispatchLine:
    id: int
    person: str
    name: str
    project: str
    first_day: dt.date
    last_day: dt.date
    note: str | None
    created_by: str
    cancelled: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def audited(self) -> dict[str, Any]:
        return {key: str(value) if isinstance(value, dt.date) else value for key, value in self.as_dict().items()}


def _project(session: Session, code: str) -> Project:
    return project_by_code(session, code, field="--project")


def _check_period(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise LmsError(_("the period ends before it starts"), field="--to")


def add_dispatch(
    *, session: Session, person_code: str, project_code: str, first: dt.date, last: dt.date, note: str | None = None
) -> DispatchLine:
    """Record the engineer as sent; refused, naming each skill and where it lapses, unless qualified throughout."""
    require(Permission.dispatch)
    _check_period(first, last)
    person = person_by_code(session, person_code, field="ENGINEER")
    refuse_retired(person, "ENGINEER")
    project = _project(session, project_code)
    skills = required_skills(session, project_code=project.code)
    lapses = qualification_lapses(session, person_ids=[person.id or 0], skills=skills, first=first, last=last)
    if lapses[person.id or 0]:
        raise LmsError(
            _("{name} ({code}) may not be sent to {project} from {first} to {last}: {lapses}").format(
                name=person.name,
                code=person.code,
                project=project.code,
                first=first,
                last=last,
                lapses="; ".join(lapse.describe() for lapse in lapses[person.id or 0]),
            ),
            field="ENGINEER",
        )
    row = Dispatch(
        person_id=person.id or 0,
        project_id=project.id or 0,
        first_day=first,
        last_day=last,
        note=(note or "").strip() or None,
        created_by=audit.current_actor(session),
    )
    session.add(row)
    session.flush()
    line = _line(row, person, project)
    audit.record(session, action="dispatch.add", entity="dispatch", key=str(row.id), before=None, after=line.audited())
    return line


def cancel_dispatch(*, session: Session, dispatch_id: int) -> DispatchLine:
    """Mark a dispatch cancelled (the row stays, audited)."""
    require(Permission.dispatch)
    row = session.get(Dispatch, dispatch_id)
    if row is None:
        raise NotFoundError(_("no dispatch has the number {id}").format(id=dispatch_id), field="ID")
    if row.cancelled_at is not None:
        raise LmsError(_("dispatch {id} is already cancelled").format(id=dispatch_id), field="ID")
    row.cancelled_at = utc_now()
    session.add(row)
    person, project = session.get(Person, row.person_id), session.get(Project, row.project_id)
    assert person is not None and project is not None
    line = _line(row, person, project)
    audit.record(
        session,
        action="dispatch.cancel",
        entity="dispatch",
        key=str(row.id),
        before={"cancelled": False},
        after={"cancelled": True},
    )
    return line


def list_dispatches(
    *, session: Session, project_code: str | None = None, person_code: str | None = None, cancelled: bool = False
) -> list[DispatchLine]:
    """Dispatches by first day (cancelled ones only when asked)."""
    query = (
        select(Dispatch, Person, Project)
        .join(Person, col(Person.id) == Dispatch.person_id)
        .join(Project, col(Project.id) == Dispatch.project_id)
        .order_by(col(Dispatch.first_day), col(Person.code))
    )
    if project_code is not None:
        query = query.where(Project.id == _project(session, project_code).id)
    if person_code is not None:
        query = query.where(Person.id == person_by_code(session, person_code).id)
    if not cancelled:
        query = query.where(col(Dispatch.cancelled_at).is_(None))
    return [_line(row, person, project) for row, person, project in session.exec(query)]


def dispatched_elsewhere(session: Session, *, project_code: str, first: dt.date, last: dt.date) -> set[str]:
    """Codes of people already sent to another project on some day of the period."""
    project = _project(session, project_code)
    _check_period(first, last)
    return set(
        session.exec(
            select(Person.code)
            .join(Dispatch, col(Dispatch.person_id) == Person.id)
            .where(
                Dispatch.project_id != project.id,
                col(Dispatch.cancelled_at).is_(None),
                Dispatch.first_day <= last,
                Dispatch.last_day >= first,
            )
        )
    )


def _line(row: Dispatch, person: Person, project: Project) -> DispatchLine:
    return DispatchLine(
        row.id or 0,
        person.code,
        person.name,
        project.code,
        row.first_day,
        row.last_day,
        row.note,
        row.created_by,
        row.cancelled_at is not None,
    )
