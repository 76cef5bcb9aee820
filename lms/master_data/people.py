"""People: trainers, engineers and buyer trainees, with titles (technical lead, manufacturer engineer) and ID numbers.

Who may change whom: HR (and the administrator) keep everyone; trainers add and edit buyer trainees, but correcting
a name or ID number that a certificate shows is HR's (``manage_people``), and needs a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from lms.access.roles import Permission, require, shown_id_number
from lms.calendars.dates import working_today
from lms.errors import LmsError
from lms.fonts.coverage import refuse_unprintable
from lms.i18n import _
from lms.master_data.corrections import certificate_rows_of, certificates_to_reissue, holds_certificates
from lms.master_data.identity_documents import id_number_problem, id_type_of, normalise_id_number, parse_id_type
from lms.master_data.records import (
    checked_code,
    checked_email,
    checked_phone,
    checked_text,
    find_by_code,
    refuse_retired,
    refuse_taken_code,
    retire_record,
    save_edit,
    stamp_new,
    version_fields,
)
from lms.models import Organisation, Person, PersonKind, mask_id_number

TEXT_LIMITS = {"name_en": 100, "title": 100, "employee_number": 40, "home_city": 80}


@dataclass
class PersonFields:
    """What a form or a command gives; None leaves a value as it is (on an edit), "" clears an optional one."""

    kind: str | None = None
    name: str | None = None
    name_en: str | None = None
    organisation: str | None = None
    title: str | None = None
    id_number: str | None = None
    id_type: str | None = None
    employee_number: str | None = None
    phone: str | None = None
    email: str | None = None
    home_city: str | None = None
    is_technical_lead: bool | None = None


@dataclass
class PersonEdit:
    """What an edit did: the values before and after, and the valid certificates that still show the old ones."""

    person: Person
    before: dict[str, Any]
    after: dict[str, Any]
    to_reissue: list[dict[str, Any]] = field(default_factory=list)


def person_kind_label(kind: str) -> str:
    return {
        "trainer": _("trainer"),
        "engineer": _("engineer"),
        "buyer_staff": _("buyer trainee"),
    }.get(kind, kind)


def checked_kind(value: str, field: str = "kind") -> str:
    try:
        return PersonKind(value.strip().lower()).value
    except ValueError:
        choices = ", ".join(kind.value for kind in PersonKind)
        message = _("{value!r} is not one of {choices}").format(value=value, choices=choices)
        raise LmsError(message, field=field) from None


def checked_id_number(value: str, id_type: str | None) -> str | None:
    number = normalise_id_number(value)
    if not number:
        return None
    problem = id_number_problem(number, parse_id_type(id_type), today=working_today())
    if problem:
        raise LmsError(problem, field="id_number")
    return number


def person_snapshot(person: Person) -> dict[str, Any]:
    """The person as the audit log keeps them; the ID number masked, since trainers may read the log."""
    return {
        "code": person.code,
        "kind": person.kind,
        "name": person.name,
        "name_en": person.name_en,
        "organisation_id": person.organisation_id,
        "title": person.title,
        "is_technical_lead": person.is_technical_lead,
        "id_number": mask_id_number(person.id_number),
        "employee_number": person.employee_number,
        "phone": person.phone,
        "email": person.email,
        "home_city": person.home_city,
        "version": person.version,
        "retired": person.retired_at is not None,
    }


def what_person(code: str) -> str:
    return _("person {code}").format(code=code)


def person_values(session: Session, fields: PersonFields, *, new: bool) -> dict[str, Any]:
    """The checked values to store, each error naming its field."""
    values: dict[str, Any] = {}
    if new or fields.kind is not None:
        values["kind"] = checked_kind(fields.kind or "")
    if new or fields.name is not None:
        values["name"] = checked_text(fields.name, "name", limit=100, required=True)
        refuse_unprintable(values["name"], "name")  # a certificate must be able to print it
    if new or fields.organisation is not None:
        if not (fields.organisation or "").strip():
            raise LmsError(_("say which organisation the person belongs to"), field="organisation")
        organisation = find_by_code(session, Organisation, fields.organisation or "", "organisation")
        refuse_retired(organisation, "organisation")
        values["organisation_id"] = organisation.id
    for name, limit in TEXT_LIMITS.items():
        given = getattr(fields, name)
        if given is not None:
            values[name] = checked_text(given, name, limit=limit)
    if fields.id_number is not None:
        values["id_number"] = checked_id_number(fields.id_number, fields.id_type)
    if fields.phone is not None:
        values["phone"] = checked_phone(fields.phone)
    if fields.email is not None:
        values["email"] = checked_email(fields.email)
    if fields.is_technical_lead is not None:
        values["is_technical_lead"] = fields.is_technical_lead
    return values


def refuse_duplicate_id_number(session: Session, number: str | None, person_id: int | None) -> None:
    if not number:
        return
    other = session.exec(select(Person).where(Person.id_number == number, Person.id != person_id)).first()
    if other is not None:
        message = _("{code} ({name}) already has this ID number").format(code=other.code, name=other.name)
        raise LmsError(message, field="id_number")


def require_for(kinds: set[str], *, correction: bool = False) -> None:
    """Trainers keep buyer trainees; everyone else, and every correction of a certified value, is HR's."""
    if correction or kinds - {PersonKind.buyer_staff}:
        require(Permission.manage_people)
    else:
        require(Permission.manage_trainees)


