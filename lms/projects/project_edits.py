"""Projects created and corrected by hand: every save is audited and checked against the version it was loaded at."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.edits import StaleEdit, claim_version
from lms.access.roles import Permission, require
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.models import Course, Organisation, Project, ProjectCourse, utc_now
from lms.models.lookup import find_by_code, project_by_code
from lms.projects.projects_file import MILESTONES, ProjectSpec, change_milestone_date, milestone_of, plain

EDITABLE = ("name_zh", "name_en", "buyer", "site", "city", "warranty_months", "tender_ref")


def find_buyer(session: Session, code: str) -> Organisation:
    buyer = session.exec(select(Organisation).where(Organisation.code == code)).first()
    if buyer is None:
        raise NotFoundError(
            _("unknown buyer {code!r}; add it first with lms orgs add").format(code=code), field="buyer"
        )
    if buyer.kind != "buyer":
        raise LmsError(_("{code!r} is a {kind}, not a buyer").format(code=code, kind=buyer.kind), field="buyer")
    return buyer


def project_fields(project: Project, session: Session) -> dict[str, Any]:
    """A project as a form shows it and as the audit log records it."""
    buyer = session.get(Organisation, project.buyer_id)
    return {
        "code": project.code,
        "name_zh": project.name_zh,
        "name_en": project.name_en,
        "buyer": buyer.code if buyer else None,
        "site": project.site,
        "city": project.city,
        "warranty_months": project.warranty_months,
        "tender_ref": project.tender_ref,
        "version": project.version,
    }


def _validate(values: dict[str, Any]) -> None:
    """The same rules as a projects YAML file (code pattern, warranty bounds)."""
    try:
        ProjectSpec.model_validate(
            {
                "code": values["code"],
                "name": {"zh": values["name_zh"], "en": values["name_en"] or values["name_zh"]},
                "buyer": values["buyer"],
                "site": values["site"],
                "city": values["city"],
                "tender_ref": values["tender_ref"],
                "warranty_months": values["warranty_months"],
            }
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LmsError(first["msg"], field=where) from None


def create_project(
    *,
    session: Session,
    code: str,
    buyer: str,
    name_zh: str,
    name_en: str = "",
    site: str = "",
    city: str = "",
    warranty_months: int = 12,
    tender_ref: str | None = None,
    planned: dict[str, dt.date] | None = None,
    courses: list[str] | None = None,
) -> Project:
    """A new project at a buyer that exists; ``planned`` milestone dates by kind. Audited; the caller commits."""
    require(Permission.edit_projects)
    name_en = name_en or name_zh  # as lms orgs add does: the English name defaults to the Chinese one
    values = {
        "code": code,
        "name_zh": name_zh,
        "name_en": name_en,
        "buyer": buyer,
        "site": site,
        "city": city,
        "warranty_months": warranty_months,
        "tender_ref": tender_ref,
    }
    _validate(values)
    if find_by_code(session, Project, code) is not None:
        raise LmsError(_("project {code!r} exists already; use lms projects edit").format(code=code), field="CODE")
    organisation = find_buyer(session, buyer)
    assert organisation.id is not None
    project = Project(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        buyer_id=organisation.id,
        site=site,
        city=city,
        warranty_months=warranty_months,
        tender_ref=tender_ref,
        changed_at=utc_now(),
        changed_by=audit.current_actor(),
    )
    session.add(project)
    session.flush()
    audit.record(session, action="project.create", entity="project", key=code, before=None, after=values)
    assert project.id is not None
    for course_code in courses or []:
        course = find_by_code(session, Course, course_code)
        if course is None or course.id is None:
            raise NotFoundError(_("unknown course {code!r}").format(code=course_code), field="--course")
        session.add(ProjectCourse(project_id=project.id, course_id=course.id))
    for kind, day in (planned or {}).items():
        if kind not in MILESTONES:
            raise LmsError(_("unknown milestone {kind!r}").format(kind=kind), field="milestone")
        change_milestone_date(session, project, milestone_of(session, project.id, kind), day, planned=True)
    return project


def edit_project(
    *, session: Session, code: str, expect_version: int | None, changes: dict[str, Any]
) -> tuple[Project, dict[str, Any]]:
    """Change a project's fields if it still has ``expect_version`` (None: whatever is stored). Returns the project
    and the fields that changed; raises ``StaleEdit`` naming who changed it first."""
    require(Permission.edit_projects)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise LmsError(_("a project has no field {name!r}").format(name=unknown[0]), field=unknown[0])
    project = project_by_code(session, code)
    before = project_fields(project, session)
    after = {**before, **changes}
    _validate(after)
    changed = {key: value for key, value in changes.items() if before[key] != value}
    if not changed:
        refuse_if_stale(project, expect_version, _("project {code}").format(code=code))
        return project, changed
    claim_version(session, project, expect_version, what=_("project {code}").format(code=code))
    if "buyer" in changed:
        buyer_id = find_buyer(session, changed["buyer"]).id
        assert buyer_id is not None
        project.buyer_id = buyer_id
    for key, value in changed.items():
        if key != "buyer":
            setattr(project, key, value)
    session.flush()
    audit.record(
        session,
        action="project.edit",
        entity="project",
        key=code,
        before={key: plain(before[key]) for key in changed},
        after={key: plain(value) for key, value in changed.items()},
    )
    return project, changed


def refuse_if_stale(record: Any, expect_version: int | None, what: str) -> None:
    """A save that changes nothing still tells the editor their copy is out of date."""
    if expect_version is not None and expect_version != record.version:
        raise StaleEdit(what, record.changed_by, record.changed_at, record.version)


def buyer_choices(session: Session) -> list[tuple[str, str]]:
    """(code, Chinese name) of every buyer not retired, for a form's list."""
    rows = session.exec(
        select(Organisation).where(Organisation.kind == "buyer", col(Organisation.retired_at).is_(None))
    ).all()
    return sorted((row.code, row.name_zh or row.name_en) for row in rows)
