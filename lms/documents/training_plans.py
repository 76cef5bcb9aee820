"""The training plan (培训计划) of a project: for each tender obligation when, where, for whom, what, how, who
teaches and how trainees are assessed and certified, then a day-by-day teaching schedule (教学进度) of each session.

The plan is built from the project's compliance (``lms.evidence.compliance``: windows, periods, sessions with their
days and
trainers), the course versions (modules with objectives, hours and teaching methods; assessment and certificate
rules) and the trainers' skill records (``lms.credentials.skills``). It holds codes and both languages of every text
from the
data, never words translated for one reader, so its hash (``inputs_sha256``) says whether anything a reader sees has
changed: ``lms.documents.versions`` then keeps a new version or hands back the one already issued.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lms.assessment.quizzes import current_version
from lms.assessment.reexams import reexam_rule
from lms.calendars.workdays import WorkdayCalendar
from lms.catalog.handouts import handout_name
from lms.credentials.skills import person_record
from lms.documents.versions import (
    TRAINING_PLAN,
    IssuedVersion,
    VersionLine,
    digest_of,
    issue,
    issued_version,
    version_lines,
)
from lms.evidence.compliance import ObligationEvidence, period_name, project_compliance
from lms.evidence.session_evidence import DayLine, SessionEvidence, TrainerLine
from lms.i18n import in_language
from lms.models import Course, CourseModule, CourseVersion, Obligation, Project, TrainingSession
from lms.models.lookup import person_by_code, project_by_code, same_code

PLAN_KIND = TRAINING_PLAN
CURRICULA = ("operation", "maintenance", "fault_handling")
# How each curriculum is taught when a module names no method of its own.
DEFAULT_METHODS: dict[str, tuple[str, ...]] = {
    "operation": ("lecture", "demonstration", "hands_on"),
    "maintenance": ("demonstration", "hands_on"),
    "fault_handling": ("lecture", "demonstration", "hands_on"),
}
PRACTICAL_CHECK_HOURS = 0.5  # the practical checklist, when the course weighs it


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


@dataclass
class SyllabusDocument:
    """The syllabus of one course for the materials sent before a session; undated, so the same course and session
    always give the same file."""

    course: CoursePlan
    session: str | None
    hands_on_site: bool


# --- the course ------------------------------------------------------------------------------------


def _text(value: dict[str, str] | None) -> Text | None:
    return Text(value.get("zh", ""), value.get("en", "")) if value else None


def course_plan(
    session: Session, version: CourseVersion, curricula: Sequence[str] = (), *, assessed: bool, certified: bool
) -> CoursePlan:
    """The syllabus (modules of the asked curricula, all when none is named) and the assessment rules."""
    course = session.get(Course, version.course_id)
    assert course is not None
    rows = session.exec(
        select(CourseModule)
        .where(CourseModule.course_version_id == version.id)
        .order_by(col(CourseModule.position), col(CourseModule.id))
    ).all()
    wanted = set(curricula) or set(CURRICULA)
    by_curriculum: dict[str, list[ModulePlan]] = defaultdict(list)
    for row in rows:
        if row.curriculum in wanted:
            by_curriculum[row.curriculum].append(
                ModulePlan(
                    code=row.code,
                    curriculum=row.curriculum,
                    title=Text(row.title_zh, row.title_en),
                    hours=row.hours,
                    objectives=[Text(o.get("zh", ""), o.get("en", "")) for o in row.objectives or []],
                    methods=list(row.methods or DEFAULT_METHODS.get(row.curriculum, ("lecture",))),
                    audience=list(row.audience or []),
                )
            )
    plans = [
        CurriculumPlan(
            curriculum=name,
            hours=sum(m.hours for m in modules),
            methods=list(dict.fromkeys(method for m in modules for method in m.methods)),
            modules=modules,
        )
        for name in CURRICULA
        if (modules := by_curriculum.get(name))
    ]
    spec = version.spec or {}
    certificate = version.certificate or {}
    rule = reexam_rule(version)
    return CoursePlan(
        code=course.code,
        version=version.version,
        title=Text(course.title_zh, course.title_en),
        system=Text(version.system_zh, version.system_en),
        description=_text(spec.get("description")),
        audience=list(version.audience or []),
        hours=sum(plan.hours for plan in plans),
        curricula=plans,
        assessment=AssessmentPlan(
            assessed=assessed,
            certified=certified,
            pass_mark=version.pass_mark,
            written_weight=version.written_weight,
            practical_weight=version.practical_weight,
            time_limit_minutes=version.time_limit_minutes,
            max_attempts=int(rule["max_attempts"]),
            wait_days=int(rule["wait_days"]),
            tutoring_required=bool(rule["tutoring_required"]),
            grading=str(rule["grading"]),
            cap_percent=rule["cap_percent"],
            practical_items=[
                Text(item["text"]["zh"], item["text"]["en"]) for item in version.practical_checklist or []
            ],
            certificate_family=str(certificate.get("family", "")),
            certificate_title=_text(certificate.get("title")) or Text("", ""),
            validity_months=certificate.get("validity_months"),
        ),
        handouts=[handout_name(entry) for entry in version.handouts or []],
    )


def course_version_of(session: Session, course_code: str, version: int) -> CourseVersion:
    found = session.exec(
        select(CourseVersion)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .where(same_code(Course.code, course_code), CourseVersion.version == version)
    ).first()
    assert found is not None
    return found


# --- the teaching schedule ------------------------------------------------------------------------


def half_hours(hours: float) -> int:
    return max(0, round(hours * 2))


def fit(units: list[int], budget: int) -> list[int]:
    """Shorten module lengths (in half hours) in proportion to fit ``budget``; each keeps at least half an hour."""
    need = sum(units)
    if need <= budget or not units:
        return list(units)
    shares = [unit * budget / need for unit in units]
    fitted = [max(1, int(share)) for share in shares]
    spare = budget - sum(fitted)
    for index in sorted(range(len(units)), key=lambda i: shares[i] - int(shares[i]), reverse=True):
        if spare <= 0:
            break
        fitted[index] += 1
        spare -= 1
    return fitted


def assessment_hours(assessment: AssessmentPlan) -> float:
    """Time kept on the last day for the written quiz (its time limit) and the practical check."""
    if not assessment.assessed:
        return 0.0
    written = half_hours(-(-(assessment.time_limit_minutes or 60) // 30) / 2) / 2
    return written + (PRACTICAL_CHECK_HOURS if assessment.practical_weight > 0 else 0.0)


def teaching_schedule(course: CoursePlan, days: Sequence[DayLine]) -> tuple[list[ScheduleDay], bool]:
    """Spread the course's modules over the session's days by their hours, in syllabus order; a module that does not
    fit in what is left of a day goes on the next. The assessment takes the end of the last day. Returns the days and
    whether the modules had to be shortened to fit."""
    if not days:
        return [], False
    exam = half_hours(assessment_hours(course.assessment))
    capacity = [half_hours(day.hours) for day in days]
    capacity[-1] = max(0, capacity[-1] - exam)
    modules = course.modules
    wanted = [half_hours(module.hours) for module in modules]
    allotted = fit(wanted, sum(capacity))
    items: list[list[ScheduleItem]] = [[] for _day in days]
    index = 0
    for module, units in zip(modules, allotted, strict=True):
        first = True
        while units > 0:
            while index < len(days) - 1 and capacity[index] <= 0:
                index += 1
            take = units if index == len(days) - 1 else min(units, capacity[index])
            capacity[index] -= take
            units -= take
            items[index].append(
                ScheduleItem(
                    kind="module",
                    hours=take / 2,
                    module=module.code,
                    curriculum=module.curriculum,
                    title=module.title,
                    methods=list(module.methods),
                    continued=not first,
                    continues=units > 0,
                )
            )
            first = False
    for day_items, left in zip(items, capacity, strict=True):
        if left > 0:
            day_items.append(ScheduleItem(kind="review", hours=left / 2))
    if exam:
        items[-1].append(ScheduleItem(kind="assessment", hours=exam / 2))
    schedule = [
        ScheduleDay(day.day, day.start_time, day.end_time, day.hours, day_items)
        for day, day_items in zip(days, items, strict=True)
    ]
    return schedule, sum(allotted) < sum(wanted)


# --- who teaches ----------------------------------------------------------------------------------


def trainer_plans(session: Session, sessions: Sequence[SessionEvidence]) -> list[TrainerPlan]:
    """Everyone who teaches the obligation's sessions, with the skills they hold on the first day they teach."""
    first_day: dict[str, dt.date] = {}
    roles: dict[str, list[str]] = defaultdict(list)
    lines: dict[str, TrainerLine] = {}
    for training in sessions:
        for line in training.trainers:
            lines.setdefault(line.code, line)
            first_day[line.code] = min(first_day.get(line.code, training.first_day), training.first_day)
            if line.role not in roles[line.code]:
                roles[line.code].append(line.role)
    found = []
    for code, line in lines.items():
        person = person_by_code(session, code)
        record = person_record(session, person.id or 0, first_day[code])
        found.append(
            TrainerPlan(
                code=code,
                name=line.name,
                name_en=line.name_en,
                title=person.title or "",
                organisation=Text(line.organisation_zh, line.organisation_en),
                roles=roles[code],
                manufacturer=line.manufacturer,
                qualified_on=first_day[code],
                qualifications=[
                    Qualification(
                        r.skill,
                        Text(r.skill_zh, r.skill_en),
                        r.level,
                        r.valid_until,
                        r.certificate,
                        r.issuer,
                        r.reference,
                    )
                    for r in record.records
                    if r.state in ("certified", "due")
                ],
            )
        )
    return found


