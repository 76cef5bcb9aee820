"""What one session's evidence holds: trainers, days, trainees, attempts, results, certificates, scans, dispatches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class TrainerLine:
    code: str
    name: str
    name_en: str | None
    role: str
    role_label: str
    organisation_zh: str
    organisation_en: str
    technical_lead: bool
    manufacturer: bool


@dataclass
class DayLine:
    """One day of a session: its hours, who was present (held sessions), and how many sign-in scans it has."""

    day: dt.date
    start_time: dt.time
    end_time: dt.time
    hours: float
    present: int
    absent: int
    unmarked: int
    enough: bool | None  # present ≥ the clause's minimum; None before the session is held or without a minimum
    scans: int


@dataclass
class TraineeLine:
    """A trainee on the roster, as the sign-in sheet has them: presence and signing time per session day."""

    code: str
    name: str
    name_en: str | None
    title: str
    organisation_zh: str
    organisation_en: str
    id_number_masked: str
    present: list[bool | None]  # per session day, in the order of ``SessionEvidence.days``; None: not marked
    signed_at: list[dt.datetime | None]
    days_present: int


@dataclass
class AttemptLine:
    number: int
    status: str
    submitted_at: dt.datetime | None
    written_score: float | None
    practical_score: float | None
    score: float | None
    passed: bool | None


@dataclass
class ResultLine:
    """A trainee's assessment: every attempt, and the result by the course's grading method."""

    person_code: str
    name: str
    name_en: str | None
    attempts: list[AttemptLine]
    final_score: float | None
    passed: bool | None
    reexamined: bool
    outcome: str  # passed, passed_on_reexam, failed, pending, not_assessed, absent
    outcome_label: str
    certificate: str | None  # the serial of the valid certificate, if any


@dataclass
class CertificateLine:
    serial: str
    family: str
    holder_code: str
    holder_name: str
    status: str
    status_label: str
    issued_on: dt.date
    expires_on: dt.date | None
    pdf_sha256: str | None


@dataclass
class ScanLine:
    id: int
    day: dt.date | None
    original_name: str
    media_type: str
    sha256: str
    size: int
    added_at: dt.datetime
    added_by: str
    note: str | None


@dataclass
class DispatchLine:
    sent_on: dt.date
    sent_to: str
    channel: str
    bundle_sha256: str | None
    note: str | None


@dataclass
class SessionEvidence:
    """One session that served an obligation, with everything that shows how it went."""

    code: str
    status: str
    status_label: str
    mode: str
    mode_label: str
    place: str
    city: str
    room_code: str | None
    room_name: str | None
    first_day: dt.date
    last_day: dt.date
    course_code: str
    course_title_zh: str
    course_title_en: str
    course_version: int
    pass_mark: float
    grading: str
    obligation: str | None
    period: str | None
    required_trainees: int
    trainers: list[TrainerLine]
    days: list[DayLine]
    total_hours: float
    rostered: int
    trainees: list[TraineeLine]
    results: list[ResultLine]
    certificates: list[CertificateLine]
    scans: list[ScanLine]
    dispatches: list[DispatchLine]
    problems: list[str] = field(default_factory=list)  # where it falls short of the clause (lms.projects.obligations)
    period_name: str = ""  # the period in words, in the language the evidence was built in
