"""A course version as a training plan shows it: modules grouped by curriculum with objectives, hours and teaching
methods, and the assessment and certificate rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from lms.assessment.reexams import reexam_rule
from lms.catalog.handouts import handout_name
from lms.documents.plan_models import AssessmentPlan, CoursePlan, CurriculumPlan, ModulePlan, Text
from lms.models import Course, CourseModule, CourseVersion
from lms.models.lookup import same_code

CURRICULA = ("operation", "maintenance", "fault_handling")
# How each curriculum is taught when a module names no method of its own.
DEFAULT_METHODS: dict[str, tuple[str, ...]] = {
    "operation": ("lecture", "demonstration", "hands_on"),
    "maintenance": ("demonstration", "hands_on"),
    "fault_handling": ("lecture", "demonstration", "hands_on"),
}


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
