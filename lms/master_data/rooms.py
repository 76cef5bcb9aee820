"""Rooms and sites: where training happens (a training-centre room, a room at a buyer's site), with its capacity."""

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
    refuse_retired,
    refuse_taken_code,
    retire_record,
    save_edit,
    stamp_new,
    version_fields,
)
from lms.models import Organisation, Room

MAX_CAPACITY = 10_000


@dataclass
class RoomFields:
    """What a form or a command gives; None leaves a value as it is (on an edit); ``organisation`` "" clears it."""

    name: str | None = None
    city: str | None = None
    capacity: int | str | None = None
    organisation: str | None = None
    address: str | None = None


def checked_capacity(value: int | str, field: str = "capacity") -> int:
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_CAPACITY:
        raise LmsError(_("a whole number of places from 1 to {limit}").format(limit=MAX_CAPACITY), field=field)
    return int(text)


def room_snapshot(room: Room) -> dict[str, Any]:
    return {
        "code": room.code,
        "name": room.name,
        "city": room.city,
        "capacity": room.capacity,
        "organisation_id": room.organisation_id,
        "address": room.address,
        "version": room.version,
        "retired": room.retired_at is not None,
    }


def what_room(code: str) -> str:
    return _("room {code}").format(code=code)


def room_values(session: Session, fields: RoomFields, *, new: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if new or fields.name is not None:
        values["name"] = checked_text(fields.name, "name", limit=200, required=True)
    if new or fields.city is not None:
        values["city"] = checked_text(fields.city, "city", limit=80, required=True)
    if fields.capacity is not None and str(fields.capacity).strip():
        values["capacity"] = checked_capacity(fields.capacity)
    if fields.address is not None:
        values["address"] = checked_text(fields.address, "address", limit=300)
    if fields.organisation is not None:
        values["organisation_id"] = None
        if fields.organisation.strip():
            organisation = find_by_code(session, Organisation, fields.organisation, "organisation")
            refuse_retired(organisation, "organisation")
            values["organisation_id"] = organisation.id
    return values


def add_room(*, session: Session, code: str, fields: RoomFields) -> Room:
    require(Permission.manage_trainees)
    code = checked_code(code)
    refuse_taken_code(session, Room, code)
    room = Room(code=code, **room_values(session, fields, new=True))
    return stamp_new(session, room, entity="room", after=room_snapshot(room))


def edit_room(*, session: Session, code: str, fields: RoomFields, expect_version: int | None = None) -> Room:
    require(Permission.manage_trainees)
    room = find_by_code(session, Room, code)
    values = room_values(session, fields, new=False)

    def change(target: Room) -> None:
        for name, value in values.items():
            setattr(target, name, value)

    save_edit(
        session,
        room,
        entity="room",
        what=what_room(room.code),
        loaded_version=expect_version,
        snapshot=room_snapshot,
        change=change,
    )
    return room


def retire_room(*, session: Session, code: str, expect_version: int | None = None, reason: str | None = None) -> Room:
    require(Permission.manage_trainees)
    room = find_by_code(session, Room, code)
    return retire_record(
        session,
        room,
        entity="room",
        what=what_room(room.code),
        loaded_version=expect_version,
        snapshot=room_snapshot,
        reason=reason,
    )


def room_rows(*, session: Session, city: str | None = None, include_retired: bool = False) -> list[dict[str, Any]]:
    statement = (
        select(Room, Organisation)
        .outerjoin(Organisation, col(Organisation.id) == Room.organisation_id)
        .order_by(col(Room.code))
    )
    if city:
        statement = statement.where(Room.city == city.strip())
    if not include_retired:
        statement = statement.where(col(Room.retired_at).is_(None))
    return [
        {
            "code": room.code,
            "name": room.name,
            "city": room.city,
            "capacity": room.capacity,
            "organisation": organisation.code if organisation else None,
            "address": room.address,
            **version_fields(room),
        }
        for room, organisation in session.exec(statement)
    ]


def room_form_values(*, session: Session, code: str) -> dict[str, Any]:
    """One room as a form loads it, with the version its save is checked against."""
    room = find_by_code(session, Room, code)
    organisation = session.get(Organisation, room.organisation_id) if room.organisation_id else None
    return {**room_snapshot(room), "organisation": organisation.code if organisation else None}
