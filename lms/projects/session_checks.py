"""Checking one session against an obligation's clause: audience, days, hours, trainees present,
trainers, assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lms.calendars.workdays import (
    CalendarCoverageError,
    WorkdayCalendar,
)
from lms.credentials.eligibility import attendance_problems, attendance_share
from lms.i18n import _
from lms.models import (
    Attempt,
    Attendance,
    Certificate,
    Course,
    CourseModule,
    CourseVersion,
    Obligation,
    Organisation,
    Person,
    Project,
    Room,
    RosterEntry,
    SessionDay,
    SessionStatus,
    SessionTrainer,
    TrainingSession,
)
from lms.projects.periods import Period, SessionCheck

HELD = (SessionStatus.held, SessionStatus.closed)  # measured by attendance; ``held`` is settled from it


@dataclass
class Context:
    """What checking sessions against a clause needs, loaded once per obligation."""

    obligation: Obligation
    project: Project
    calendar: WorkdayCalendar
    today: dt.date


def check_session(session: Session, context: Context, training: TrainingSession, period: Period) -> SessionCheck:
    """Measure one session against everything the clause asks (held sessions by attendance, others by plan)."""
    obligation, project = context.obligation, context.project
    days = list(
        session.exec(select(SessionDay).where(SessionDay.session_id == training.id).order_by(col(SessionDay.day)))
    )
    check = SessionCheck(training.code, training.status, training.first_day, training.last_day)
    if not period.start <= training.first_day <= period.end:
        check.add(
            "window",
            _("starts {day}, outside the window {start}–{end}").format(
                day=training.first_day, start=period.start, end=period.end
            ),
        )
    if obligation.mode != training.mode and not (obligation.mode == "on_site" and training.mode == "centralised"):
        check.add(
            "mode",
            _("mode is {actual}, the clause asks for {expected}").format(
                actual=training.mode, expected=obligation.mode
            ),
        )
    room = session.get(Room, training.room_id) if training.room_id is not None else None
    at_buyer = room is None or room.organisation_id == project.buyer_id
    if obligation.place == "buyer_site" and training.mode != "online" and not at_buyer:
        check.add("place", _("held in a training room, the clause asks for the buyer's site"))
    if obligation.place == "training_centre" and at_buyer:
        check.add("place", _("held at the buyer's site, the clause asks for a training centre"))
    try:
        working = [day for day in days if context.calendar.is_working_day(day.day)]
    except CalendarCoverageError:
        working = days
    if len(working) < len(days) and training.status in ("planned", "confirmed"):  # e.g. a notice made it a day off
        off = ", ".join(day.day.isoformat() for day in days if day not in working)
        check.add("day_off", _("meets on {days}, which is not a working day").format(days=off))
    if obligation.min_days and len(working) < obligation.min_days:
        check.add(
            "duration",
            _("{days} working days, the clause asks for at least {minimum}").format(
                days=len(working), minimum=f"{obligation.min_days:g}"
            ),
        )
    hours = sum(day.hours for day in days)
    if obligation.min_hours and hours < obligation.min_hours:
        check.add(
            "hours",
            _("{hours} hours, the clause asks for at least {minimum}").format(
                hours=f"{hours:g}", minimum=f"{obligation.min_hours:g}"
            ),
        )
    version = session.get(CourseVersion, training.course_version_id)
    course = session.get(Course, version.course_id) if version else None
    if obligation.course_codes and course and course.code not in obligation.course_codes:
        check.add("course", _("course {code} is not one the clause names").format(code=course.code))
    if obligation.curricula and version:
        covered = set(session.exec(select(CourseModule.curriculum).where(CourseModule.course_version_id == version.id)))
        missing = [c for c in obligation.curricula if c not in covered]
        if missing:
            check.add("curricula", _("curricula not covered: {missing}").format(missing=", ".join(missing)))
    for message in trainer_mix_problems(session, obligation, training):
        check.add("trainer_mix", message)
    if training.status in HELD:
        present = present_counts(session, days)
        check.present_per_day = present
        if obligation.min_trainees and (not present or min(present) < obligation.min_trainees):
            check.add(
                "trainees",
                _("{present} trainees present, the clause asks for at least {minimum}").format(
                    present=min(present) if present else 0, minimum=obligation.min_trainees
                ),
            )
        for kind, message in assessment_problems(session, obligation, training, days):
            check.add(kind, message)
    else:
        rostered = len(session.exec(select(RosterEntry.id).where(RosterEntry.session_id == training.id)).all())
        if obligation.min_trainees and rostered < obligation.min_trainees:
            check.add(
                "trainees",
                _("{count} trainees on the roster, the clause asks for at least {minimum}").format(
                    count=rostered, minimum=obligation.min_trainees
                ),
            )
    return check


def present_counts(session: Session, days: Sequence[SessionDay]) -> list[int]:
    counts = []
    for day in days:
        present = session.exec(
            select(Attendance.id).where(Attendance.session_day_id == day.id, Attendance.present == True)  # noqa: E712
        ).all()
        counts.append(len(present))
    return counts


def trainer_mix_problems(session: Session, obligation: Obligation, training: TrainingSession) -> list[str]:
    """The clause may ask for the vendor's technical lead and/or a manufacturer engineer among the trainers."""
    required = obligation.required_trainer_roles or []
    if not required:
        return []
    trainers = session.exec(
        select(Person, Organisation)
        .join(SessionTrainer, col(SessionTrainer.person_id) == Person.id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(SessionTrainer.session_id == training.id)
    ).all()
    problems = []
    if "technical_lead" in required and not any(person.is_technical_lead for person, _org in trainers):
        problems.append(_("no technical lead among the trainers"))
    if "manufacturer" in required and not any(org.kind == "manufacturer" for _person, org in trainers):
        problems.append(_("no manufacturer engineer among the trainers"))
    if "trainer" in required and not trainers:
        problems.append(_("no trainer assigned"))
    return problems


def assessment_problems(
    session: Session, obligation: Obligation, training: TrainingSession, days: Sequence[SessionDay]
) -> list[tuple[str, str]]:
    """Every trainee present was assessed; every one who passed holds a valid certificate (where required)."""
    if not (obligation.assessment_required or obligation.certificate_required):
        return []
    day_ids = [day.id for day in days]
    attended = set(
        session.exec(
            select(Attendance.person_id).where(col(Attendance.session_day_id).in_(day_ids), Attendance.present == True)  # noqa: E712
        )
    )  # noqa: E712
    attempts = session.exec(select(Attempt).where(Attempt.session_id == training.id)).all()
    assessed = {attempt.person_id for attempt in attempts if attempt.status == "graded"}
    problems: list[tuple[str, str]] = []
    if obligation.assessment_required:
        missing = attended - assessed
        if missing:
            problems.append(("assessment", _("{count} trainees present but not assessed").format(count=len(missing))))
    if obligation.certificate_required:
        passed = {attempt.person_id for attempt in attempts if attempt.passed}
        version = session.get(CourseVersion, training.course_version_id)
        passed -= set(attendance_problems(session, training, passed, attendance_share(version)))
        certified = set(
            session.exec(
                select(Certificate.person_id).where(
                    Certificate.session_id == training.id, Certificate.status == "valid"
                )
            )
        )
        if passed - certified:
            problems.append(
                (
                    "certificates",
                    _("{count} trainees passed but hold no certificate").format(count=len(passed - certified)),
                )
            )
    return problems