# --- the plan -------------------------------------------------------------------------------------


def both(function: Any, *args: Any) -> Text:
    """A word the code translates, in both languages."""
    with in_language("zh"):
        zh = function(*args)
    with in_language("en"):
        en = function(*args)
    return Text(zh, en)


def obligation_plan(session: Session, evidence: ObligationEvidence, clause_audience: Sequence[str]) -> ObligationPlan:
    """One obligation's part of the plan; the clause's audience comes from the row (compliance leaves it out)."""

    versions: dict[tuple[str, int], CourseVersion] = {}
    for training in evidence.sessions:
        key = (training.course_code, training.course_version)
        if key not in versions:
            versions[key] = course_version_of(session, *key)
    for code in evidence.course_codes:
        if not any(course == code for course, _version in versions):
            version = current_version(session, code)
            versions[(code, version.version)] = version
    courses = {
        key: course_plan(
            session,
            version,
            evidence.curricula,
            assessed=evidence.assessment_required,
            certified=evidence.certificate_required,
        )
        for key, version in versions.items()
    }
    periods = {period.label: period for period in evidence.periods}
    session_plans = []
    for training in evidence.sessions:
        course = courses[(training.course_code, training.course_version)]
        days, compressed = teaching_schedule(course, training.days)
        session_plans.append(
            SessionPlan(
                code=training.code,
                period=training.period if training.period != "once" else None,
                period_name=both(period_name, training.period) if training.period not in (None, "once") else None,
                mode=training.mode,
                place=training.place,
                city=training.city,
                room=training.room_name,
                first_day=training.first_day,
                last_day=training.last_day,
                total_hours=training.total_hours,
                rostered=training.rostered,
                course=training.course_code,
                course_version=training.course_version,
                trainers=[(line.name, line.role) for line in training.trainers],
                days=days,
                compressed=compressed,
            )
        )
    audience = list(clause_audience) or list(dict.fromkeys(a for course in courses.values() for a in course.audience))
    return ObligationPlan(
        code=evidence.code,
        clause_ref=evidence.clause_ref,
        clause_text=evidence.clause_text,
        mode=evidence.mode,
        place=evidence.place,
        cadence=evidence.cadence,
        window_start=evidence.window_start,
        window_end=evidence.window_end,
        working_days=evidence.working_days,
        provisional=any(period.provisional for period in periods.values()),
        periods=[
            PeriodPlan(p.label, both(period_name, p.label), p.window_start, p.window_end, list(p.sessions))
            for p in evidence.periods
        ],
        audience=audience,
        min_trainees=evidence.min_trainees,
        min_days=evidence.min_days,
        min_hours=evidence.min_hours,
        curricula=[c for c in CURRICULA if c in (evidence.curricula or CURRICULA)],
        hands_on_site=evidence.place == "buyer_site" or evidence.mode == "on_site",
        courses=list(courses.values()),
        sessions=session_plans,
        trainers=trainer_plans(session, evidence.sessions),
    )


