"""Conflicts: each kind found on a small schedule built for it; nothing reported on a clean one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.calendars.workdays import ChinaCalendar
from lms.catalog.service import import_paths
from lms.i18n import in_language
from lms.models import CourseSkillGrant, Organisation, Person, Room, RosterEntry, SkillRecord, TrainingSession
from lms.scheduling.conflicts import find_conflicts
from lms.scheduling.sessions import add_to_roster, create_session
from tests.conftest import DEMO_TODAY, LIBRARY

D = dt.date


def setup(session: Session, pm: Any) -> dict[str, Any]:
    (version, _created), *_ = import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
    vendor = Organisation(code="V", kind="vendor", name_zh="供应商", name_en="Vendor")
    buyer = Organisation(code="B", kind="buyer", name_zh="采购方", name_en="Buyer")
    session.add_all([vendor, buyer])
    session.flush()
    alice = Person(code="T1", kind="trainer", name="王老师", organisation_id=vendor.id)
    bob = Person(code="T2", kind="trainer", name="李老师", organisation_id=vendor.id)
    room = Room(code="R1", name="101 教室", organisation_id=vendor.id, city="杭州", capacity=2)
    session.add_all([alice, bob, room])
    session.flush()
    for grant in session.exec(select(CourseSkillGrant).where(CourseSkillGrant.course_version_id == version.id)):
        session.add(SkillRecord(person_id=alice.id, skill_id=grant.skill_id, valid_from=D(2026, 1, 1)))
    session.flush()
    return {"version": version, "alice": alice, "bob": bob, "room": room, "buyer": buyer}


def make(
    session: Session,
    things: dict[str, Any],
    days: list[dt.date],
    trainer: str,
    *,
    city: str = "杭州",
    room: bool = False,
) -> Any:
    return create_session(
        session,
        course_version=things["version"],
        days=days,
        mode="centralised",
        place="现场",
        city=city,
        trainers=[(things[trainer], "lead")],
        room=things["room"] if room else None,
    )


def kinds(session: Session) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for conflict in find_conflicts(session, ChinaCalendar(), D(2026, 11, 1)):
        found.setdefault(conflict.kind, []).append(conflict)
    return found


def test_clean_schedule_has_no_conflicts(session: Session, pm: Any) -> None:
    things = setup(session, pm)
    make(session, things, [D(2026, 11, 24), D(2026, 11, 25)], "alice")
    make(session, things, [D(2026, 11, 26)], "alice")
    assert kinds(session) == {}


def test_multi_day_overlap_two_cities_room_capacity_skill_and_holiday(session: Session, pm: Any) -> None:
    things = setup(session, pm)
    make(session, things, [D(2026, 11, 24), D(2026, 11, 25)], "alice", room=True)
    make(session, things, [D(2026, 11, 25), D(2026, 11, 26)], "alice", city="南京", room=True)
    unqualified = make(session, things, [D(2026, 11, 30)], "bob")
    full = make(session, things, [D(2026, 12, 1)], "alice", room=True)
    trainees = []
    for n in range(3):
        person = Person(code=f"B{n}", kind="buyer_staff", name=f"学员{n}", organisation_id=things["buyer"].id)
        session.add(person)
        trainees.append(person)
    session.flush()
    add_to_roster(session, full, trainees)
    make(session, things, [D(2026, 11, 28)], "alice")  # a Saturday that is not a make-up working day
    found = kinds(session)
    double = found["trainer_double_booked"]
    assert len(double) == 1 and double[0].day == D(2026, 11, 25)
    assert found["two_cities"][0].subject == "T1"
    assert found["room_double_booked"][0].day == D(2026, 11, 25)
    assert found["over_capacity"][0].sessions == (full.code,)
    assert [c.sessions for c in found["trainer_unqualified"]] == [(unqualified.code,)]
    assert found["non_working_day"][0].day == D(2026, 11, 28)
    assert len(session.exec(select(RosterEntry)).all()) == 3


def test_cancelled_sessions_do_not_conflict(session: Session, pm: Any) -> None:
    from lms.scheduling.sessions import set_status

    things = setup(session, pm)
    make(session, things, [D(2026, 11, 24)], "alice")
    second = make(session, things, [D(2026, 11, 24)], "alice")
    assert "trainer_double_booked" in kinds(session)
    set_status(session, second, "cancelled")
    assert "trainer_double_booked" not in kinds(session)


def test_conflicts_command_on_the_demo(cli, demo_database: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("schedule", "conflicts", "--as-of", DEMO_TODAY.isoformat(), "--format", "json", db=demo_database)
    found = {row["kind"] for row in json.loads(result.out)}
    assert {"trainer_double_booked", "outside_window"} <= found


def serving(session: Session, pm: Any, windows: dict[str, dict[str, Any]], starts: list[tuple[str, dt.date]]) -> None:
    """A project accepted on 2026-12-01 with the given obligations, and sessions made as ``lms sessions new`` does."""
    from lms.projects.obligation_edits import add_obligations, spec_from
    from lms.projects.project_edits import create_project
    from lms.scheduling.session_new import NewSession, new_session

    setup(session, pm)
    create_project(
        session=session, code="P-NJ", buyer="B", name_zh="南京", site="现场", city="南京", warranty_months=24,
        planned={"acceptance": D(2026, 12, 1)},
    )  # fmt: skip
    clause = {"clause": "培训", "anchor": "acceptance", "mode": "on_site", "place": "any", "courses": ["SHW-OM"]}
    specs = [spec_from(clause | {"id": code} | fields, code) for code, fields in windows.items()]
    add_obligations(session=session, project_code="P-NJ", specs=specs)
    for obligation, start in starts:
        wanted = NewSession(project="P-NJ", obligation=obligation, start=start, days=1, trainers=["T1"])
        new_session(session, ChinaCalendar(), wanted, pm=pm)
    session.flush()


def test_sessions_in_none_of_their_obligation_windows(session: Session, pm: Any) -> None:
    assert kinds(session) == {}  # an empty database, as a vendor starts
    once = {"offset": "30 calendar days after", "window_days": 20}  # a single window, 2026-12-02 to 2026-12-31
    seasons = {"offset": "0 calendar days after", "cadence": "spring_autumn"}  # 2027-spring (03-01–05-31) ...
    halves = {"offset": "0 calendar days after", "cadence": "semiannual"}  # 2026-12-01–12-31 ... 2028-07-01–11-30
    starts = [
        ("OB-1", D(2026, 12, 1)),  # the acceptance day itself: before the window
        ("OB-1", D(2027, 1, 5)),  # after it
        ("OB-1", D(2026, 12, 15)),  # inside: no conflict
        ("OB-2", D(2026, 12, 11)),  # before the first season
        ("OB-2", D(2027, 2, 7)),  # still before it
        ("OB-2", D(2027, 7, 6)),  # between spring and autumn
        ("OB-2", D(2027, 4, 6)),  # inside spring: no conflict
        ("OB-3", D(2028, 12, 5)),  # after the warranty's last half-year
        ("OB-3", D(2027, 3, 9)),  # inside 2027-H1: no conflict
    ]
    serving(session, pm, {"OB-1": once, "OB-2": seasons, "OB-3": halves}, starts)
    found = {(c.subject, c.day): c.message for c in kinds(session).get("outside_window", [])}
    assert set(found) == {
        ("P-NJ/OB-1", D(2026, 12, 1)), ("P-NJ/OB-1", D(2027, 1, 5)), ("P-NJ/OB-2", D(2026, 12, 11)),
        ("P-NJ/OB-2", D(2027, 2, 7)), ("P-NJ/OB-2", D(2027, 7, 6)), ("P-NJ/OB-3", D(2028, 12, 5)),
    }  # fmt: skip
    for day in (D(2026, 12, 1), D(2027, 1, 5)):
        assert found[("P-NJ/OB-1", day)].endswith(f"starts {day}, outside the window 2026-12-02–2026-12-31")
    for day in (D(2026, 12, 11), D(2027, 2, 7)):
        assert found[("P-NJ/OB-2", day)].endswith("before the first window 2027 spring 2027-03-01–2027-05-31")
    between = "between the windows 2027 spring 2027-03-01–2027-05-31 and 2027 autumn 2027-09-01–2027-11-30"
    assert found[("P-NJ/OB-2", D(2027, 7, 6))].endswith(between)
    last = "after the last window 2028 second half 2028-07-01–2028-11-30"
    assert found[("P-NJ/OB-3", D(2028, 12, 5))].endswith(last)


def test_a_session_in_no_window_is_not_confirmed_without_an_override(session: Session, pm: Any) -> None:
    from lms.scheduling.confirmation import ConfirmationRefused, clear_to_confirm

    serving(
        session,
        pm,
        {"OB-2": {"offset": "0 calendar days after", "cadence": "spring_autumn"}},
        [("OB-2", D(2026, 12, 11))],
    )
    training = session.exec(select(TrainingSession)).one()
    with pytest.raises(ConfirmationRefused) as refused:
        clear_to_confirm(session, training, calendar=ChinaCalendar(), today=D(2026, 11, 1))
    assert [p.kind for p in refused.value.problems] == ["outside_window"]
    assert "2027-03-01–2027-05-31" in str(refused.value)
    with in_language("zh"):
        (chinese,) = kinds(session)["outside_window"]
    assert chinese.message.endswith("早于第一个时间窗口 2027年春季 2027-03-01–2027-05-31")
