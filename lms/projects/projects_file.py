"""Projects files: buyers, projects, milestones and the tender's training obligations, validated like course YAML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from lms.access import audit
from lms.access.edits import claim_version
from lms.access.roles import Permission, require
from lms.calendars.dates import EARLIEST_DATE, LATEST_DATE
from lms.errors import LmsError
from lms.files.yamlsource import YamlDocument, load_yaml_file
from lms.i18n import _
from lms.models import Course, Milestone, Obligation, Organisation, Project, ProjectCourse
from lms.models.lookup import code_key, course_by_code, find_by_code, project_by_code
from lms.questions.types import BilingualName, BilingualTitle

Code = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
OFFSET_PATTERN = re.compile(r"^\s*(\d+)\s+(working|calendar)\s+days?\s+(after|before)\s*$", re.IGNORECASE)
MILESTONES = ("delivery", "installation", "acceptance")
MAX_OFFSET_DAYS = 3660  # ten years: longer than any warranty (120 months at most)
# The years people type on purpose: the same bounds as every typed date (and date arithmetic cannot overflow).
FIRST_DAY, LAST_DAY = EARLIEST_DATE, LATEST_DATE


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Offset(BaseModel):
    days: int
    unit: Literal["working", "calendar"]
    direction: Literal["after", "before"]


def parse_offset(text: str) -> Offset:
    """'2 working days after' → Offset(2, working, after)."""
    match = OFFSET_PATTERN.match(str(text))
    if not match:
        raise ValueError(
            f"offset {text!r} does not parse; write e.g. '2 working days after' or '30 calendar days before'"
        )
    days = int(match[1]) if len(match[1]) <= 6 else MAX_OFFSET_DAYS + 1
    if days > MAX_OFFSET_DAYS:
        raise ValueError(_("an offset may be at most {limit} days").format(limit=MAX_OFFSET_DAYS))
    return Offset(days=days, unit=match[2].lower(), direction=match[3].lower())  # type: ignore[arg-type]


class BuyerSpec(Strict):
    code: Code
    name: BilingualName
    city: str


class MilestoneDates(Strict):
    planned: dt.date | None = None
    actual: dt.date | None = None

    @field_validator("planned", "actual")
    @classmethod
    def plausible(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValueError(
                _("must be a date between {first} and {last}").format(
                    first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
                )
            )
        return value


Audience = Literal["operator", "electrician", "maintenance_technician", "manager", "engineer"]
Curriculum = Literal["operation", "maintenance", "fault_handling"]
CADENCES = ("once", "monthly", "quarterly", "semiannual", "spring_autumn", "yearly")


class ObligationSpec(Strict):
    """One training duty, quoting the tender clause it comes from. Due either by an anchor milestone and offset, or
    by an absolute ``deadline`` (「2022年03月底前」), or both (the earlier end wins)."""

    id: Code
    clause: str = Field(min_length=1, description="the tender clause, quoted")
    clause_ref: str | None = None
    anchor: Literal["delivery", "installation", "acceptance"] | None = None
    offset: str | None = None
    deadline: dt.date | None = None
    window_days: int | None = Field(
        default=None, gt=0, le=MAX_OFFSET_DAYS, description="calendar days the window stays open"
    )
    mode: Literal["on_site", "centralised", "online"]
    place: Literal["buyer_site", "training_centre", "any"] = "buyer_site"
    min_trainees: int | None = Field(default=None, ge=1, le=10_000, description="null: 不受人员限制, no minimum")
    min_days: float = Field(default=0, ge=0, le=366)
    min_hours: float = Field(default=0, ge=0, le=10_000)
    audience: list[Audience] = Field(default_factory=list)
    curricula: list[Curriculum] = Field(default_factory=list)
    courses: list[str] = Field(default_factory=list)
    assessment: bool = False
    certificate: bool = False
    reexam: bool = False
    cadence: Literal["once", "monthly", "quarterly", "semiannual", "spring_autumn", "yearly"] = "once"
    trainer_roles: list[Literal["technical_lead", "manufacturer", "trainer"]] = Field(default_factory=list)

    @field_validator("offset")
    @classmethod
    def offset_parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse_offset(value)
        return value

    @field_validator("deadline")
    @classmethod
    def deadline_plausible(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValueError(
                _("must be a date between {first} and {last}").format(
                    first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
                )
            )
        return value

    @model_validator(mode="after")
    def due_somehow(self) -> ObligationSpec:
        if self.anchor is None and self.deadline is None:
            raise ValueError(_("give an anchor milestone with an offset, or a deadline"))
        if self.anchor is not None and self.offset is None:
            raise ValueError(_("an anchor needs an offset, e.g. '2 working days after'"))
        if self.anchor is None and self.cadence != "once":
            raise ValueError(_("a repeated duty needs an anchor milestone to count from"))
        return self


class ProjectSpec(Strict):
    code: Code
    name: BilingualTitle
    buyer: str
    site: str
    city: str
    tender_ref: str | None = None
    warranty_months: int = Field(default=12, ge=0, le=120)
    courses: list[str] = Field(default_factory=list)
    milestones: dict[Literal["delivery", "installation", "acceptance"], MilestoneDates] = Field(default_factory=dict)
    obligations: list[ObligationSpec] = Field(default_factory=list)


class ProjectsFile(Strict):
    buyers: list[BuyerSpec] = Field(default_factory=list)
    projects: list[ProjectSpec] = Field(min_length=1)


def load_projects_file(path: Path) -> tuple[ProjectsFile, YamlDocument]:
    document = load_yaml_file(path)
    if not isinstance(document.data, dict):
        raise LmsError(_("a projects file must be a mapping with buyers and projects"), file=path, line=1)
    try:
        spec = ProjectsFile.model_validate(document.data)
    except ValidationError as error:
        raise document.validation_error(error) from None
    return spec, document


def _check_references(session: Session, spec: ProjectsFile, document: YamlDocument | None) -> None:
    def fail(loc: tuple[str | int, ...], message: str) -> LmsError:
        return document.error(loc, message) if document else LmsError(message, field=".".join(map(str, loc)))

    buyers = {buyer.code for buyer in spec.buyers}
    courses = {code_key(code) for code in session.exec(select(Course.code))}
    seen_projects: set[str] = set()
    for index, project in enumerate(spec.projects):
        if code_key(project.code) in seen_projects:
            raise fail(("projects", index, "code"), _("duplicate project code {code!r}").format(code=project.code))
        seen_projects.add(code_key(project.code))
        if (
            project.buyer not in buyers
            and session.exec(select(Organisation.id).where(Organisation.code == project.buyer)).first() is None
        ):
            raise fail(("projects", index, "buyer"), _("unknown buyer {code!r}").format(code=project.buyer))
        for position, code in enumerate(project.courses):
            if code_key(code) not in courses:
                raise fail(("projects", index, "courses", position), _("unknown course {code!r}").format(code=code))
        seen_obligations: set[str] = set()
        for number, obligation in enumerate(project.obligations):
            if obligation.id in seen_obligations:
                raise fail(
                    ("projects", index, "obligations", number, "id"),
                    _("duplicate obligation id {code!r}").format(code=obligation.id),
                )
            seen_obligations.add(obligation.id)
            for position, code in enumerate(obligation.courses):
                if code_key(code) not in courses:
                    raise fail(
                        ("projects", index, "obligations", number, "courses", position),
                        _("unknown course {code!r}").format(code=code),
                    )


def import_projects(
    session: Session, spec: ProjectsFile, document: YamlDocument | None = None, pm: Any = None
) -> dict[str, int]:
    """Create or update buyers, projects, milestones and obligations. The caller commits; errors write nothing."""
    require(Permission.edit_projects)
    _check_references(session, spec, document)
    counts = {"buyers": 0, "projects": 0, "obligations": 0}
    for buyer in spec.buyers:
        organisation = session.exec(select(Organisation).where(Organisation.code == buyer.code)).first()
        if organisation is None:
            organisation = Organisation(code=buyer.code, kind="buyer", name_zh="", name_en="")
            session.add(organisation)
        organisation.name_zh, organisation.name_en, organisation.city = (
            buyer.name.zh,
            buyer.name.en,
            buyer.city,
        )
        counts["buyers"] += 1
    session.flush()
    for project_spec in spec.projects:
        _import_project(session, project_spec, pm)
        counts["projects"] += 1
        counts["obligations"] += len(project_spec.obligations)
    session.flush()
    return counts


def _import_project(session: Session, spec: ProjectSpec, pm: Any) -> Project:
    buyer = session.exec(select(Organisation).where(Organisation.code == spec.buyer)).one()
    assert buyer.id is not None
    project = find_by_code(session, Project, spec.code)
    values: dict[str, Any] = {
        "name_zh": spec.name.zh,
        "name_en": spec.name.en,
        "buyer_id": buyer.id,
        "site": spec.site,
        "city": spec.city,
        "warranty_months": spec.warranty_months,
        "tender_ref": spec.tender_ref,
    }
    if project is None:
        project = Project(code=spec.code, **values)
        session.add(project)
    elif any(getattr(project, key) != value for key, value in values.items()):
        # A newer version, so a form loaded before the import cannot write its older copy back over it.
        claim_version(session, project, None, what=_("project {code}").format(code=spec.code))
        for key, value in values.items():
            setattr(project, key, value)
    session.flush()
    assert project.id is not None
    for code in spec.courses:
        course = course_by_code(session, code)
        link = session.exec(
            select(ProjectCourse).where(ProjectCourse.project_id == project.id, ProjectCourse.course_id == course.id)
        ).first()
        if link is None and course.id is not None:
            session.add(ProjectCourse(project_id=project.id, course_id=course.id))
    for kind in MILESTONES:
        dates = spec.milestones.get(kind)  # type: ignore[call-overload]
        if dates is None:
            continue
        milestone = milestone_of(session, project.id, kind)
        if milestone.planned_date != dates.planned:
            change_milestone_date(session, project, milestone, dates.planned, planned=True)
        if milestone.actual_date != dates.actual:
            change_milestone_date(session, project, milestone, dates.actual, pm=pm)
    for obligation_spec in spec.obligations:
        _import_obligation(session, project.id, obligation_spec)
    return project


def milestone_of(session: Session, project_id: int, kind: str) -> Milestone:
    milestone = session.exec(
        select(Milestone).where(Milestone.project_id == project_id, Milestone.kind == kind)
    ).first()
    if milestone is None:
        milestone = Milestone(project_id=project_id, kind=kind)
        session.add(milestone)
        session.flush()
    return milestone


def change_milestone_date(
    session: Session,
    project: Project,
    milestone: Milestone,
    new: dt.date | None,
    *,
    planned: bool = False,
    pm: Any = None,
) -> dt.date | None:
    """Set a milestone's actual (or planned) date, write the change to the audit log and fire
    ``lms_milestone_changed``. Returns the date it had before."""
    require(Permission.edit_projects)
    column = "planned_date" if planned else "actual_date"
    before: dt.date | None = getattr(milestone, column)
    setattr(milestone, column, new)
    session.flush()
    audit.record(
        session,
        action="milestone.set_planned_date" if planned else "milestone.set_date",
        entity="milestone",
        key=f"{project.code}/{milestone.kind}",
        before={column: before.isoformat() if before else None},
        after={column: new.isoformat() if new else None},
    )
    if pm is not None:
        pm.hook.lms_milestone_changed(session=session, milestone=milestone, before=before)
    return before


def obligation_values(spec: ObligationSpec) -> dict[str, Any]:
    """The Obligation columns a spec sets (an obligation due only by its deadline keeps an empty anchor)."""
    offset = parse_offset(spec.offset) if spec.offset else Offset(days=0, unit="calendar", direction="after")
    return {
        "clause_ref": spec.clause_ref,
        "clause_text": spec.clause,
        "anchor": spec.anchor or "",
        "offset_days": offset.days,
        "offset_unit": offset.unit,
        "direction": offset.direction,
        "deadline": spec.deadline,
        "window_days": spec.window_days,
        "mode": spec.mode,
        "place": spec.place,
        "min_trainees": spec.min_trainees or 0,
        "min_days": spec.min_days,
        "min_hours": spec.min_hours,
        "audience": list(spec.audience),
        "curricula": list(spec.curricula),
        "course_codes": list(spec.courses),
        "assessment_required": spec.assessment,
        "certificate_required": spec.certificate,
        "reexam_required": spec.reexam,
        "cadence": spec.cadence,
        "required_trainer_roles": list(spec.trainer_roles),
    }


def _import_obligation(session: Session, project_id: int, spec: ObligationSpec) -> Obligation:
    obligation = session.exec(
        select(Obligation).where(Obligation.project_id == project_id, Obligation.code == spec.id)
    ).first()
    values = obligation_values(spec)
    if obligation is None:
        obligation = Obligation(project_id=project_id, code=spec.id, **values)
        session.add(obligation)
        session.flush()
        return obligation
    before = {key: getattr(obligation, key) for key in values}
    changed = {key: value for key, value in values.items() if before[key] != value}
    if changed:
        claim_version(session, obligation, None, what=_("obligation {code}").format(code=spec.id))
        for key, value in changed.items():
            setattr(obligation, key, value)
        audit.record(
            session,
            action="obligation.edit",
            entity="obligation",
            key=f"{project_id}/{spec.id}",
            before={key: plain(before[key]) for key in changed},
            after={key: plain(value) for key, value in changed.items()},
        )
    return obligation


def plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def set_milestone_date(
    session: Session, *, project_code: str, kind: str, day: dt.date | None, planned: bool = False, pm: Any = None
) -> tuple[dt.date | None, dt.date | None]:
    """Move a milestone (actual date, or the planned one with ``planned``); audited. Returns (before, after)."""
    require(Permission.edit_projects)
    if kind not in MILESTONES:
        raise LmsError(
            _("unknown milestone {kind!r} (use delivery, installation or acceptance)").format(kind=kind),
            field="MILESTONE",
        )
    project = project_by_code(session, project_code)
    assert project.id is not None
    milestone = milestone_of(session, project.id, kind)
    before = change_milestone_date(session, project, milestone, day, planned=planned, pm=pm)
    return before, day