def training_plan(session: Session, project_code: str, *, today: dt.date, calendar: WorkdayCalendar) -> TrainingPlan:
    """The plan of a project as the data stands.

    Raises:
        NotFoundError: no project has this code.
    """
    found = project_compliance(session, project_code, today, calendar)
    audiences = {
        code: audience or []
        for code, audience in session.exec(
            select(Obligation.code, Obligation.audience)
            .join(Project, col(Project.id) == Obligation.project_id)
            .where(Project.code == found.code)
        )
    }
    obligations = [obligation_plan(session, e, audiences.get(e.code, [])) for e in found.obligations]
    return TrainingPlan(
        project=found.code,
        name=Text(found.name_zh, found.name_en),
        buyer=Text(found.buyer.name_zh, found.buyer.name_en),
        tender_ref=found.tender_ref,
        site=found.site,
        city=found.city,
        warranty_months=found.warranty_months,
        milestones=[(m.kind, m.planned, m.actual) for m in found.milestones],
        obligations=obligations,
    )


def issue_training_plan(
    session: Session,
    project_code: str,
    *,
    today: dt.date,
    calendar: WorkdayCalendar,
    files_root: Path,
    render: Callable[[PlanDocument], bytes],
) -> IssuedVersion:
    """The plan's current version: a new one (rendered by ``render`` and kept) when the data changed since the last.

    Raises:
        NotFoundError: no project has this code.
    """
    plan = training_plan(session, project_code, today=today, calendar=calendar)
    digest = plan.inputs_sha256
    return issue(
        session,
        kind=PLAN_KIND,
        subject=plan.project,
        inputs_sha256=digest,
        make=lambda version: render(PlanDocument(plan, version, today, digest)),
        files_root=files_root,
    )


def plan_version(session: Session, project_code: str, version: int, *, files_root: Path) -> IssuedVersion:
    """An issued version of a project's plan, as it was written then.

    Raises:
        NotFoundError: no such project, or no such version.
    """
    project = project_by_code(session, project_code)
    return issued_version(session, files_root, PLAN_KIND, project.code, version)


def plan_versions(session: Session, project_code: str) -> list[VersionLine]:
    project = project_by_code(session, project_code)
    return version_lines(session, [PLAN_KIND], [project.code])


def session_syllabus(session: Session, training: TrainingSession) -> SyllabusDocument:
    """The syllabus a session teaches: its course version, the curricula its obligation asks for."""
    version = session.get(CourseVersion, training.course_version_id)
    assert version is not None
    obligation = session.get(Obligation, training.obligation_id) if training.obligation_id else None
    course = course_plan(
        session,
        version,
        obligation.curricula or () if obligation else (),
        assessed=obligation.assessment_required if obligation else True,
        certified=obligation.certificate_required if obligation else True,
    )
    on_site = training.mode == "on_site" or (obligation is not None and obligation.place == "buyer_site")
    return SyllabusDocument(course, training.code, on_site)
