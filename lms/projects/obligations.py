"""Obligation windows and status: when a tender's training duty is due, and whether it was met, with the reason.

A window comes from the anchor milestone (actual date if known, else planned) plus the clause's offset in working or
calendar days, closed early by the clause's own deadline if it names one. Cadence clauses (monthly, quarterly,
semiannual, spring and autumn, yearly) expand over the warranty into
periods, each with its own window and status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from lms.calendars.dates import add_months
from lms.calendars.workdays import (
    CalendarCoverageError,
    WorkdayCalendar,
    depends_on_provisional,
    provisional_mark,
    working_days_after,
)
from lms.i18n import _
from lms.models import (
    Attempt,
    Attendance,
    Certificate,
    Course,
    CourseModule,
    CourseVersion,
    Milestone,
    Obligation,
    Organisation,
    Person,
    Project,
    Room,
    RosterEntry,
    SessionDay,
    SessionTrainer,
    TrainingSession,
)
from lms.models.lookup import same_code

AT_RISK_WORKING_DAYS = 5
DEFAULT_WINDOW_DAYS = 30


class Status(StrEnum):
    waiting = "waiting"
    planned = "planned"
    at_risk = "at_risk"
    overdue = "overdue"
    met = "met"
    partly_met = "partly_met"


def status_label(status: str) -> str:
    labels = {
        "waiting": _("waiting"),
        "planned": _("planned"),
        "at_risk": _("at risk"),
        "overdue": _("overdue"),
        "met": _("met"),
        "partly_met": _("partly met"),
    }
    return labels.get(status, status)


@dataclass(frozen=True)
class Period:
    """One window in which a duty must be served: the whole duty for ``once``, a quarter, a half, a season..."""

    label: str
    start: dt.date
    end: dt.date


@dataclass
class SessionCheck:
    """How one session measures up against the clause: what it satisfies and what it lacks."""

    code: str
    status: str
    first_day: dt.date
    last_day: dt.date
    problems: list[str] = field(default_factory=list)
    problem_kinds: list[str] = field(default_factory=list)
    present_per_day: list[int] = field(default_factory=list)

    def add(self, kind: str, message: str) -> None:
        """Record a shortfall: ``kind`` is stable (window, mode, place, duration, hours, course, curricula,
        trainer_mix, trainees, assessment, certificates), ``message`` is for people."""
        self.problem_kinds.append(kind)
        self.problems.append(message)

    @property
    def satisfies(self) -> bool:
        return not self.problems


@dataclass
class PeriodStatus:
    project: str
    obligation: str
    clause: str
    period: str
    window_start: dt.date | None
    window_end: dt.date | None
    provisional: bool
    status: Status
    reason: str
    working_days_left: int | None
    sessions: list[SessionCheck] = field(default_factory=list)
    calendar_provisional: bool = False  # the window rests on a year planned before its holiday notice

    def as_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "obligation": self.obligation,
            "clause": self.clause,
            "period": self.period,
            "window_start": self.window_start,
            "window_end": self.window_end,
            "provisional": self.provisional,
            "calendar_provisional": self.calendar_provisional,
            "status": self.status.value,
            "reason": self.reason,
            "working_days_left": self.working_days_left,
            "sessions": [
                {
                    "code": s.code,
                    "status": s.status,
                    "first_day": s.first_day,
                    "last_day": s.last_day,
                    "problems": s.problems,
                    "present_per_day": s.present_per_day,
                }
                for s in self.sessions
            ],
        }


def anchor_date(session: Session, obligation: Obligation) -> tuple[dt.date | None, bool]:
    """The anchor milestone's date and whether it is only planned (provisional)."""
    milestone = session.exec(
        select(Milestone).where(Milestone.project_id == obligation.project_id, Milestone.kind == obligation.anchor)
    ).first()
    if milestone is None:
        return None, True
    if milestone.actual_date:
        return milestone.actual_date, False
    return milestone.planned_date, True


def shift(calendar: WorkdayCalendar, day: dt.date, days: int, unit: str) -> dt.date:
    if unit == "working":
        return working_days_after(calendar, day, days)
    return day + dt.timedelta(days=days)


def once_window(obligation: Obligation, anchor: dt.date, calendar: WorkdayCalendar) -> Period:
    """After: from the day after the anchor to N (working) days after it. Before: a window ending N days before."""
    length = obligation.window_days
    if obligation.direction == "after":
        start = anchor + dt.timedelta(days=1) if obligation.offset_days else anchor
        end = shift(calendar, anchor, obligation.offset_days, obligation.offset_unit)
        if length:
            end = max(end, start + dt.timedelta(days=length - 1))
        return Period("once", start, max(start, end))
    end = shift(calendar, anchor, -obligation.offset_days, obligation.offset_unit)
    return Period("once", end - dt.timedelta(days=(length or DEFAULT_WINDOW_DAYS) - 1), end)


