"""Checking one session against an obligation's clause: audience, days, hours, trainees present,
trainers, assessment; from facts loaded for many sessions at once (``lms.projects.session_facts``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from lms.calendars.workdays import (
    CalendarCoverageError,
    WorkdayCalendar,
)
from lms.i18n import _
from lms.models import Obligation, Project, SessionStatus
from lms.projects.periods import Period, SessionCheck, period_name
from lms.projects.session_facts import Scheduled, SessionFacts, load_session_facts

HELD = (SessionStatus.held, SessionStatus.closed)  # measured by attendance; ``held`` is settled from it


@dataclass
class Context:
    """What checking sessions against a clause needs, loaded once per obligation."""

    obligation: Obligation
    project: Project
    calendar: WorkdayCalendar
    today: dt.date
    # Working days from today to a window's end, by end: windows share ends (quarters, seasons), so the contexts of
    # one computation (one calendar, one today) may share this too.
    days_left: dict[dt.date, int | None] = field(default_factory=dict)


def check_session(
    session: Session,
    context: Context,
    training: Scheduled,
    period: Period,
    facts: SessionFacts | None = None,
) -> SessionCheck:
    """Measure one session against everything the clause asks (held sessions by attendance, others by plan).

    ``facts``: the session's facts when the caller loaded them for many sessions at once (``load_session_facts``).
    """
    obligation, project = context.obligation, context.project
    if facts is None:
        facts = load_session_facts(session, [training])[training.id or 0]
    days = facts.days
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
    at_buyer = not facts.in_room or facts.room_organisation == project.buyer_id
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
    has_version = facts.course_code is not None
    if obligation.course_codes and has_version and facts.course_code not in obligation.course_codes:
        check.add("course", _("course {code} is not one the clause names").format(code=facts.course_code))
    if obligation.curricula and has_version:
        missing = [c for c in obligation.curricula if c not in facts.curricula]
        if missing:
            check.add("curricula", _("curricula not covered: {missing}").format(missing=", ".join(missing)))
    for message in trainer_mix_problems(obligation, facts):
        check.add("trainer_mix", message)
    if training.status in HELD:
        present = list(facts.present_per_day)
        check.present_per_day = present
        if obligation.min_trainees and (not present or min(present) < obligation.min_trainees):
            check.add(
                "trainees",
                _("{present} trainees present, the clause asks for at least {minimum}").format(
                    present=min(present) if present else 0, minimum=obligation.min_trainees
                ),
            )
        for kind, message in assessment_problems(obligation, facts):
            check.add(kind, message)
    elif obligation.min_trainees and facts.roster_rows < obligation.min_trainees:
        check.add(
            "trainees",
            _("{count} trainees on the roster, the clause asks for at least {minimum}").format(
                count=facts.roster_rows, minimum=obligation.min_trainees
            ),
        )
    return check


def in_no_window(day: dt.date, periods: list[Period]) -> str | None:
    """Why a session starting on ``day`` serves none of an obligation's windows (``periods``, by start): before the
    first, between two, or after the last, naming the window(s) it misses. None if ``day`` is in one of them."""
    if not periods or any(period.start <= day <= period.end for period in periods):
        return None

    def window(period: Period) -> str:
        return f"{period_name(period.label)} {period.start}–{period.end}"

    if day < periods[0].start:
        return _("starts {day}, before the first window {window}").format(day=day, window=window(periods[0]))
    if day > periods[-1].end:
        return _("starts {day}, after the last window {window}").format(day=day, window=window(periods[-1]))
    after = next(index for index, period in enumerate(periods) if period.start > day)
    return _("starts {day}, between the windows {before} and {after}").format(
        day=day, before=window(periods[after - 1]), after=window(periods[after])
    )


def trainer_mix_problems(obligation: Obligation, facts: SessionFacts) -> list[str]:
    """The clause may ask for the vendor's technical lead and/or a manufacturer engineer among the trainers."""
    required = obligation.required_trainer_roles or []
    if not required:
        return []
    problems = []
    if "technical_lead" in required and not any(lead for lead, _kind in facts.trainers):
        problems.append(_("no technical lead among the trainers"))
    if "manufacturer" in required and not any(kind == "manufacturer" for _lead, kind in facts.trainers):
        problems.append(_("no manufacturer engineer among the trainers"))
    if "trainer" in required and not facts.trainers:
        problems.append(_("no trainer assigned"))
    return problems


def asks_about_people(obligation: Obligation) -> bool:
    """Whether checking a session against the clause looks at who attended, was assessed, passed, is certified."""
    return bool(obligation.assessment_required or obligation.certificate_required)


def assessment_problems(obligation: Obligation, facts: SessionFacts) -> list[tuple[str, str]]:
    """Every trainee present was assessed; every one who passed holds a valid certificate (where required)."""
    if not asks_about_people(obligation):
        return []
    problems: list[tuple[str, str]] = []
    if obligation.assessment_required:
        missing = facts.attended - facts.people.graded
        if missing:
            problems.append(("assessment", _("{count} trainees present but not assessed").format(count=len(missing))))
    if obligation.certificate_required:
        uncertified = facts.may_be_certified(facts.people.passed) - facts.people.certified
        if uncertified:
            problems.append(
                (
                    "certificates",
                    _("{count} trainees passed but hold no certificate").format(count=len(uncertified)),
                )
            )
    return problems
