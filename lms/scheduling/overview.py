"""Plain rows for overview screens and listings: projects with milestones, upcoming sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from lms.db import chunks, plain_rows
from lms.i18n import environment_language_held
from lms.models import (
    Course,
    CourseVersion,
    Milestone,
    Obligation,
    Organisation,
    Person,
    Project,
    SessionTrainer,
    TrainingSession,
)


def project_rows(session: Session) -> list[dict[str, Any]]:
    """Each project with its buyer and acceptance date (planned and actual)."""
    buyers = {o.id: o for o in session.exec(select(Organisation))}
    acceptance = {m.project_id: m for m in session.exec(select(Milestone).where(Milestone.kind == "acceptance"))}
    rows = []
    for project in session.exec(select(Project).order_by(Project.code)):
        milestone = acceptance.get(project.id or 0)
        buyer = buyers.get(project.buyer_id)
        rows.append(
            {
                "code": project.code,
                "name_zh": project.name_zh,
                "name_en": project.name_en,
                "buyer_zh": buyer.name_zh if buyer else "",
                "buyer_en": buyer.name_en if buyer else "",
                "city": project.city,
                "acceptance_planned": milestone.planned_date if milestone else None,
                "acceptance_actual": milestone.actual_date if milestone else None,
            }
        )
    return rows


def upcoming_sessions(session: Session, today: dt.date, limit: int = 50) -> list[dict[str, Any]]:
    """Sessions not cancelled that end on or after ``today``, soonest first, with their trainers."""
    statement = (
        select(TrainingSession, Course)
        .join(CourseVersion, col(CourseVersion.id) == TrainingSession.course_version_id)
        .join(Course, col(Course.id) == CourseVersion.course_id)
        .where(TrainingSession.last_day >= today, TrainingSession.status != "cancelled")
        .order_by(col(TrainingSession.first_day), col(TrainingSession.code))
        .limit(limit)
    )
    found = session.exec(statement).all()
    ids = [training.id for training, _course in found]
    names: dict[int, list[str]] = {}
    for link, person in session.exec(
        select(SessionTrainer, Person)
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .where(col(SessionTrainer.session_id).in_(ids))
        .order_by(col(SessionTrainer.id))  # in the order they were assigned, on every database
    ):
        names.setdefault(link.session_id, []).append(person.name)
    projects = {p.id: p.code for p in session.exec(select(Project))}
    return [
        {
            "code": training.code,
            "course": course.code,
            "course_zh": course.title_zh,
            "course_en": course.title_en,
            "project": projects.get(training.project_id, ""),
            "first_day": training.first_day,
            "last_day": training.last_day,
            "status": training.status,
            "place": training.place,
            "trainers": "、".join(names.get(training.id or 0, [])),
        }
        for training, course in found
    ]


STATUS_ORDER = {"overdue": 0, "at_risk": 1, "partly_met": 2, "planned": 3, "waiting": 4, "met": 5}


def dashboard_data(session: Session, calendar: Any, today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """What a trainer sees first: obligations by urgency, the next sessions, open conflicts."""
    from lms.projects.obligations import portfolio_status
    from lms.scheduling.conflicts import find_conflicts

    periods = [p.as_dict() for p in portfolio_status(session, calendar, today)]
    relevant = [
        p
        for p in periods
        if p["status"] != "met" and (p["window_start"] is None or p["window_start"] <= today + dt.timedelta(days=120))
    ]
    relevant.sort(
        key=lambda p: (
            STATUS_ORDER.get(p["status"], 9),
            p["window_end"] or dt.date.max,
            p["project"],
            p["obligation"],
            p["period"],
        )
    )
    conflicts = [c.as_dict() for c in find_conflicts(session, calendar, today)]
    return {"obligations": relevant, "sessions": upcoming_sessions(session, today), "conflicts": conflicts}


ATTENTION_HORIZON_DAYS = 120
RECENT_DAYS = 30


@environment_language_held()  # thousands of messages: the environment is read once
def attention_periods(
    session: Session,
    calendar: Any,
    today: dt.date,
    *,
    settled: bool = False,
    recent_days: int = RECENT_DAYS,
    stop: Callable[[], bool] | None = None,
) -> list[dict[str, Any]]:
    """Obligation periods needing attention (not met, window opening within 120 days), as ``dashboard_data`` lists
    them, most urgent first, in two parts so that a screen can show the first at once.

    ``settled=False``: periods still open, still to come, or closed within ``recent_days`` — what a trainer acts
    on now; quick, because few sessions serve them. ``settled=True``: the periods that closed before that; telling
    met from partly met there means checking every held session of the past years, which takes seconds.
    ``stop`` is asked between obligations; when it says so, what was found so far is returned (a screen closed).
    """
    from lms.calendars.workdays import CalendarCoverageError
    from lms.projects.obligations import Known, obligation_status, people_asked, period_status
    from lms.projects.periods import obligation_periods
    from lms.projects.session_checks import Context
    from lms.projects.session_facts import load_session_facts, serving_sessions

    cutoff = today - dt.timedelta(days=recent_days)
    horizon = today + dt.timedelta(days=ATTENTION_HORIZON_DAYS)
    # Columns, not Milestone objects: a model instance costs ~80 µs to build and a big install has thousands.
    anchors = {
        (project_id, kind): (actual or planned, actual is None)
        for project_id, kind, actual, planned in plain_rows(
            session,
            select(Milestone.project_id, Milestone.kind, col(Milestone.actual_date), col(Milestone.planned_date)),
        )
    }
    chosen = _obligations_to_check(session, anchors, None if settled else cutoff)
    # Only the sessions of the obligations looked at: the open ones have few, so the first part stays quick.
    serving = serving_sessions(session, (obligation.id or 0 for obligation, _project, _anchored in chosen))
    every = [training for trainings in serving.values() for training in trainings]
    facts = load_session_facts(session, every, people_asked((o for o, _p, _a in chosen), serving))
    known = Known({project.id or 0: project for _obligation, project, _anchored in chosen}, anchors, serving, facts)
    days_left: dict[dt.date, int | None] = {}  # one calendar, one today: every obligation's context shares it
    found: list[dict[str, Any]] = []
    for obligation, project, anchored in chosen:
        if stop is not None and stop():
            break
        try:
            periods, provisional = obligation_periods(session, obligation, project, calendar, anchored)
        except CalendarCoverageError:
            periods, provisional = [], True
        if not periods:  # unknown anchor or calendar: obligation_status says why, cheaply
            if not settled:
                found.extend(p.as_dict() for p in obligation_status(session, obligation, calendar, today, known))
            continue
        context = Context(obligation, project, calendar, today, days_left)
        sessions = serving.get(obligation.id or 0, [])
        for period in periods:
            if period.start > horizon or (period.end < cutoff) != settled:
                continue
            candidates = [  # the same choice obligation_status makes
                s
                for s in sessions
                if obligation.cadence == "once"
                or s.period_label == period.label
                or (s.period_label is None and period.start <= s.first_day <= period.end)
            ]
            status = period_status(session, context, period, candidates, provisional, facts)
            if status.status != "met":
                found.append(status.as_dict())
    found.sort(
        key=lambda p: (
            STATUS_ORDER.get(p["status"], 9),
            p["window_end"] or dt.date.max,
            p["project"],
            p["obligation"],
            p["period"],
        )
    )
    return found


Anchored = tuple[dt.date | None, bool]  # the anchor milestone's date, and whether it is only planned


def _obligations_to_check(
    session: Session, anchors: dict[tuple[int, str], Anchored], cutoff: dt.date | None
) -> list[tuple[Obligation, Project, Anchored]]:
    """Every obligation with its project and anchor, by project and code; with ``cutoff``, only those that may have
    a period ending on or after it (told from a few columns: only these are built as model instances)."""
    by_code = (col(Project.code), col(Obligation.code))
    everything = select(Obligation, Project).join(Project, col(Project.id) == Obligation.project_id)

    def anchored(project_id: int, kind: str) -> Anchored:
        return anchors.get((project_id, kind), (None, True))  # no such milestone: no date, as if only planned

    def with_anchors(pairs: Iterable[tuple[Obligation, Project]]) -> list[tuple[Obligation, Project, Anchored]]:
        return [(obligation, project, anchored(project.id or 0, obligation.anchor)) for obligation, project in pairs]

    if cutoff is None:
        return with_anchors(session.exec(everything.order_by(*by_code)))
    bounds = sa_select(
        *(getattr(Obligation, name) for name in ("id", "project_id", "anchor", "direction", "cadence")),
        *(getattr(Obligation, name) for name in ("offset_days", "offset_unit", "window_days")),
        col(Project.warranty_months),
    ).join(Project, col(Project.id) == Obligation.project_id)
    wanted = []
    for row in plain_rows(session, bounds.order_by(*by_code)):
        latest = latest_period_end(row, row.warranty_months, anchored(row.project_id, row.anchor)[0])
        if latest is None or latest >= cutoff:
            wanted.append(row.id)
    loaded: dict[int, tuple[Obligation, Project]] = {}
    for chunk in chunks(wanted):
        loaded.update((o.id or 0, (o, p)) for o, p in session.exec(everything.where(col(Obligation.id).in_(chunk))))
    return with_anchors(loaded[number] for number in wanted if number in loaded)  # deleted meanwhile: left out


def latest_period_end(obligation: Any, warranty_months: int, anchor: dt.date | None) -> dt.date | None:
    """A day after which none of the obligation's periods ends, generously (None: the anchor is not known).

    Only a bound, to skip obligations that finished long ago without working their windows out: N working days
    are taken as at most 2N + 21 calendar days (a week-long holiday and its weekends), a month as 31 days.
    """
    if anchor is None:
        return None
    if obligation.direction == "before":
        return anchor
    offset = dt.timedelta(days=2 * obligation.offset_days + 21 if obligation.offset_unit == "working" else 0)
    offset += dt.timedelta(days=obligation.offset_days if obligation.offset_unit != "working" else 0)
    if obligation.cadence == "once":
        return anchor + offset + dt.timedelta(days=obligation.window_days or 0)
    return anchor + offset + dt.timedelta(days=31 * (warranty_months + 1))


def project_detail(session: Session, calendar: Any, today: dt.date, project_code: str) -> dict[str, Any]:
    """One project for its screen: milestones (planned and actual), every obligation period with its clause and the
    sessions serving it, and the sessions that fall outside their windows now."""
    from dataclasses import asdict

    from lms.models import Obligation
    from lms.models.lookup import project_by_code
    from lms.projects.obligations import displaced_sessions, portfolio_status
    from lms.projects.projects_file import MILESTONES

    project = project_by_code(session, project_code)
    milestones = {m.kind: m for m in session.exec(select(Milestone).where(Milestone.project_id == project.id))}
    clauses = {o.code: o for o in session.exec(select(Obligation).where(Obligation.project_id == project.id))}
    periods = []
    for period in portfolio_status(session, calendar, today, project_code):
        obligation = clauses.get(period.obligation)
        periods.append(
            period.as_dict()
            | {
                "clause_ref": obligation.clause_ref if obligation else None,
                "cadence": obligation.cadence if obligation else "",
            }
        )
    return {
        "code": project.code,
        "milestones": [
            {
                "kind": kind,
                "planned": milestones[kind].planned_date if kind in milestones else None,
                "actual": milestones[kind].actual_date if kind in milestones else None,
            }
            for kind in MILESTONES
        ],
        "periods": periods,
        "displaced": [asdict(d) for d in displaced_sessions(session, project_code, calendar, today)],
    }