def deadline_window(obligation: Obligation, anchor: dt.date | None, calendar: WorkdayCalendar) -> Period:
    """A clause with an absolute deadline (「2022年03月底前」): its milestone window cut at the deadline, or the
    default window ending on the deadline when it names no milestone."""
    assert obligation.deadline is not None
    if anchor is None:
        return Period("once", obligation.deadline - dt.timedelta(days=DEFAULT_WINDOW_DAYS - 1), obligation.deadline)
    window = once_window(obligation, anchor, calendar)
    return Period("once", min(window.start, obligation.deadline), min(window.end, obligation.deadline))


def cadence_periods(cadence: str, warranty_start: dt.date, warranty_months: int) -> list[Period]:
    """Periods over the warranty: calendar months, quarters or halves, spring (Mar–May) and autumn (Sep–Nov), or
    warranty years; each clipped to the warranty."""
    warranty_end = add_months(warranty_start, warranty_months) - dt.timedelta(days=1)
    periods: list[Period] = []
    if cadence == "yearly":
        start, year = warranty_start, 1
        while start <= warranty_end:
            end = min(add_months(start, 12) - dt.timedelta(days=1), warranty_end)
            periods.append(Period(f"Y{year}", start, end))
            start, year = end + dt.timedelta(days=1), year + 1
        return periods
    for year in range(warranty_start.year, warranty_end.year + 1):
        spans: list[tuple[str, dt.date, dt.date]]
        if cadence == "monthly":
            spans = [
                (f"{year}-{m:02d}", dt.date(year, m, 1), add_months(dt.date(year, m, 1), 1) - dt.timedelta(days=1))
                for m in range(1, 13)
            ]
        elif cadence == "quarterly":
            spans = [
                (
                    f"{year}-Q{q + 1}",
                    dt.date(year, 3 * q + 1, 1),
                    add_months(dt.date(year, 3 * q + 1, 1), 3) - dt.timedelta(days=1),
                )
                for q in range(4)
            ]
        elif cadence == "semiannual":
            spans = [
                (f"{year}-H1", dt.date(year, 1, 1), dt.date(year, 6, 30)),
                (f"{year}-H2", dt.date(year, 7, 1), dt.date(year, 12, 31)),
            ]
        elif cadence == "spring_autumn":
            spans = [
                (f"{year}-spring", dt.date(year, 3, 1), dt.date(year, 5, 31)),
                (f"{year}-autumn", dt.date(year, 9, 1), dt.date(year, 11, 30)),
            ]
        else:
            raise ValueError(f"unknown cadence {cadence!r}")
        for label, start, end in spans:
            start, end = max(start, warranty_start), min(end, warranty_end)
            if start <= end:
                periods.append(Period(label, start, end))
    return periods


def obligation_periods(
    session: Session,
    obligation: Obligation,
    project: Project,
    calendar: WorkdayCalendar,
    anchored: tuple[dt.date | None, bool] | None = None,
) -> tuple[list[Period], bool]:
    """Every window the obligation opens, and whether they rest on a planned (not actual) date. Empty if unknown.

    ``anchored``: the anchor date and whether it is provisional, when the caller loaded every milestone at once.
    """
    anchor, provisional = anchored if anchored is not None else anchor_date(session, obligation)
    if obligation.deadline is not None and obligation.cadence == "once":
        return [deadline_window(obligation, anchor, calendar)], provisional and anchor is not None
    if anchor is None:
        return [], provisional
    if obligation.cadence == "once":
        return [once_window(obligation, anchor, calendar)], provisional
    start = (
        shift(calendar, anchor, obligation.offset_days, obligation.offset_unit) if obligation.offset_days else anchor
    )
    return cadence_periods(obligation.cadence, start, project.warranty_months), provisional


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
    if training.status == "held":
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


def period_status(
    session: Session, context: Context, period: Period, candidates: Sequence[TrainingSession], provisional: bool
) -> PeriodStatus:
    obligation, today, calendar = context.obligation, context.today, context.calendar
    checks = [check_session(session, context, training, period) for training in candidates]
    held = [c for c in checks if c.status == "held"]
    upcoming = [c for c in checks if c.status in ("planned", "confirmed")]
    try:
        left: int | None = working_days_between(calendar, today, period.end)
    except CalendarCoverageError:
        left = None
    if any(c.satisfies for c in held):
        status, reason = Status.met, _("met by {code}").format(code=next(c.code for c in held if c.satisfies))
    elif held and any(period.start <= c.first_day <= period.end for c in held):
        best = min(held, key=lambda c: len(c.problems))
        status, reason = (
            Status.partly_met,
            _("{code} was held but: {problems}").format(code=best.code, problems="; ".join(best.problems)),
        )
    elif period.end < today:
        status, reason = (
            Status.overdue,
            _("the window closed on {day} without a session that meets it").format(day=period.end),
        )
    elif any(c.satisfies and c.status == "confirmed" for c in upcoming):
        chosen = next(c for c in upcoming if c.satisfies and c.status == "confirmed")
        status, reason = Status.planned, _("{code} confirmed for {day}").format(code=chosen.code, day=chosen.first_day)
    elif left is not None and left <= AT_RISK_WORKING_DAYS:
        fitting = [c for c in upcoming if c.satisfies]
        if fitting:
            reason = _("{code} is planned but not confirmed; the window closes in {days} working days").format(
                code=fitting[0].code, days=left
            )
        elif upcoming:
            reason = _("{code} does not meet the clause: {problems}").format(
                code=upcoming[0].code, problems="; ".join(upcoming[0].problems)
            )
        else:
            reason = _("no session yet; the window closes in {days} working days").format(days=left)
        status = Status.at_risk
    elif upcoming:
        fitting = [c for c in upcoming if c.satisfies]
        if fitting:
            status, reason = (
                Status.planned,
                _("{code} planned for {day}").format(code=fitting[0].code, day=fitting[0].first_day),
            )
        else:
            status, reason = (
                Status.at_risk,
                _("{code} does not meet the clause: {problems}").format(
                    code=upcoming[0].code, problems="; ".join(upcoming[0].problems)
                ),
            )
    else:
        status, reason = Status.planned, _("not scheduled yet; the window opens {start}").format(start=period.start)
    if provisional and status not in (Status.met, Status.partly_met):
        reason += " " + _("(dates from the planned milestone)")
    on_estimate = depends_on_provisional(calendar, period.start, period.end)
    if on_estimate and status not in (Status.met, Status.partly_met):
        reason += f" ({provisional_mark()})"
    return PeriodStatus(
        project=context.project.code,
        obligation=obligation.code,
        clause=obligation.clause_text,
        period=period.label,
        window_start=period.start,
        window_end=period.end,
        provisional=provisional,
        status=status,
        reason=reason,
        working_days_left=left if period.end >= today else None,
        sessions=checks,
        calendar_provisional=on_estimate,
    )


