"""Demo data: one vendor, its trainers and engineers, three buyers, six projects at different stages, with
sessions, attendance, attempts (a fail and its re-exam among them), certificates and skill records.

The same seed and the same ``today`` give the same data. Projects go in through the projects-file importer,
exactly as ``lms projects import`` does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, func, select

from lms import models
from lms.access import audit
from lms.assessment.quizzes import current_version
from lms.calendars.dates import add_months, working_today
from lms.demo.builder import DemoBuilder
from lms.demo.feedback import add_demo_feedback
from lms.demo.projects import projects_spec
from lms.errors import LmsError
from lms.i18n import _
from lms.models import Organisation, Person, Project, SkillRecord
from lms.models.lookup import project_by_code
from lms.projects.projects_file import import_projects
from lms.scheduling.sessions import add_to_roster, create_session


def _acceptance(session: Session, project: Project) -> dt.date | None:
    milestone = session.exec(
        select(models.Milestone).where(models.Milestone.project_id == project.id, models.Milestone.kind == "acceptance")
    ).one()
    return milestone.actual_date or milestone.planned_date


def load_demo(session: Session, pm: Any, *, seed: int = 7, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with the demo; returns how many of each thing were made. The caller commits."""
    today = today or working_today()
    paths = [path for group in pm.hook.lms_course_library() for path in group]
    if not paths or pm.hook.lms_import_courses(session=session, paths=paths, pm=pm) is None:
        raise LmsError(_("no plugin provides the course library; reinstall the package"))
    builder = DemoBuilder(session, pm, seed, today)
    cal = builder.cal
    vendor, maker = builder.organisations()
    staff = builder.staff(vendor, maker)
    rooms = builder.rooms(vendor)
    import_projects(session, projects_spec(today, cal), pm=pm)
    versions = {code: current_version(session, code) for code in ("SHW-OM", "SEC-AC", "REC-CLS", "LV-SWG", "SRV-DB")}
    lead, trainer_hz, trainer_nj = staff["E001"], staff["E002"], staff["E005"]

    # Engineers qualified in-house: switchgear two months ago, servers almost three years ago (expiring soon).
    engineers = [staff[code] for code in ("E003", "E004", "E006", "E007", "E008")]
    builder.held_session(
        version=versions["LV-SWG"],
        days=cal.run(cal.shift(today, -45), 3),
        trainees=engineers,
        trainers=[(staff["E006"], "lead"), (staff["M001"], "manufacturer")],
        project=None,
        obligation_code=None,
        place=rooms[1].name,
        city="杭州",
        mode="centralised",
        room=rooms[1],
    )
    old_start = add_months(today, -36) + dt.timedelta(days=21)
    builder.held_session(
        version=versions["SRV-DB"],
        days=cal.run(old_start, 2),
        trainees=[staff["E007"], staff["E004"], staff["E008"]],
        trainers=[(lead, "lead")],
        project=None,
        obligation_code=None,
        place=rooms[0].name,
        city="杭州",
        mode="centralised",
        room=rooms[0],
    )

    # Trainers may teach the operator courses: every skill the course grants, entered by HR, one lapsing next month.
    for course_code, person, months in (
        ("SHW-OM", lead, 36),
        ("SHW-OM", trainer_hz, 24),
        ("REC-CLS", trainer_nj, 24),
        ("REC-CLS", lead, 24),
        ("SEC-AC", trainer_hz, 1),
        ("SEC-AC", staff["E009"], 24),
    ):
        grants = session.exec(
            select(models.CourseSkillGrant).where(models.CourseSkillGrant.course_version_id == versions[course_code].id)
        ).all()
        if not grants or person.id is None:
            raise LmsError(_("course {code} grants no skill").format(code=course_code))
        for grant in grants:
            session.add(
                SkillRecord(
                    person_id=person.id,
                    skill_id=grant.skill_id,
                    level=2,
                    source="hr",
                    valid_from=add_months(today, -12),
                    valid_until=add_months(today, months),
                )
            )

    # P2026-HZ-SHW: accepted two months ago, trained on time, one trainee failed and passed the re-exam.
    project = project_by_code(session, "P2026-HZ-SHW")
    trainees = builder.buyer_staff(project, 8)
    accepted = _acceptance(session, project)
    assert accepted is not None
    builder.held_session(
        version=versions["SHW-OM"],
        days=[cal.shift(accepted, 1), cal.shift(accepted, 2)],
        trainees=trainees,
        trainers=[(lead, "lead"), (trainer_hz, "assistant")],
        project=project,
        obligation_code="OB-1",
        place=project.site,
        city=project.city,
        mode="centralised",
        absent=trainees[-1:],
        reexam=trainees[2],
    )
    builder.held_session(
        version=versions["SHW-OM"],
        days=[cal.shift(today, -12)],
        trainees=trainees[:6],
        trainers=[(trainer_hz, "lead")],
        project=project,
        obligation_code="OB-2",
        place=project.site,
        city=project.city,
        mode="on_site",
        assess=False,
        period=f"{today.year}-autumn",
    )

    # P2025-HZ-SHW: accepted long ago; only three operators came, so the duty is partly met.
    project = project_by_code(session, "P2025-HZ-SHW")
    trainees = builder.buyer_staff(project, 6)
    accepted = _acceptance(session, project)
    assert accepted is not None
    builder.held_session(
        version=versions["SHW-OM"],
        days=[cal.shift(accepted, 1), cal.shift(accepted, 2)],
        trainees=trainees,
        trainers=[(lead, "lead")],
        project=project,
        obligation_code="OB-1",
        place=project.site,
        city=project.city,
        mode="centralised",
        absent=trainees[3:],
    )

    # P2026-NJ-REC: accepted yesterday; the session is planned but not yet confirmed (at risk).
    project = project_by_code(session, "P2026-NJ-REC")
    accepted = _acceptance(session, project)
    assert accepted is not None
    upcoming = create_session(
        session,
        course_version=versions["REC-CLS"],
        days=cal.run(cal.shift(accepted, 1), 2),
        mode="centralised",
        place=project.site,
        city=project.city,
        trainers=[(trainer_nj, "lead"), (lead, "technical_lead")],
        project_id=project.id,
        obligation_id=builder._obligation_id(project, "OB-1"),
        code=builder.code("S"),
        pm=pm,
    )
    add_to_roster(session, upcoming, builder.buyer_staff(project, 9))

    # P2026-SZ-SEC: acceptance in three working days; training confirmed right after it.
    project = project_by_code(session, "P2026-SZ-SEC")
    accepted = _acceptance(session, project)
    assert accepted is not None
    confirmed = create_session(
        session,
        course_version=versions["SEC-AC"],
        days=cal.run(cal.shift(accepted, 1), 2),
        mode="centralised",
        place=project.site,
        city=project.city,
        status="confirmed",
        trainers=[(trainer_hz, "lead"), (lead, "technical_lead")],
        project_id=project.id,
        obligation_id=builder._obligation_id(project, "OB-1"),
        code=builder.code("S"),
        pm=pm,
    )
    add_to_roster(session, confirmed, builder.buyer_staff(project, 7))
    # The technical lead holds no access-control skill: an admin let the session through, and said why.
    confirmed.override_reason = "技术负责人陈立峰随行督导，不单独授课；门禁技能复训已排期"
    confirmed.override_by = "admin"
    audit.record(
        session,
        action="session.override",
        entity="session",
        key=confirmed.code,
        before={"override_reason": None, "override_by": None},
        after={"override_reason": confirmed.override_reason, "override_by": "admin"},
        actor="admin",
    )

    # P2026-NJ-REC2: acceptance slipped from two days ago to next week; the old plan now falls outside its window,
    # and it double-books the technical lead with the Nanjing session.
    project = project_by_code(session, "P2026-NJ-REC2")
    slipped_plan = cal.run(cal.shift(today, 1), 2)
    stale = create_session(
        session,
        course_version=versions["REC-CLS"],
        days=slipped_plan,
        mode="centralised",
        place=project.site,
        city=project.city,
        trainers=[(lead, "lead")],
        project_id=project.id,
        obligation_id=builder._obligation_id(project, "OB-1"),
        code=builder.code("S"),
        pm=pm,
    )
    add_to_roster(session, stale, builder.buyer_staff(project, 6))

    builder.buyer_staff(project_by_code(session, "P2026-SZ-SEC2"), 5)
    add_demo_feedback(session, seed=seed)  # trainees' feedback on the held sessions
    session.flush()
    return summary(session)


def summary_label(key: str) -> str:
    """A line of the demo summary as people read it (the keys stay stable for programs)."""
    return {
        "courses": _("courses"),
        "questions": _("questions"),
        "trainers/engineers": _("trainers and engineers"),
        "buyers": _("buyers"),
        "buyer staff": _("buyer staff"),
        "projects": _("projects"),
        "obligations": _("obligations"),
        "sessions": _("sessions"),
        "attendance": _("attendance records"),
        "attempts": _("quiz attempts"),
        "certificates": _("certificates"),
        "skill records": _("skill records"),
    }.get(key, key)


def summary(session: Session) -> dict[str, int]:
    def count(model: Any, *where: Any) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    return {
        "courses": count(models.Course),
        "questions": count(models.Question),
        "trainers/engineers": count(Person, col(Person.kind).in_(["trainer", "engineer"])),
        "buyers": count(Organisation, Organisation.kind == "buyer"),
        "buyer staff": count(Person, Person.kind == "buyer_staff"),
        "projects": count(Project),
        "obligations": count(models.Obligation),
        "sessions": count(models.TrainingSession),
        "attendance": count(models.Attendance),
        "attempts": count(models.Attempt),
        "certificates": count(models.Certificate),
        "skill records": count(SkillRecord),
    }
