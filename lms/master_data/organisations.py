"""Organisations: the vendor itself, its buyers, and the manufacturers whose engineers co-teach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.access.roles import Permission, require
from lms.errors import LmsError
from lms.i18n import _
from lms.master_data.records import (
    checked_code,
    checked_text,
    find_by_code,
    refuse_taken_code,
    retire_record,
    save_edit,
    stamp_new,
    version_fields,
)
from lms.models import Organisation, OrganisationKind


@dataclass
class OrganisationFields:
    """What a form or a command gives; None leaves a value as it is (on an edit)."""

    kind: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    city: str | None = None


def organisation_kind_label(kind: str) -> str:
    return {
        "vendor": _("vendor"),
        "buyer": _("buyer"),
        "manufacturer": _("manufacturer"),
    }.get(kind, kind)


def checked_kind(value: str, field: str = "kind") -> str:
    try:
        return OrganisationKind(value.strip().lower()).value
    except ValueError:
        choices = ", ".join(kind.value for kind in OrganisationKind)
        message = _("{value!r} is not one of {choices}").format(value=value, choices=choices)
        raise LmsError(message, field=field) from None


def organisation_snapshot(organisation: Organisation) -> dict[str, Any]:
    return {
        "code": organisation.code,
        "kind": organisation.kind,
        "name_zh": organisation.name_zh,
        "name_en": organisation.name_en,
        "city": organisation.city,
        "version": organisation.version,
        "retired": organisation.retired_at is not None,
    }


def what_organisation(code: str) -> str:
    return _("organisation {code}").format(code=code)


def add_organisation(*, session: Session, code: str, fields: OrganisationFields) -> Organisation:
    """A new organisation; the English name defaults to the Chinese one. The caller commits."""
    require(Permission.manage_organisations)
    code = checked_code(code)
    refuse_taken_code(session, Organisation, code)
    name_zh = checked_text(fields.name_zh, "name_zh", limit=200, required=True) or ""
    organisation = Organisation(
        code=code,
        kind=checked_kind(fields.kind or ""),
        name_zh=name_zh,
        name_en=checked_text(fields.name_en, "name_en", limit=200) or name_zh,
        city=checked_text(fields.city, "city", limit=80),
    )
    return stamp_new(session, organisation, entity="organisation", after=organisation_snapshot(organisation))


def edit_organisation(
    *, session: Session, code: str, fields: OrganisationFields, expect_version: int | None = None
) -> Organisation:
    """Change the values given; refused when the record changed since ``expect_version``. The caller commits."""
    require(Permission.manage_organisations)
    organisation = find_by_code(session, Organisation, code)
    values: dict[str, Any] = {}
    if fields.kind is not None:
        values["kind"] = checked_kind(fields.kind)
    if fields.name_zh is not None:
        values["name_zh"] = checked_text(fields.name_zh, "name_zh", limit=200, required=True)
    if fields.name_en is not None:
        values["name_en"] = checked_text(fields.name_en, "name_en", limit=200) or values.get(
            "name_zh", organisation.name_zh
        )
    if fields.city is not None:
        values["city"] = checked_text(fields.city, "city", limit=80)
    if "kind" in values and values["kind"] != organisation.kind:
        refuse_kind_change(session, organisation)

    def change(target: Organisation) -> None:
        for name, value in values.items():
            setattr(target, name, value)

    save_edit(
        session,
        organisation,
        entity="organisation",
        what=what_organisation(organisation.code),
        loaded_version=expect_version,
        snapshot=organisation_snapshot,
        change=change,
    )
    return organisation


def refuse_kind_change(session: Session, organisation: Organisation) -> None:
    """A buyer with projects stays a buyer: the projects' history names it as one."""
    from lms.models import Project

    if session.exec(select(Project.id).where(Project.buyer_id == organisation.id)).first() is not None:
        raise LmsError(_("{code} is the buyer of projects; its kind cannot change").format(code=organisation.code))


def retire_organisation(
    *, session: Session, code: str, expect_version: int | None = None, reason: str | None = None
) -> Organisation:
    require(Permission.manage_organisations)
    organisation = find_by_code(session, Organisation, code)
    return retire_record(
        session,
        organisation,
        entity="organisation",
        what=what_organisation(organisation.code),
        loaded_version=expect_version,
        snapshot=organisation_snapshot,
        reason=reason,
    )


def organisation_rows(
    *, session: Session, kind: str | None = None, include_retired: bool = False
) -> list[dict[str, Any]]:
    """Organisations by code, retired ones only when asked."""
    statement = select(Organisation).order_by(col(Organisation.code))
    if kind:
        statement = statement.where(Organisation.kind == checked_kind(kind, "--kind"))
    if not include_retired:
        statement = statement.where(col(Organisation.retired_at).is_(None))
    return [
        {
            "code": organisation.code,
            "kind": organisation.kind,
            "name_zh": organisation.name_zh,
            "name_en": organisation.name_en,
            "city": organisation.city,
            **version_fields(organisation),
        }
        for organisation in session.exec(statement)
    ]


def organisation_choices(*, session: Session) -> list[tuple[str, str]]:
    """(code, name) of every organisation still in use, for pickers."""
    statement = select(Organisation).where(col(Organisation.retired_at).is_(None)).order_by(col(Organisation.code))
    return [(organisation.code, organisation.name_zh) for organisation in session.exec(statement)]


def organisation_form_values(*, session: Session, code: str) -> dict[str, Any]:
    """One organisation as a form loads it, with the version its save is checked against."""
    organisation = find_by_code(session, Organisation, code)
    return {**organisation_snapshot(organisation), "name_en": organisation.name_en or ""}
