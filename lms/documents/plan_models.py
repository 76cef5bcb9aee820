"""What a training plan, a course syllabus and their parts hold: plain data for the documents plugin to print,
codes and both languages of every text, never database rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lms.documents.versions import (
    digest_of,
)
from lms.master_data.issuer import IssuerName


@dataclass(frozen=True)
class Text:
    """A text from the data in both languages."""

    zh: str
    en: str


@dataclass
class ModulePlan:
    code: str
    curriculum: str
    title: Text
    hours: float
    objectives: list[Text]
    methods: list[str]
    audience: list[str]


@dataclass
class CurriculumPlan:
    curriculum: str
    hours: float
    methods: list[str]  # every method its modules use, in the order first used
    modules: list[ModulePlan]


@dataclass
class AssessmentPlan:
    assessed: bool
    certified: bool
    pass_mark: float
    written_weight: float
    practical_weight: float
    time_limit_minutes: int | None
    max_attempts: int
    wait_days: int
    tutoring_required: bool
    grading: str
    cap_percent: float | None
    practical_items: list[Text]
    certificate_family: str
    certificate_title: Text
    validity_months: int | None


@dataclass
class CoursePlan:
    code: str
    version: int
    title: Text
    system: Text
    description: Text | None
    audience: list[str]
    hours: float
    curricula: list[CurriculumPlan]
    assessment: AssessmentPlan
    handouts: list[str]

    @property
    def modules(self) -> list[ModulePlan]:
        return [module for curriculum in self.curricula for module in curriculum.modules]


@dataclass
class Qualification:
    skill: str
    name: Text
    level: int
    valid_until: dt.date | None
    certificate: str | None
    issuer: str | None
    reference: str | None


@dataclass
class TrainerPlan:
    code: str
    name: str
    name_en: str | None
    title: str
    organisation: Text
    roles: list[str]
    manufacturer: bool
    qualified_on: dt.date
    qualifications: list[Qualification]


@dataclass
class ScheduleItem:
    kind: str  # module, assessment, review
    hours: float
    module: str | None = None
    curriculum: str | None = None
    title: Text | None = None
    methods: list[str] = field(default_factory=list)
    continued: bool = False  # the module began on an earlier day
    continues: bool = False  # the module goes on the next day


@dataclass
class ScheduleDay:
    day: dt.date
    start_time: dt.time
    end_time: dt.time
    hours: float
    items: list[ScheduleItem]


@dataclass
class SessionPlan:
    code: str
    period: str | None
    period_name: Text | None
    mode: str
    place: str
    city: str
    room: str | None
    first_day: dt.date
    last_day: dt.date
    total_hours: float
    rostered: int
    course: str
    course_version: int
    trainers: list[tuple[str, str]]  # (name, role)
    days: list[ScheduleDay]
    compressed: bool  # the syllabus holds more hours than the session: modules were shortened to fit


@dataclass
class PeriodPlan:
    label: str
    name: Text
    window_start: dt.date | None
    window_end: dt.date | None
    sessions: list[str]


@dataclass
class ObligationPlan:
    code: str
    clause_ref: str | None
    clause_text: str
    mode: str
    place: str
    cadence: str
    window_start: dt.date | None
    window_end: dt.date | None
    working_days: int | None
    provisional: bool
    periods: list[PeriodPlan]
    audience: list[str]
    min_trainees: int
    min_days: float
    min_hours: float
    curricula: list[str]
    hands_on_site: bool  # practice on the installed equipment at the buyer's site
    courses: list[CoursePlan]
    sessions: list[SessionPlan]
    trainers: list[TrainerPlan]


@dataclass
class TrainingPlan:
    project: str
    name: Text
    buyer: Text
    tender_ref: str | None
    site: str
    city: str
    warranty_months: int
    milestones: list[tuple[str, dt.date | None, dt.date | None]]  # kind, planned, actual
    obligations: list[ObligationPlan]

    @property
    def inputs_sha256(self) -> str:
        return digest_of(self)


@dataclass
class PlanDocument:
    """What the template prints: the plan, and which version of it this is."""

    plan: TrainingPlan
    version: int
    issued_on: dt.date
    inputs_sha256: str
    issuer: IssuerName | None = None  # None: the configuration's name


@dataclass
class SyllabusDocument:
    """The syllabus of one course for the materials sent before a session; undated, so the same course and session
    always give the same file."""

    course: CoursePlan
    session: str | None
    hands_on_site: bool
    issuer: IssuerName | None = None  # None: the configuration's name
