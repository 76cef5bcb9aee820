"""The training plan (培训计划) of a project: for each tender obligation when, where, for whom, what, how, who
teaches and how trainees are assessed and certified, then a day-by-day teaching schedule (教学进度) of each session.

The plan is built from the project's compliance (``lms.evidence.compliance``: windows, periods, sessions with their
days and trainers), the course versions (``lms.documents.course_plans``), the teaching schedule
(``lms.documents.teaching_schedule``) and the trainers' skill records (``lms.credentials.skills``); what it holds is
in ``lms.documents.plan_models``. It holds codes and both languages of every text from the data, never words
translated for one reader, so its hash (``inputs_sha256``) says whether anything a reader sees has
changed: ``lms.documents.versions`` then keeps a new version or hands back the one already issued.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lms.assessment.quizzes import current_version
from lms.calendars.workdays import WorkdayCalendar
from lms.credentials.person_records import person_record
from lms.documents.course_plans import CURRICULA, course_plan, course_version_of
from lms.documents.plan_models import (
    ObligationPlan,
    PeriodPlan,
    PlanDocument,
    Qualification,
    SessionPlan,
    SyllabusDocument,
    Text,
    TrainerPlan,
    TrainingPlan,
)
from lms.documents.teaching_schedule import teaching_schedule
from lms.documents.versions import (
    TRAINING_PLAN,
    IssuedVersion,
    VersionLine,
    issue,
    issued_version,
    version_lines,
)
from lms.evidence.compliance import project_compliance
from lms.evidence.compliance_records import ObligationEvidence
from lms.evidence.session_lines import SessionEvidence, TrainerLine
from lms.i18n import in_language
from lms.master_data.issuer import issuer_name
from lms.models import CourseVersion, Obligation, Project, TrainingSession
from lms.models.lookup import person_by_code, project_by_code
from lms.projects.periods import period_name

PLAN_KIND = TRAINING_PLAN
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
    issuer = issuer_name(session=session)
    return issue(
        session,
        kind=PLAN_KIND,
        subject=plan.project,
        inputs_sha256=digest,
        make=lambda version: render(PlanDocument(plan, version, today, digest, issuer)),
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
    return SyllabusDocument(course, training.code, on_site, issuer=issuer_name(session=session))