def add_person(*, session: Session, code: str, fields: PersonFields) -> Person:
    """A new person at version 1, audited. The caller commits."""
    code = checked_code(code)
    require_for({checked_kind(fields.kind or "")})
    refuse_taken_code(session, Person, code)
    values = person_values(session, fields, new=True)
    refuse_duplicate_id_number(session, values.get("id_number"), None)
    person = Person(code=code, **values)
    return stamp_new(session, person, entity="person", after=person_snapshot(person))


def edit_person(
    *,
    session: Session,
    code: str,
    fields: PersonFields,
    expect_version: int | None = None,
    reason: str | None = None,
) -> PersonEdit:
    """Change the values given, checked against the version loaded; a correction of a name or ID number that a
    certificate shows needs ``manage_people`` and a reason, and the result lists the certificates to re-issue."""
    person = find_by_code(session, Person, code)
    values = person_values(session, fields, new=False)
    changed = {name for name, value in values.items() if getattr(person, name) != value}
    id_changed = "id_number" in changed and person.id_number is not None
    correction = id_changed or ("name" in changed and holds_certificates(session, person))
    require_for({person.kind, values.get("kind", person.kind)}, correction=correction)
    reason = " ".join((reason or "").split()) or None
    if correction and not reason:
        raise LmsError(_("say why the name or ID number is corrected"), field="reason")
    refuse_duplicate_id_number(session, values.get("id_number"), person.id)
    old_masked = mask_id_number(person.id_number)

    def change(target: Person) -> None:
        for name, value in values.items():
            setattr(target, name, value)

    before, after = save_edit(
        session,
        person,
        entity="person",
        what=what_person(person.code),
        loaded_version=expect_version,
        snapshot=person_snapshot,
        change=change,
        action="correct" if correction else "edit",
        reason=reason,
    )
    id_shown_changed = mask_id_number(person.id_number) != old_masked
    return PersonEdit(person, before, after, certificates_to_reissue(session, person, id_changed=id_shown_changed))


def retire_person(
    *, session: Session, code: str, expect_version: int | None = None, reason: str | None = None
) -> Person:
    person = find_by_code(session, Person, code)
    require_for({person.kind})
    return retire_record(
        session,
        person,
        entity="person",
        what=what_person(person.code),
        loaded_version=expect_version,
        snapshot=person_snapshot,
        reason=reason,
    )


def person_rows(
    *,
    session: Session,
    kind: str | None = None,
    organisation: str | None = None,
    include_retired: bool = False,
) -> list[dict[str, Any]]:
    """People by code with their organisation; ID numbers as the role may see them (masked but for HR)."""
    statement = (
        select(Person, Organisation)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .order_by(col(Person.code))
    )
    if kind:
        statement = statement.where(Person.kind == checked_kind(kind, "--kind"))
    if organisation:
        statement = statement.where(Organisation.code == organisation.strip())
    if not include_retired:
        statement = statement.where(col(Person.retired_at).is_(None))
    return [person_row(person, org) for person, org in session.exec(statement)]


def person_row(person: Person, organisation: Organisation) -> dict[str, Any]:
    return {
        "code": person.code,
        "kind": person.kind,
        "name": person.name,
        "name_en": person.name_en,
        "organisation": organisation.code,
        "title": person.title,
        "is_technical_lead": person.is_technical_lead,
        "manufacturer_engineer": organisation.kind == "manufacturer",
        "id_number": shown_id_number(person),
        "employee_number": person.employee_number,
        "phone": person.phone,
        "email": person.email,
        "home_city": person.home_city,
        **version_fields(person),
    }


def person_details(*, session: Session, code: str) -> dict[str, Any]:
    """One person as ``people show`` prints them, with every certificate and whether it needs re-issuing."""
    person = find_by_code(session, Person, code)
    organisation = session.get(Organisation, person.organisation_id)
    assert organisation is not None
    pending = {row["serial"] for row in certificates_to_reissue(session, person, id_changed=False)}
    certificates = [{**row, "needs_reissue": row["serial"] in pending} for row in certificate_rows_of(session, person)]
    id_type = id_type_of(person.id_number) if person.id_number else None
    return {**person_row(person, organisation), "id_type": id_type, "certificates": certificates}


def person_form_values(*, session: Session, code: str) -> dict[str, Any]:
    """One person as a form loads them (ID number as the role may see it), with the version to check against."""
    person = find_by_code(session, Person, code)
    organisation = session.get(Organisation, person.organisation_id)
    assert organisation is not None
    id_type = id_type_of(person.id_number).value if person.id_number else None
    return {**person_row(person, organisation), "id_type": id_type}
