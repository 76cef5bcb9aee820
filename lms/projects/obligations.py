"""Obligation windows and status: when a tender's training duty is due, and whether it was met, with the reason.

A window comes from the anchor milestone (actual date if known, else planned) plus the clause's offset in working or
calendar days, closed early by the clause's own deadline if it names one. Cadence clauses (monthly, quarterly,
semiannual, spring and autumn, yearly) expand over the warranty into
periods, each with its own window and status.

Periods and their windows are in ``lms.projects.periods``; checking a session against a clause in
``lms.projects.session_checks``; here: a period's status, an obligation's, the portfolio's and displaced sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lms.calendars.workdays import (
    CalendarCoverageError,
    WorkdayCalendar,
    depends_on_provisional,
    provisional_mark,
)
from lms.db import chunks
from lms.i18n import _, environment_language_held
from lms.models import Milestone, Obligation, Project
from lms.models.lookup import same_code
from lms.projects.periods import AT_RISK_WORKING_DAYS, Period, PeriodStatus, Status, obligation_periods
from lms.projects.session_checks import HELD, Context, asks_about_people, check_session
from lms.projects.session_facts import (
    Scheduled,
    ServingSession,
    SessionFacts,
    load_session_facts,
    serving_sessions,
)


def period_status(
    session: Session,
    context: Context,
    period: Period,
    candidates: Sequence[Scheduled],
    provisional: bool,
    facts: dict[int, SessionFacts] | None = None,
) -> PeriodStatus:
    """One period's status from the sessions that may serve it; ``facts``: theirs, loaded at once by the caller."""
    obligation, today, calendar = context.obligation, context.today, context.calendar
    if facts is None:
        facts = load_session_facts(session, candidates)
    checks = [check_session(session, context, training, period, facts[training.id or 0]) for training in candidates]
    held = [c for c in checks if c.status in HELD]
    upcoming = [c for c in checks if c.status in ("planned", "confirmed")]
    if period.end not in context.days_left:
        try:
            context.days_left[period.end] = working_days_between(calendar, today, period.end)
        except CalendarCoverageError:
            context.days_left[period.end] = None
    left = context.days_left[period.end]
    scans_missing: list[dt.date] = []
    if any(c.satisfies for c in held):
        chosen_code = next(c.code for c in held if c.satisfies)
        status, reason = Status.met, _("met by {code}").format(code=chosen_code)
        meeting = next(t for t in candidates if t.code == chosen_code)
        scans_missing = facts[meeting.id or 0].unscanned_days()
        if scans_missing:
            reason += "; " + _("no signed sign-in scan for {days}").format(
                days=", ".join(day.isoformat() for day in scans_missing)
            )
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
        scans_missing=scans_missing,
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
    session: Session,
    obligation: Obligation,
    calendar: WorkdayCalendar,
    today: dt.date,
    known: Known | None = None,
) -> list[PeriodStatus]:
    """Status of every period of one obligation.

    ``known``: the project, anchor, sessions and their facts when the caller loaded them for many obligations at
    once (``portfolio_status``); otherwise they are loaded here for this one.
    """
    if known is None:
        known = Known.load(session, [obligation])
    project = known.projects[obligation.project_id]
    context = Context(obligation, project, calendar, today)
    try:
        anchored = known.anchors.get((obligation.project_id, obligation.anchor), (None, True))
        periods, provisional = obligation_periods(session, obligation, project, calendar, anchored)
    except CalendarCoverageError as error:
        return [waiting(project, obligation, str(error))]
    if not periods:
        anchor = milestone_label(obligation.anchor)
        return [waiting(project, obligation, _("the {anchor} date is not known yet").format(anchor=anchor))]
    sessions = known.serving.get(obligation.id or 0, [])
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
        results.append(period_status(session, context, period, candidates, provisional, known.facts))
    return results


@dataclass
class Known:
    """What the status of many obligations needs, each kind of row loaded in one query (ids in chunks)."""

    projects: dict[int, Project]
    anchors: dict[tuple[int, str], tuple[dt.date | None, bool]]  # (project, milestone) → date, only planned
    serving: dict[int, list[ServingSession]]  # obligation → its sessions not cancelled, by first day
    facts: dict[int, SessionFacts]

    @classmethod
    def load(cls, session: Session, obligations: Sequence[Obligation]) -> Known:
        project_ids = sorted({o.project_id for o in obligations})
        projects: dict[int, Project] = {}
        anchors: dict[tuple[int, str], tuple[dt.date | None, bool]] = {}
        for chunk in chunks(project_ids):
            projects.update((p.id or 0, p) for p in session.exec(select(Project).where(col(Project.id).in_(chunk))))
            for project_id, kind, actual, planned in session.exec(
                select(
                    col(Milestone.project_id),
                    col(Milestone.kind),
                    col(Milestone.actual_date),
                    col(Milestone.planned_date),
                ).where(col(Milestone.project_id).in_(chunk))
            ):
                anchors[(project_id, kind)] = (actual, False) if actual else (planned, True)
        serving = serving_sessions(session, (o.id for o in obligations if o.id is not None))
        every = [training for trainings in serving.values() for training in trainings]
        return cls(projects, anchors, serving, load_session_facts(session, every, people_asked(obligations, serving)))


def people_asked(obligations: Iterable[Obligation], serving: dict[int, list[ServingSession]]) -> list[int]:
    """The sessions whose trainees the checks will look at: those serving clauses that ask about assessment."""
    return [t.id for o in obligations if asks_about_people(o) for t in serving.get(o.id or 0, [])]


def milestone_label(kind: str) -> str:
    return {"delivery": _("delivery"), "installation": _("installation"), "acceptance": _("acceptance")}.get(kind, kind)


@environment_language_held()  # thousands of messages: the environment is read once
def portfolio_status(
    session: Session, calendar: WorkdayCalendar, today: dt.date, project_code: str | None = None
) -> list[PeriodStatus]:
    """Every obligation (of one project, or all) with every period's status."""
    statement = select(Obligation).join(Project, col(Project.id) == Obligation.project_id)
    if project_code:
        statement = statement.where(same_code(Project.code, project_code))
    obligations = session.exec(statement.order_by(col(Project.code), col(Obligation.code))).all()
    known = Known.load(session, obligations)
    results: list[PeriodStatus] = []
    for obligation in obligations:
        results.extend(obligation_status(session, obligation, calendar, today, known))
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
