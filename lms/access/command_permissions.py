"""One table of who may run which command and open which screen; the command line checks it before a command
parses its arguments, and the services check the same permissions again (``require``) for what they do.

An entry is the set of permissions any one of which allows the command; an empty set means anyone, trainees
included (taking a quiz, checking a certificate). ``tests/lms/test_command_permissions.py`` runs every command for
every role and compares what happens with this table, and fails for a command the table does not list.
"""

from __future__ import annotations

from lms.access.roles import GRANTS, Permission, PermissionDenied, Role, current_role, role_label
from lms.i18n import _

P = Permission
ANYONE: frozenset[Permission] = frozenset()
STAFF = frozenset({P.view_planning})


def _one(permission: Permission) -> frozenset[Permission]:
    return frozenset({permission})


COMMANDS: dict[str, frozenset[Permission]] = {
    # Anyone: a trainee's own quiz and survey, checking a certificate, reading the calendar.
    "quiz take": ANYONE,
    "feedback take": ANYONE,
    "certs verify": ANYONE,
    "calendar workdays": ANYONE,
    # Looking at the plan: every member of staff.
    "doctor": STAFF,
    "tui": STAFF,
    "serve": STAFF,
    "courses list": STAFF,
    "courses schema": STAFF,
    "courses validate": STAFF,
    "projects list": STAFF,
    "obligations list": STAFF,
    "obligations parse": STAFF,
    "obligations status": STAFF,
    "orgs list": STAFF,
    "people list": STAFF,
    "people show": STAFF,
    "rooms list": STAFF,
    "schedule conflicts": STAFF,
    "schedule export-ics": STAFF,
    "sessions list": STAFF,
    "sessions show": STAFF,
    "skills qualified": STAFF,
    "dispatch list": STAFF,
    "feedback survey": STAFF,
    "certs keys export": STAFF,
    "certs keys list": STAFF,
    # Planning sessions, rosters and attendance.
    "schedule auto": _one(P.schedule),
    "schedule import-busy": _one(P.schedule),
    "sessions new": _one(P.schedule),
    "sessions confirm": _one(P.schedule),
    "sessions cancel": _one(P.schedule),
    "sessions close": _one(P.schedule),
    "sessions duplicate": _one(P.schedule),
    "attendance mark": _one(P.schedule),
    "roster add": frozenset({P.schedule, P.manage_trainees}),
    "roster import": frozenset({P.schedule, P.manage_trainees}),
    "roster remove": _one(P.schedule),
    "roster replace": _one(P.schedule),
    "roster codes": _one(P.schedule),
    "report signin": _one(P.schedule),
    "report attach-signin": _one(P.schedule),
    "report materials": _one(P.schedule),
    "report materials-sent": _one(P.schedule),
    "feedback import": _one(P.schedule),
    "web": _one(P.schedule),
    # Projects and obligations.
    "projects new": _one(P.edit_projects),
    "projects edit": _one(P.edit_projects),
    "projects import": _one(P.edit_projects),
    "projects set-date": _one(P.edit_projects),
    "obligations add": _one(P.edit_projects),
    "obligations edit": _one(P.edit_projects),
    # Master data.
    "orgs add": _one(P.manage_organisations),
    "orgs edit": _one(P.manage_organisations),
    "orgs retire": _one(P.manage_organisations),
    "people add": frozenset({P.manage_people, P.manage_trainees}),
    "people edit": frozenset({P.manage_people, P.manage_trainees}),
    "people retire": frozenset({P.manage_people, P.manage_trainees}),
    "rooms add": frozenset({P.manage_trainees, P.manage_organisations}),
    "rooms edit": frozenset({P.manage_trainees, P.manage_organisations}),
    "rooms retire": frozenset({P.manage_trainees, P.manage_organisations}),
    "master-data export": _one(P.manage_people),
    "master-data import": _one(P.manage_people),
    # Courses and question banks.
    "courses import": _one(P.manage_courses),
    "quiz import-gift": _one(P.manage_courses),
    "quiz export-gift": _one(P.view_keys),
    # Assessment: papers before the exam, marks, grades, results.
    "quiz paper": _one(P.grade),
    "quiz grade": _one(P.grade),
    "quiz mark": _one(P.grade),
    "quiz regrade": _one(P.grade),
    "quiz tutoring": _one(P.grade),
    "quiz results": _one(P.view_results),
    "quiz stats": _one(P.view_results),
    "feedback list": _one(P.view_reports),
    "feedback results": _one(P.view_reports),
    # Certificates, skills and dispatch.
    "certs issue": _one(P.issue_certificates),
    "certs list": _one(P.view_results),
    "certs revoke": _one(P.manage_certificates),
    "certs reissue": _one(P.manage_certificates),
    "certs keys rotate": _one(P.administer),
    "skills add": _one(P.edit_skills),
    "skills matrix": _one(P.view_results),
    "skills expiring": _one(P.view_results),
    "skills show": _one(P.view_results),
    "dispatch add": _one(P.dispatch),
    "dispatch cancel": _one(P.dispatch),
    # Reports for project managers (they hold everyone's scores: never for trainees).
    "report compliance": _one(P.view_reports),
    "report plan": _one(P.view_reports),
    "report session": _one(P.view_reports),
    # Running the installation.
    "init": _one(P.administer),
    "demo": _one(P.administer),
    "backup": _one(P.administer),
    "restore": _one(P.administer),
    "audit verify": _one(P.administer),
    "audit log": _one(P.administer),
    "calendar import-notice": _one(P.administer),
}

# Screens of the planning app (scheduler_tui), by their place name: the same permissions.
SCREENS: dict[str, frozenset[Permission]] = {
    "dashboard": STAFF,
    "projects": STAFF,
    "calendar": STAFF,
    "sessions": STAFF,
    "autoschedule": _one(P.schedule),
    "roster": STAFF,
    "trainers": STAFF,
    "skills": _one(P.view_results),
    "portfolio": _one(P.view_reports),
    "feedback": _one(P.view_reports),
    "masterdata": STAFF,
}


def may_open(place: str, role: Role) -> bool:
    """Whether ``role`` may open the planning app's screen ``place`` (a screen not listed is for staff)."""
    needed = SCREENS.get(place, STAFF)
    return not needed or bool(needed & GRANTS[role])


def may_run(command: str, role: Role) -> bool:
    needed = COMMANDS[command]
    return not needed or bool(needed & GRANTS[role])


def require_command(command: str) -> None:
    """Refuse ``command`` (its words, e.g. ``certs keys rotate``) unless the current role may run it.

    Raises:
        PermissionDenied: naming the role and the command; also for a command the table does not list, so a new
            command is closed until someone decides who may run it.
    """
    role = current_role()
    if command not in COMMANDS:
        raise PermissionDenied(
            _("no role may run lms {command} until it is listed in the permission table").format(command=command)
        )
    if not may_run(command, role):
        needed = " / ".join(sorted(COMMANDS[command]))
        raise PermissionDenied(
            _("the {role} role may not run lms {command} ({permission})").format(
                role=role_label(role), command=command, permission=needed
            )
        )
