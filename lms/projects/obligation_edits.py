"""Obligations added from the parser's proposals or a YAML file, and corrected by hand; audited and version-checked.

A proposal goes in only when every field it could not read has been given (``overrides``) or the PM accepts the
defaults for them; anchor, offset and mode have no default, so they must always be given.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from lms.access import audit
from lms.access.edits import claim_version
from lms.access.roles import Permission, require
from lms.errors import LmsError, NotFoundError
from lms.i18n import _
from lms.models import Course, Obligation, Project, utc_now
from lms.models.lookup import find_by_code, project_by_code
from lms.projects.project_edits import refuse_if_stale
from lms.projects.projects_file import ObligationSpec, obligation_values, plain

PROPOSAL_ONLY = ("unknown", "notes")
SPEC_KEYS = tuple(ObligationSpec.model_fields)


def parse_setting(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` with the value read as YAML: ``min_trainees=5``, ``audience=[operator]``, ``anchor=acceptance``."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or key not in SPEC_KEYS:
        raise LmsError(
            _("{text!r} is not KEY=VALUE with a key of {keys}").format(text=text, keys=", ".join(SPEC_KEYS)),
            field="--set",
        )
    try:
        return key, yaml.safe_load(value) if value.strip() else None
    except yaml.YAMLError:
        return key, value.strip()


def spec_from(data: dict[str, Any], where: str) -> ObligationSpec:
    """An ObligationSpec, or one line naming the first field that is wrong."""
    try:
        return ObligationSpec.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or where
        message = str(first["msg"]).removeprefix("Value error, ")
        raise LmsError(message, field=field) from None


def spec_from_proposal(
    proposal: dict[str, Any], code: str, overrides: dict[str, Any], *, accept_unknown: bool
) -> ObligationSpec:
    """The proposal with the PM's answers; refuses while fields the clause did not give are still open."""
    # Still open: not given with --set, and still empty (a PM who filled it in a YAML file has answered it).
    open_fields = [key for key in proposal.get("unknown") or [] if key not in overrides and proposal.get(key) is None]
    if open_fields and not accept_unknown:
        raise LmsError(
            _(
                "the clause does not say {fields}; give them with --set KEY=VALUE, or --accept-unknown to take the "
                "defaults"
            ).format(fields=", ".join(open_fields)),
            field="clause",
        )
    data = {key: value for key, value in proposal.items() if key not in PROPOSAL_ONLY}
    data.update(overrides)
    data["id"] = code
    for key in open_fields:
        if key in ("anchor", "offset", "mode"):
            raise LmsError(_("{key} has no default; give it with --set {key}=…").format(key=key), field=key)
        data.pop(key, None)  # the schema's default: no minimum, any audience, buyer's site
    return spec_from(data, "clause")


def next_code(session: Session, project: Project, pending: set[str] | None = None) -> str:
    """The first free OB-n of the project, past the ids stored and those about to be."""
    taken = set(session.exec(select(Obligation.code).where(Obligation.project_id == project.id)).all())
    taken |= pending or set()
    number = len(taken) + 1
    while f"OB-{number}" in taken:
        number += 1
    return f"OB-{number}"


def check_courses(session: Session, spec: ObligationSpec) -> None:
    for code in spec.courses:
        if find_by_code(session, Course, code) is None:
            raise NotFoundError(_("unknown course {code!r}").format(code=code), field="courses")


def add_obligations(*, session: Session, project_code: str, specs: list[ObligationSpec]) -> list[Obligation]:
    """New obligations of a project; refuses an id the project already has. Audited; the caller commits."""
    require(Permission.edit_projects)
    project = project_by_code(session, project_code)
    assert project.id is not None
    added = []
    for spec in specs:
        exists = session.exec(
            select(Obligation).where(Obligation.project_id == project.id, Obligation.code == spec.id)
        ).first()
        if exists is not None:
            raise LmsError(
                _("{project} already has obligation {code}; use lms obligations edit").format(
                    project=project_code, code=spec.id
                ),
                field="id",
            )
        check_courses(session, spec)
        values = obligation_values(spec)
        obligation = Obligation(
            project_id=project.id, code=spec.id, changed_at=utc_now(), changed_by=audit.current_actor(), **values
        )
        session.add(obligation)
        session.flush()
        audit.record(
            session,
            action="obligation.add",
            entity="obligation",
            key=f"{project_code}/{spec.id}",
            before=None,
            after={key: plain(value) for key, value in values.items()},
        )
        added.append(obligation)
    return added


def find_obligation(session: Session, project_code: str, code: str) -> Obligation:
    project = project_by_code(session, project_code)
    obligation = session.exec(
        select(Obligation).where(Obligation.project_id == project.id, Obligation.code == code)
    ).first()
    if obligation is None:
        raise NotFoundError(
            _("{project} has no obligation {code!r}").format(project=project_code, code=code), field="OBLIGATION"
        )
    return obligation


def project_obligations(session: Session, project_code: str) -> list[Obligation]:
    project = project_by_code(session, project_code)
    return list(
        session.exec(select(Obligation).where(Obligation.project_id == project.id).order_by(col(Obligation.code)))
    )


def spec_fields(obligation: Obligation) -> dict[str, Any]:
    """An obligation as the projects YAML writes it (what a form edits)."""
    offset = f"{obligation.offset_days} {obligation.offset_unit} days {obligation.direction}"
    return {
        "id": obligation.code,
        "clause": obligation.clause_text,
        "clause_ref": obligation.clause_ref,
        "anchor": obligation.anchor or None,
        "offset": offset if obligation.anchor else None,
        "deadline": obligation.deadline,
        "window_days": obligation.window_days,
        "mode": obligation.mode,
        "place": obligation.place,
        "min_trainees": obligation.min_trainees,
        "min_days": obligation.min_days,
        "min_hours": obligation.min_hours,
        "audience": list(obligation.audience or []),
        "curricula": list(obligation.curricula or []),
        "courses": list(obligation.course_codes or []),
        "assessment": obligation.assessment_required,
        "certificate": obligation.certificate_required,
        "reexam": obligation.reexam_required,
        "cadence": obligation.cadence,
        "trainer_roles": list(obligation.required_trainer_roles or []),
    }


def edit_obligation(
    *, session: Session, project_code: str, code: str, expect_version: int | None, changes: dict[str, Any]
) -> tuple[Obligation, dict[str, Any]]:
    """Change an obligation if it still has ``expect_version``; returns it and the columns that changed."""
    require(Permission.edit_projects)
    if "id" in changes and changes["id"] != code:
        raise LmsError(_("an obligation keeps its id"), field="id")
    obligation = find_obligation(session, project_code, code)
    spec = spec_from({**spec_fields(obligation), **changes}, "changes")
    check_courses(session, spec)
    values = obligation_values(spec)
    before = {key: getattr(obligation, key) for key in values}
    changed = {key: value for key, value in values.items() if before[key] != value}
    what = _("obligation {project}/{code}").format(project=project_code, code=code)
    if not changed:
        refuse_if_stale(obligation, expect_version, what)
        return obligation, changed
    claim_version(session, obligation, expect_version, what=what)
    for key, value in changed.items():
        setattr(obligation, key, value)
    session.flush()
    audit.record(
        session,
        action="obligation.edit",
        entity="obligation",
        key=f"{project_code}/{code}",
        before={key: plain(before[key]) for key in changed},
        after={key: plain(value) for key, value in changed.items()},
    )
    return obligation, changed
