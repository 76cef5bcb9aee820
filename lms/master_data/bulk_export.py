"""Master data as a file a vendor keeps: every organisation, person and room, as YAML or as CSV.

Both formats hold the same records with the same field names. YAML has three lists (``organisations``,
``people``, ``rooms``); CSV has one table whose ``record`` column says which kind a row is. Records come sorted
by code and fields in a fixed order, so exporting, importing into an empty database and exporting again gives
the same file. Versions and who changed what stay in the database (and its audit log): a file is not a history.
CSV goes through :mod:`lms.files.csvout` (UTF-8 with BOM, formula prefixes neutralised with a single quote, which
the import takes off again).
"""

from __future__ import annotations

from typing import Any

import yaml
from sqlmodel import Session, col, select

from lms.access.roles import Permission, require
from lms.files.csvout import csv_text
from lms.master_data.identity_documents import id_type_of
from lms.master_data.records import local_day
from lms.models import Organisation, Person, Room

SECTIONS = {"organisations": "organisation", "people": "person", "rooms": "room"}
FIELDS: dict[str, tuple[str, ...]] = {
    "organisation": ("code", "kind", "name", "name_en", "city", "retired_on"),
    "person": (
        "code",
        "kind",
        "name",
        "name_en",
        "organisation",
        "city",
        "title",
        "is_technical_lead",
        "id_type",
        "id_number",
        "employee_number",
        "phone",
        "email",
        "retired_on",
    ),
    "room": ("code", "name", "organisation", "city", "address", "capacity", "retired_on"),
}
# One file holds every kind of record: the columns are every field once, in a person's order, the date retired last.
COLUMNS = (
    "record",
    *dict.fromkeys(
        name for kind in ("person", "organisation", "room") for name in FIELDS[kind] if name != "retired_on"
    ),
    "retired_on",
)
HEADER_COMMENT = "# lms master data: lms master-data import FILE reads it back\n"


def master_data_records(*, session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every record, retired ones too, as plain values by section; empty values left out."""
    require(Permission.manage_people)
    organisations = {o.id: o for o in session.exec(select(Organisation).order_by(col(Organisation.code)))}
    sections: dict[str, list[dict[str, Any]]] = {
        "organisations": [organisation_record(o) for o in organisations.values()],
        "people": [
            person_record(p, organisations[p.organisation_id])
            for p in session.exec(select(Person).order_by(col(Person.code)))
        ],
        "rooms": [
            room_record(r, organisations.get(r.organisation_id))
            for r in session.exec(select(Room).order_by(col(Room.code)))
        ],
    }
    return {name: [{k: v for k, v in row.items() if _written(v)} for row in rows] for name, rows in sections.items()}


def _written(value: Any) -> bool:
    return value is not None and value != "" and value is not False


def organisation_record(organisation: Organisation) -> dict[str, Any]:
    return {
        "code": organisation.code,
        "kind": organisation.kind,
        "name": organisation.name_zh,
        "name_en": organisation.name_en,
        "city": organisation.city,
        "retired_on": _day_text(organisation),
    }


def person_record(person: Person, organisation: Organisation) -> dict[str, Any]:
    return {
        "code": person.code,
        "kind": person.kind,
        "name": person.name,
        "name_en": person.name_en,
        "organisation": organisation.code,
        "city": person.home_city,
        "title": person.title,
        "is_technical_lead": person.is_technical_lead,
        "id_type": id_type_of(person.id_number).value if person.id_number else None,
        "id_number": person.id_number,
        "employee_number": person.employee_number,
        "phone": person.phone,
        "email": person.email,
        "retired_on": _day_text(person),
    }


def room_record(room: Room, organisation: Organisation | None) -> dict[str, Any]:
    return {
        "code": room.code,
        "name": room.name,
        "organisation": organisation.code if organisation else None,
        "city": room.city,
        "address": room.address,
        "capacity": room.capacity,
        "retired_on": _day_text(room),
    }


def _day_text(record: Organisation | Person | Room) -> str | None:
    day = local_day(record.retired_at)
    return day.isoformat() if day else None


def yaml_text(sections: dict[str, list[dict[str, Any]]]) -> str:
    body = yaml.safe_dump(sections, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return HEADER_COMMENT + body


def csv_export_text(sections: dict[str, list[dict[str, Any]]]) -> str:
    rows = []
    for section, records in sections.items():
        for record in records:
            values = {**record, "record": SECTIONS[section]}
            if values.get("is_technical_lead"):
                values["is_technical_lead"] = "yes"
            rows.append([values.get(column) for column in COLUMNS])
    return csv_text(COLUMNS, rows)
