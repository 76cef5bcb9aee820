"""What is still outstanding for an obligation: periods needing attention and sessions short of the clause."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lms.evidence.compliance_records import ObligationEvidence, OutstandingItem, PeriodEvidence
from lms.evidence.labels import listing
from lms.evidence.session_lines import ResultLine, SessionEvidence
from lms.i18n import _
from lms.models import Obligation

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
    if training.status not in ("held", "closed"):  # closed: held, and nothing more recorded
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
