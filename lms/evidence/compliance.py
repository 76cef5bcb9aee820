"""Compliance evidence for a project manager: for every tender obligation of a project, its clause, window and
status (from ``lms.projects.obligations``), the sessions that served it (``lms.evidence.session_evidence``: trainers,
days,
attendance, results, certificates, scanned sign-in sheets, materials sent), and what is still outstanding, in
sentences; scanned sign-in sheets kept as evidence.

Everything is plain dataclasses of plain values, so that the evidence pack template can walk them and ``to_json``
can print them. Words meant for people (status labels, reasons, outstanding items) are translated when the structure
is built; names of people, buyers and courses come in both languages where the database has both. Sessions are loaded
for the whole project at once: a handful of queries, whatever the number of sessions, days and trainees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lms.access import audit
from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar
from lms.errors import LmsError
from lms.evidence.session_evidence import (
    SIGNIN_SCAN,
    ResultLine,
    SessionEvidence,
    listing,
    mode_label,
    sessions_evidence,
)
from lms.files.storage import read_evidence_file, store_bytes
from lms.i18n import _, current_language
from lms.models import Attachment, Milestone, Obligation, Organisation, SessionDay, TrainingSession
from lms.models.lookup import project_by_code, session_by_id_or_code
from lms.projects.obligations import (
    PeriodStatus,
    milestone_label,
    obligation_status,
    status_label,
    working_days_between,
)
from lms.projects.projects_file import MILESTONES
from lms.scheduling.overview import STATUS_ORDER

# --- words ----------------------------------------------------------------------------------------


def place_label(place: str) -> str:
    return {
        "buyer_site": _("at the buyer's site"),
        "training_centre": _("at a training centre"),
        "any": _("anywhere"),
    }.get(place, place)


def cadence_label(cadence: str) -> str:
    return {
        "once": _("once"),
        "quarterly": _("every quarter"),
        "semiannual": _("every half-year"),
        "spring_autumn": _("every spring and autumn"),
        "yearly": _("every year"),
    }.get(cadence, cadence)


def period_name(label: str) -> str:
    """A period's label for people: ``2026-Q3``, ``2026-H1``, ``2026-autumn``, ``Y2``, ``once``."""
    year, _sep, part = label.partition("-")
    if label == "once":
        return _("once")
    if label.startswith("Y") and label[1:].isdigit():
        return _("year {number} of the warranty").format(number=label[1:])
    if not year.isdigit():
        return cadence_label(label)
    if part.startswith("Q"):
        return _("{year} Q{quarter}").format(year=year, quarter=part[1:])
    if part == "H1":
        return _("{year} first half").format(year=year)
    if part == "H2":
        return _("{year} second half").format(year=year)
    if part == "spring":
        return _("{year} spring").format(year=year)
    if part == "autumn":
        return _("{year} autumn").format(year=year)
    return label


# --- the structure --------------------------------------------------------------------------------


@dataclass
class BuyerInfo:
    code: str
    name_zh: str
    name_en: str
    city: str | None


@dataclass
class MilestoneDates:
    kind: str
    label: str
    planned: dt.date | None
    actual: dt.date | None


@dataclass
class PeriodEvidence:
    label: str
    name: str
    window_start: dt.date | None
    window_end: dt.date | None
    working_days: int | None
    provisional: bool
    status: str
    status_label: str
    reason: str
    working_days_left: int | None
    sessions: list[str]


@dataclass
class OutstandingItem:
    """Something still to do or still missing from the evidence; ``kind`` is stable, ``text`` is for people."""

    obligation: str
    period: str | None
    session: str | None
    kind: str
    text: str


@dataclass
class ObligationEvidence:
    code: str
    clause_ref: str | None
    clause_text: str
    anchor: str
    anchor_label: str
    offset_days: int
    offset_unit: str
    direction: str
    mode: str
    mode_label: str
    place: str
    place_label: str
    min_trainees: int
    min_days: float
    min_hours: float
    curricula: list[str]
    course_codes: list[str]
    assessment_required: bool
    certificate_required: bool
    cadence: str
    cadence_label: str
    required_trainer_roles: list[str]
    window_start: dt.date | None
    window_end: dt.date | None
    working_days: int | None
    status: str
    status_label: str
    reason: str
    periods: list[PeriodEvidence]
    sessions: list[SessionEvidence]
    outstanding: list[OutstandingItem]


@dataclass
class ProjectCompliance:
    code: str
    name_zh: str
    name_en: str
    tender_ref: str | None
    site: str
    city: str
    warranty_months: int
    buyer: BuyerInfo
    milestones: list[MilestoneDates]
    obligations: list[ObligationEvidence]
    today: dt.date
    language: str

    @property
    def outstanding(self) -> list[OutstandingItem]:
        return [item for obligation in self.obligations for item in obligation.outstanding]


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
                status_label=status_label(status.status.value),
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
        status_label=status_label(main.status.value),
        reason=reason,
        periods=periods,
        sessions=sessions,
        outstanding=[],
    )
    evidence.outstanding = outstanding_items(evidence, obligation, today)
    return evidence


# --- what is still outstanding --------------------------------------------------------------------

PERIOD_ATTENTION = {"overdue", "at_risk", "partly_met", "waiting"}


