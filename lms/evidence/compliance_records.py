"""What a project's compliance report holds (buyer, milestones, obligations with their periods and evidence,
outstanding items) and the words it uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lms.evidence.session_lines import SessionEvidence
from lms.i18n import _


def place_label(place: str) -> str:
    return {
        "buyer_site": _("at the buyer's site"),
        "training_centre": _("at a training centre"),
        "any": _("anywhere"),
    }.get(place, place)


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
