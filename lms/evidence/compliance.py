"""Compliance evidence for a project manager: for every tender obligation of a project, its clause, window and
status (from ``lms.projects.obligations``), the sessions that served it (``lms.evidence.session_evidence``: trainers,
days,
attendance, results, certificates, scanned sign-in sheets, materials sent), and what is still outstanding, in
sentences; scanned sign-in sheets kept as evidence.

Everything is plain dataclasses of plain values, so that the evidence pack template can walk them and ``to_json``
can print them. Words meant for people (status labels, reasons, outstanding items) are translated when the structure
is built; names of people, buyers and courses come in both languages where the database has both. Sessions are loaded
for the whole project at once: a handful of queries, whatever the number of sessions, days and trainees.

What the report holds is in ``lms.evidence.compliance_records``, what is outstanding in ``lms.evidence.outstanding``,
scanned sign-in sheets in ``lms.evidence.signin_scans``, the text form in ``lms.evidence.compliance_text``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlmodel import Session, col, select

from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar
from lms.evidence.compliance_records import (
    BuyerInfo,
    MilestoneDates,
    ObligationEvidence,
    PeriodEvidence,
    ProjectCompliance,
    place_label,
)
from lms.evidence.labels import mode_label
from lms.evidence.outstanding import outstanding_items
from lms.evidence.session_evidence import sessions_evidence
from lms.evidence.session_lines import SessionEvidence
from lms.i18n import _, current_language
from lms.models import Milestone, Obligation, Organisation, TrainingSession
from lms.models.lookup import project_by_code
from lms.projects.obligations import milestone_label, obligation_status, working_days_between
from lms.projects.periods import PeriodStatus, cadence_label, period_name
from lms.projects.projects_file import MILESTONES
from lms.scheduling.overview import STATUS_ORDER

# --- building it ----------------------------------------------------------------------------------


def project_compliance(
    session: Session, project_code: str, today: dt.date, calendar: WorkdayCalendar
) -> ProjectCompliance:
    """Everything a project manager shows the buyer: per obligation its status and the evidence behind it.

    Raises:
        NotFoundError: no project has this code.
    """
    project = project_by_code(session, project_code)
    buyer = session.get(Organisation, project.buyer_id)
    milestones = {m.kind: m for m in session.exec(select(Milestone).where(Milestone.project_id == project.id))}
    obligations = session.exec(
        select(Obligation).where(Obligation.project_id == project.id).order_by(col(Obligation.code))
    ).all()
    trainings = session.exec(
        select(TrainingSession)
        .where(
            col(TrainingSession.obligation_id).in_([o.id for o in obligations]),
            TrainingSession.status != "cancelled",
        )
        .order_by(col(TrainingSession.first_day), col(TrainingSession.code))
    ).all()
    evidence = sessions_evidence(session, trainings, {o.id or 0: o for o in obligations})
    serving: dict[int, list[SessionEvidence]] = defaultdict(list)
    for training in trainings:
        serving[training.obligation_id or 0].append(evidence[training.id or 0])
    return ProjectCompliance(
        code=project.code,
        name_zh=project.name_zh,
        name_en=project.name_en,
        tender_ref=project.tender_ref,
        site=project.site,
        city=project.city,
        warranty_months=project.warranty_months,
        buyer=BuyerInfo(buyer.code, buyer.name_zh, buyer.name_en, buyer.city) if buyer else BuyerInfo("", "", "", None),
        milestones=[
            MilestoneDates(
                kind,
                milestone_label(kind),
                milestones[kind].planned_date if kind in milestones else None,
                milestones[kind].actual_date if kind in milestones else None,
            )
            for kind in MILESTONES
        ],
        obligations=[
            obligation_evidence(session, obligation, serving[obligation.id or 0], calendar, today)
            for obligation in obligations
        ],
        today=today,
        language=current_language(),
    )


def window_working_days(calendar: WorkdayCalendar, start: dt.date | None, end: dt.date | None) -> int | None:
    if start is None or end is None:
        return None
    try:
        return working_days_between(calendar, start - dt.timedelta(days=1), end)
    except CalendarCoverageError:
        return None


def overall(statuses: Sequence[PeriodStatus], today: dt.date) -> PeriodStatus:
    """The period that speaks for the obligation: the most urgent one whose window has opened, else the first."""
    opened = [s for s in statuses if s.window_start is None or s.window_start <= today]
    if not opened:
        return statuses[0]
    return min(opened, key=lambda s: (STATUS_ORDER.get(s.status.value, 9), s.window_start or dt.date.min))


def summary(statuses: Sequence[PeriodStatus], cadence: str, today: dt.date) -> tuple[PeriodStatus, str]:
    """The period that speaks for the obligation, and its reason (named by its period for cadence clauses)."""
    main = overall(statuses, today)
    if cadence != "once" and main.window_start is not None:
        return main, _("{period}: {reason}").format(period=period_name(main.period), reason=main.reason)
    return main, main.reason


def obligation_evidence(
    session: Session,
    obligation: Obligation,
    sessions: list[SessionEvidence],
    calendar: WorkdayCalendar,
    today: dt.date,
) -> ObligationEvidence:
    statuses = obligation_status(session, obligation, calendar, today)
    periods = []
    for status in statuses:
        periods.append(
            PeriodEvidence(
                label=status.period,
                name=period_name(status.period),
                window_start=status.window_start,
                window_end=status.window_end,
                working_days=window_working_days(calendar, status.window_start, status.window_end),
                provisional=status.provisional,
                status=status.status.value,
                status_label=status.label,
                reason=status.reason,
                working_days_left=status.working_days_left,
                sessions=[check.code for check in status.sessions],
            )
        )
        for check in status.sessions:
            for item in sessions:
                if item.code == check.code and item.period is None:
                    item.problems = list(check.problems)
                    item.period = status.period
                    item.period_name = period_name(status.period)
    main, reason = summary(statuses, obligation.cadence, today)
    starts = [p.window_start for p in periods if p.window_start]
    ends = [p.window_end for p in periods if p.window_end]
    start, end = (min(starts), max(ends)) if starts and ends else (None, None)
    evidence = ObligationEvidence(
        code=obligation.code,
        clause_ref=obligation.clause_ref,
        clause_text=obligation.clause_text,
        anchor=obligation.anchor,
        anchor_label=milestone_label(obligation.anchor),
        offset_days=obligation.offset_days,
        offset_unit=obligation.offset_unit,
        direction=obligation.direction,
        mode=obligation.mode,
        mode_label=mode_label(obligation.mode),
        place=obligation.place,
        place_label=place_label(obligation.place),
        min_trainees=obligation.min_trainees,
        min_days=obligation.min_days,
        min_hours=obligation.min_hours,
        curricula=list(obligation.curricula or []),
        course_codes=list(obligation.course_codes or []),
        assessment_required=obligation.assessment_required,
        certificate_required=obligation.certificate_required,
        cadence=obligation.cadence,
        cadence_label=cadence_label(obligation.cadence),
        required_trainer_roles=list(obligation.required_trainer_roles or []),
        window_start=start,
        window_end=end,
        working_days=window_working_days(calendar, start, end),
        status=main.status.value,
        status_label=main.label,
        reason=reason,
        periods=periods,
        sessions=sessions,
        outstanding=[],
    )
    evidence.outstanding = outstanding_items(evidence, obligation, today)
    return evidence


# --- JSON -----------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def to_json(compliance: ProjectCompliance) -> dict[str, Any]:
    """The whole structure as JSON-ready values: dates ISO, keys in the dataclasses' field order."""
    return _plain(asdict(compliance))