def working_days_between(calendar: WorkdayCalendar, today: dt.date, end: dt.date) -> int:
    """Working days after ``today`` up to and including ``end`` (0 when ``end`` is today or past)."""
    if end <= today:
        return 0
    count, day = 0, today
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def waiting(project: Project, obligation: Obligation, reason: str) -> PeriodStatus:
    """An obligation whose windows cannot be known yet, and why."""
    return PeriodStatus(
        project.code,
        obligation.code,
        obligation.clause_text,
        obligation.cadence,
        None,
        None,
        True,
        Status.waiting,
        reason,
        None,
    )


def obligation_status(
    session: Session, obligation: Obligation, calendar: WorkdayCalendar, today: dt.date
) -> list[PeriodStatus]:
    """Status of every period of one obligation."""
    project = session.get(Project, obligation.project_id)
    assert project is not None
    context = Context(obligation, project, calendar, today)
    try:
        periods, provisional = obligation_periods(session, obligation, project, calendar)
    except CalendarCoverageError as error:
        return [waiting(project, obligation, str(error))]
    if not periods:
        anchor = milestone_label(obligation.anchor)
        return [waiting(project, obligation, _("the {anchor} date is not known yet").format(anchor=anchor))]
    sessions = session.exec(
        select(TrainingSession)
        .where(TrainingSession.obligation_id == obligation.id, TrainingSession.status != "cancelled")
        .order_by(col(TrainingSession.first_day))
    ).all()
    results = []
    for period in periods:
        if obligation.cadence == "once":
            candidates = list(sessions)
        else:
            candidates = [
                s
                for s in sessions
                if s.period_label == period.label
                or (s.period_label is None and period.start <= s.first_day <= period.end)
            ]
        results.append(period_status(session, context, period, candidates, provisional))
    return results


def milestone_label(kind: str) -> str:
    return {"delivery": _("delivery"), "installation": _("installation"), "acceptance": _("acceptance")}.get(kind, kind)


def portfolio_status(
    session: Session, calendar: WorkdayCalendar, today: dt.date, project_code: str | None = None
) -> list[PeriodStatus]:
    """Every obligation (of one project, or all) with every period's status."""
    statement = select(Obligation).join(Project, col(Project.id) == Obligation.project_id)
    if project_code:
        statement = statement.where(same_code(Project.code, project_code))
    obligations = session.exec(statement.order_by(col(Project.code), col(Obligation.code))).all()
    results: list[PeriodStatus] = []
    for obligation in obligations:
        results.extend(obligation_status(session, obligation, calendar, today))
    return results


@dataclass(frozen=True)
class Displaced:
    """A session that no longer sits in its obligation's window, and what to do about it."""

    session: str
    obligation: str
    period: str
    first_day: dt.date
    window_start: dt.date | None
    window_end: dt.date | None
    advice: str


def displaced_sessions(
    session: Session, project_code: str, calendar: WorkdayCalendar, today: dt.date
) -> list[Displaced]:
    """Active sessions of a project that fall outside their windows now (after a milestone moved)."""
    found = []
    for period in portfolio_status(session, calendar, today, project_code):
        for check in period.sessions:
            if check.status in ("planned", "confirmed") and "window" in check.problem_kinds:
                advice = _("move {code} to start between {start} and {end}").format(
                    code=check.code, start=period.window_start, end=period.window_end
                )
                found.append(
                    Displaced(
                        check.code,
                        period.obligation,
                        period.period,
                        check.first_day,
                        period.window_start,
                        period.window_end,
                        advice,
                    )
                )
    return found
