"""Who may see and do what: trainers, HR, project managers, trainees (and an administrator for a single-user install).

The services check permissions themselves (:func:`require`), so a screen that forgets to hide a button, or a command
typed by hand, still cannot do what the role may not. The role of the person at the keyboard comes from ``LMS_ROLE``,
else from the configuration (``access.users`` maps login names to roles, ``access.default_role`` covers the rest);
the trainee quiz app always runs as ``trainee``. A single-user install defaults to ``admin``.

Roles keep each person to their job on a shared system. On a shared PostgreSQL server, a hard boundary between roles
comes from giving each its own database login with matching grants (see CONTRIBUTING.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import TYPE_CHECKING

from lms.errors import LmsError
from lms.i18n import _

if TYPE_CHECKING:  # the command line checks roles before it imports the ORM (``lms tui`` paints first)
    from lms.models import Person


class Role(StrEnum):
    admin = "admin"
    trainer = "trainer"
    hr = "hr"
    project_manager = "project_manager"
    trainee = "trainee"


class Permission(StrEnum):
    schedule = "schedule"  # create, move, confirm, cancel sessions; rosters and attendance
    edit_projects = "edit_projects"  # import projects, move milestones, edit obligations
    grade = "grade"  # trainer marks, regrades, recording typed-in answer sheets
    view_keys = "view_keys"  # answer keys: trainer's key papers, GIFT export
    view_results = "view_results"  # everyone's results
    issue_certificates = "issue_certificates"
    manage_certificates = "manage_certificates"  # revoke and re-issue
    edit_skills = "edit_skills"  # outside certificates, skill records
    view_id_numbers = "view_id_numbers"  # full ID numbers (otherwise masked)
    view_reports = "view_reports"  # compliance, evidence packs, plans
    administer = "administer"  # backup, restore, key rotation
    manage_courses = "manage_courses"  # import course YAML and GIFT question banks
    manage_people = "manage_people"  # people of every kind, their ID numbers and name corrections; bulk master data
    manage_trainees = "manage_trainees"  # buyer trainees (not their corrections once certified) and rooms
    manage_organisations = "manage_organisations"  # vendors, buyers, manufacturers
    dispatch = "dispatch"  # send engineers to a project's site
    override_conflicts = "override_conflicts"  # confirm a session despite open problems, with a reason (admin only)
    view_planning = (
        "view_planning"  # projects, sessions, people, rooms and calendars as they stand: every member of staff
    )


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.trainer: frozenset(
        {
            Permission.view_planning,
            Permission.schedule,
            Permission.edit_projects,
            Permission.grade,
            Permission.view_keys,
            Permission.view_results,
            Permission.issue_certificates,
            Permission.view_reports,
            Permission.manage_courses,
            Permission.manage_trainees,
        }
    ),
    Role.hr: frozenset(
        {
            Permission.view_planning,
            Permission.manage_people,
            Permission.manage_trainees,
            Permission.manage_organisations,
            Permission.view_results,
            Permission.issue_certificates,
            Permission.manage_certificates,
            Permission.edit_skills,
            Permission.view_id_numbers,
            Permission.view_reports,
            Permission.dispatch,
        }
    ),
    Role.project_manager: frozenset(
        {
            Permission.view_planning,
            Permission.edit_projects,
            Permission.view_results,
            Permission.view_reports,
            Permission.manage_organisations,
            Permission.dispatch,
        }
    ),
    Role.trainee: frozenset(),
}

_role: ContextVar[Role | None] = ContextVar("lms_role", default=None)
_process_role: Role | None = None  # set once for a whole process (the quiz app); worker threads see it too


class PermissionDenied(LmsError):
    """The current role may not do this; one line naming the role and what was refused."""


def parse_role(value: str, field: str = "role") -> Role:
    try:
        return Role(value.strip().lower().replace("-", "_"))
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise LmsError(
            _("{value!r} is not a role ({choices})").format(value=value, choices=choices), field=field
        ) from None


def configured_role() -> Role:
    """The role from ``LMS_ROLE`` or the configuration, for the person at the keyboard."""
    explicit = os.environ.get("LMS_ROLE")
    if explicit:
        return parse_role(explicit, "LMS_ROLE")
    from lms.access.identity import login_name
    from lms.config import settings

    access = settings().access
    return parse_role(access.users.get(login_name(), access.default_role), "access")


def current_role() -> Role:
    return _role.get() or _process_role or configured_role()


@contextmanager
def acting_as(role: Role) -> Iterator[None]:
    """Run a block as ``role`` (the quiz app runs as a trainee; tests check refusals)."""
    token = _role.set(role)
    try:
        yield
    finally:
        _role.reset(token)


def set_role(role: Role | None) -> None:
    """Fix the role for the rest of this process, threads included (``None``: back to the configured one)."""
    global _process_role
    _process_role = role


def allowed(permission: Permission, role: Role | None = None) -> bool:
    return permission in GRANTS[role or current_role()]


def require(permission: Permission) -> None:
    """Refuse unless the current role has ``permission``."""
    role = current_role()
    if permission not in GRANTS[role]:
        raise PermissionDenied(
            _("the {role} role may not do this ({permission})").format(role=role_label(role), permission=permission)
        )


def role_label(role: Role) -> str:
    return {
        Role.admin: _("administrator"),
        Role.trainer: _("trainer"),
        Role.hr: _("HR"),
        Role.project_manager: _("project manager"),
        Role.trainee: _("trainee"),
    }[role]


def shown_id_number(person: Person) -> str:
    """The ID number as this role may see it: whole for HR, masked (1101**********1234) for everyone else."""
    from lms.models import mask_id_number

    if allowed(Permission.view_id_numbers):
        return person.id_number or ""
    return mask_id_number(person.id_number)
