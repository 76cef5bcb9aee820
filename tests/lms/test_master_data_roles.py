"""Who may keep which master data, checked for every role: HR and the administrator keep everyone and the
organisations; trainers add buyer trainees and rooms; project managers add buyers; trainees nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from lms.access.roles import GRANTS, Permission, PermissionDenied, Role, acting_as
from lms.master_data.organisations import OrganisationFields, add_organisation
from lms.master_data.people import PersonFields, add_person, edit_person, retire_person
from lms.master_data.rooms import RoomFields, add_room

TRAINEE_ID = "110101199003071233"
CORRECTED_ID = "11010119900307125X"


def world(session: Session) -> None:
    add_organisation(session=session, code="V", fields=OrganisationFields(kind="vendor", name_zh="供应商"))
    add_organisation(session=session, code="B", fields=OrganisationFields(kind="buyer", name_zh="买方"))
    fields = PersonFields(kind="buyer_staff", name="学员", organisation="B", id_number=TRAINEE_ID)
    add_person(session=session, code="S1", fields=fields)
    add_person(session=session, code="T1", fields=PersonFields(kind="trainer", name="讲师", organisation="V"))


ACTIONS: dict[str, tuple[Callable[[Session], object], set[Role]]] = {
    "add a buyer": (
        lambda s: add_organisation(session=s, code="B2", fields=OrganisationFields(kind="buyer", name_zh="新买方")),
        {Role.admin, Role.hr, Role.project_manager},
    ),
    "add a trainer": (
        lambda s: add_person(session=s, code="T2", fields=PersonFields(kind="trainer", name="乙", organisation="V")),
        {Role.admin, Role.hr},
    ),
    "add a buyer trainee": (
        lambda s: add_person(
            session=s, code="S2", fields=PersonFields(kind="buyer_staff", name="丙", organisation="B")
        ),
        {Role.admin, Role.hr, Role.trainer},
    ),
    "edit a buyer trainee's phone": (
        lambda s: edit_person(session=s, code="S1", fields=PersonFields(phone="13800138000")),
        {Role.admin, Role.hr, Role.trainer},
    ),
    "correct a buyer trainee's ID number": (
        lambda s: edit_person(session=s, code="S1", fields=PersonFields(id_number=CORRECTED_ID), reason="typo"),
        {Role.admin, Role.hr},
    ),
    "make a trainee a trainer": (
        lambda s: edit_person(session=s, code="S1", fields=PersonFields(kind="trainer")),
        {Role.admin, Role.hr},
    ),
    "retire a trainer": (lambda s: retire_person(session=s, code="T1"), {Role.admin, Role.hr}),
    "add a room": (
        lambda s: add_room(session=s, code="R1", fields=RoomFields(name="教室", city="杭州", capacity=20)),
        {Role.admin, Role.hr, Role.trainer},
    ),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_keeps_what_it_owns(session: Session, role: Role, action: str) -> None:
    world(session)
    do, allowed = ACTIONS[action]
    with acting_as(role):
        if role in allowed:
            do(session)
        else:
            with pytest.raises(PermissionDenied):
                do(session)


def test_the_grants_say_so() -> None:
    holders = {p: {role for role, granted in GRANTS.items() if p in granted} for p in Permission}
    assert holders[Permission.manage_people] == {Role.admin, Role.hr}
    assert holders[Permission.manage_trainees] == {Role.admin, Role.hr, Role.trainer}
    assert holders[Permission.manage_organisations] == {Role.admin, Role.hr, Role.project_manager}


def test_a_correction_needs_a_reason(session: Session) -> None:
    world(session)
    from lms.errors import LmsError

    with pytest.raises(LmsError, match="say why"):
        edit_person(session=session, code="S1", fields=PersonFields(id_number=CORRECTED_ID))