def outstanding_items(evidence: ObligationEvidence, obligation: Obligation, today: dt.date) -> list[OutstandingItem]:
    """Periods not met whose window has opened (or that need attention now), later periods still to schedule, and
    gaps in the evidence of each session."""
    items: list[OutstandingItem] = []
    later: list[PeriodEvidence] = []
    for period in evidence.periods:
        if period.status == "met":
            continue
        opened = period.window_start is None or period.window_start <= today
        name = "" if period.label == "once" else f" {period.name}"
        if opened and period.status == "planned" and not period.sessions:
            text = _("{obligation}{period}: no session yet; the window closes on {day}").format(
                obligation=evidence.code, period=name, day=period.window_end
            )
            items.append(OutstandingItem(evidence.code, period.label, None, "period", text))
        elif opened or period.status in PERIOD_ATTENTION or period.sessions:
            text = _("{obligation}{period}: {status} — {reason}").format(
                obligation=evidence.code, period=name, status=period.status_label, reason=period.reason
            )
            items.append(OutstandingItem(evidence.code, period.label, None, "period", text))
        else:
            later.append(period)
    if later:
        text = _("{obligation}: later periods without a session: {count}; the next opens {day}").format(
            obligation=evidence.code, count=len(later), day=later[0].window_start
        )
        items.append(OutstandingItem(evidence.code, later[0].label, None, "later_periods", text))
    for training in evidence.sessions:
        items.extend(session_gaps(evidence.code, training, obligation, today))
    return items


def names(results: Iterable[ResultLine]) -> str:
    return listing(result.name for result in results)


def session_gaps(
    obligation_code: str, training: SessionEvidence, obligation: Obligation, today: dt.date
) -> list[OutstandingItem]:
    """What the evidence of one session still lacks: attendance, assessment, certificates, scans, materials."""
    found: list[OutstandingItem] = []

    def add(kind: str, text: str) -> None:
        found.append(OutstandingItem(obligation_code, training.period, training.code, kind, text))

    code = training.code
    if training.status in ("held", "confirmed") and not training.dispatches:
        add(
            "materials",
            _("{session}: no record that the training materials were sent to the buyer").format(session=code),
        )
    if training.status != "held":
        return found
    for day in training.days:
        if day.enough is False:
            add(
                "trainees",
                _("{session}: {present} trainees present on {day}, the clause asks for at least {minimum}").format(
                    session=code, present=day.present, day=day.day, minimum=training.required_trainees
                ),
            )
    unassessed = [r for r in training.results if r.outcome == "not_assessed"]
    if obligation.assessment_required and unassessed:
        add(
            "assessment",
            _("{session}: present but not assessed: {names}").format(session=code, names=names(unassessed)),
        )
    for result in training.results:
        if result.outcome == "failed":
            add(
                "result",
                _("{session}: {name} failed ({score}) and has not passed a re-exam yet").format(
                    session=code, name=result.name, score=f"{result.final_score:g}"
                ),
            )
        elif result.outcome == "pending":
            add(
                "pending",
                _("{session}: {name}'s attempt awaits the trainer's marks").format(session=code, name=result.name),
            )
    uncertified = [r for r in training.results if r.passed and r.certificate is None]
    if obligation.certificate_required and uncertified:
        add(
            "certificate",
            _("{session}: passed but hold no certificate: {names}").format(session=code, names=names(uncertified)),
        )
    unrendered = [c for c in training.certificates if c.status == "valid" and not c.pdf_sha256]
    if unrendered:
        add(
            "certificate_pdf",
            _("{session}: {count} certificates have no PDF yet").format(session=code, count=len(unrendered)),
        )
    unscanned = [day.day.isoformat() for day in training.days if day.day <= today and not day.scans]
    if unscanned:
        add(
            "signin_scan",
            _("{session}: no scanned sign-in sheet for {days}").format(session=code, days=listing(unscanned)),
        )
    return found


# --- scans ----------------------------------------------------------------------------------------


def attach_signin_scan(
    session: Session, session_id: int | str, path: Path, day: dt.date, files_root: Path, added_by: str
) -> Attachment:
    """Keep a scanned, signed sign-in sheet of one session day as evidence (the same file twice is kept once).

    Args:
        session_id: the session's id, or its code.
        path: a PDF or an image (PNG, JPEG, TIFF).
        day: the session day the sheet was signed on.
        files_root: where evidence files are stored (``lms.files.storage.files_root``).
        added_by: who attaches it (kept on the row and in the audit log).

    Raises:
        NotFoundError: no such session.
        LmsError: the day is not one of the session's days, or the file is not a PDF or an image.
    """
    training = session_by_id_or_code(session, session_id)
    days = list(session.exec(select(col(SessionDay.day)).where(SessionDay.session_id == training.id)))
    if day not in days:
        raise LmsError(
            _("{day} is not a day of session {session} ({days})").format(
                day=day, session=training.code, days=listing(d.isoformat() for d in sorted(days))
            ),
            field="day",
        )
    data, media_type, suffix = read_evidence_file(path)
    stored = store_bytes(files_root, data, suffix, media_type)
    existing = session.exec(
        select(Attachment).where(
            Attachment.kind == SIGNIN_SCAN,
            Attachment.session_id == training.id,
            Attachment.session_day == day,
            Attachment.sha256 == stored.sha256,
        )
    ).first()
    if existing is not None:
        return existing
    attachment = Attachment(
        kind=SIGNIN_SCAN,
        session_id=training.id,
        session_day=day,
        original_name=path.name,
        media_type=media_type,
        sha256=stored.sha256,
        size=stored.size,
        added_by=added_by,
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session,
        action="signin_scan.attached",
        entity="session",
        key=training.code,
        before=None,
        after={"day": day.isoformat(), "sha256": stored.sha256, "file": path.name},
        actor=added_by or None,
    )
    return attachment


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
