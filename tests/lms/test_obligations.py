"""Obligation windows and status on the demo: waiting, planned, at risk, overdue, met, partly met; moving acceptance."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.calendars.workdays import ChinaCalendar
from lms.db import make_engine
from lms.models import AuditEntry, Obligation, TrainingSession
from lms.projects.obligations import obligation_status, portfolio_status
from lms.projects.periods import cadence_periods, once_window
from tests.conftest import DEMO_TODAY

D = dt.date


@pytest.fixture(scope="module")
def calendar() -> ChinaCalendar:
    return ChinaCalendar()


def statuses(url: str, calendar: ChinaCalendar) -> dict[tuple[str, str, str], Any]:
    with Session(make_engine(url)) as session:
        return {(s.project, s.obligation, s.period): s for s in portfolio_status(session, calendar, DEMO_TODAY)}


def test_every_status_appears_in_the_demo_with_its_reason(demo_database: str, calendar: ChinaCalendar) -> None:
    found = statuses(demo_database, calendar)
    assert found[("P2026-HZ-SHW", "OB-1", "once")].status == "met"
    partly = found[("P2025-HZ-SHW", "OB-1", "once")]
    assert partly.status == "partly_met" and "3 trainees present" in partly.reason
    assert found[("P2025-HZ-SHW", "OB-2", "2026-Q1")].status == "overdue"
    assert found[("P2026-SZ-SEC2", "OB-1", "once")].status == "waiting"
    at_risk = found[("P2026-NJ-REC", "OB-1", "once")]
    assert at_risk.status == "at_risk" and "not confirmed" in at_risk.reason
    planned = found[("P2026-SZ-SEC", "OB-1", "once")]
    assert planned.status == "planned" and planned.provisional
    slipped = found[("P2026-NJ-REC2", "OB-1", "once")]
    assert slipped.status == "at_risk" and "outside the window" in slipped.reason
    assert found[("P2026-HZ-SHW", "OB-2", f"{DEMO_TODAY.year}-autumn")].status == "met"


def test_window_counts_working_days_after_acceptance(calendar: ChinaCalendar) -> None:
    clause = Obligation(
        project_id=1,
        code="X",
        clause_text="验收合格后2个工作日内",
        anchor="acceptance",
        offset_days=2,
        offset_unit="working",
        direction="after",
        mode="centralised",
    )
    # accepted on the Wednesday before National Day: the 2 working days are Oct 8 and 9
    window = once_window(clause, D(2026, 9, 30), calendar)
    assert (window.start, window.end) == (D(2026, 10, 1), D(2026, 10, 9))
    before = Obligation(
        project_id=1,
        code="Y",
        clause_text="到货前10日",
        anchor="delivery",
        offset_days=10,
        offset_unit="calendar",
        direction="before",
        mode="online",
        window_days=5,
    )
    window = once_window(before, D(2026, 6, 20), calendar)
    assert (window.start, window.end) == (D(2026, 6, 6), D(2026, 6, 10))


def test_cadences_expand_over_the_warranty() -> None:
    spring_autumn = cadence_periods("spring_autumn", D(2026, 8, 25), 24)
    assert [p.label for p in spring_autumn] == ["2026-autumn", "2027-spring", "2027-autumn", "2028-spring"]
    quarters = cadence_periods("quarterly", D(2026, 2, 10), 12)
    assert quarters[0].start == D(2026, 2, 10) and quarters[-1].end == D(2027, 2, 9) and len(quarters) == 5
    assert [p.label for p in cadence_periods("semiannual", D(2026, 1, 1), 12)] == ["2026-H1", "2026-H2"]
    years = cadence_periods("yearly", D(2026, 3, 1), 24)
    assert [(p.start, p.end) for p in years] == [(D(2026, 3, 1), D(2027, 2, 28)), (D(2027, 3, 1), D(2028, 2, 29))]


def test_a_period_beyond_the_calendar_says_so(demo_database: str, calendar: ChinaCalendar) -> None:
    with Session(make_engine(demo_database)) as session:
        obligation = session.exec(select(Obligation).where(Obligation.code == "OB-1")).first()
        assert obligation is not None
        late = obligation_status(session, obligation, calendar, D(2026, 12, 31))
        assert all(result.status for result in late)


def test_obligations_status_command_json_and_unknown_project(cli, demo_database: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("obligations", "status", "--as-of", DEMO_TODAY.isoformat(), "--format", "json", db=demo_database)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert {row["status"] for row in rows} >= {"met", "partly_met", "overdue", "waiting", "at_risk", "planned"}
    assert all(row["clause"] and row["reason"] for row in rows)
    unknown = cli("obligations", "status", "--project", "NOPE", db=demo_database)
    assert unknown.code == 1 and "unknown project 'NOPE'" in unknown.err


def test_moving_acceptance_lists_displaced_sessions_deletes_nothing_and_is_audited(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo", "--as-of", DEMO_TODAY.isoformat()).code == 0
    target = (DEMO_TODAY + dt.timedelta(days=12)).isoformat()
    result = cli("projects", "set-date", "P2026-SZ-SEC", "acceptance", target, "--planned", "--format", "json")
    assert result.code == 0, result.err
    moved = json.loads(result.out)
    assert moved["after"] == target
    assert [item["session"] for item in moved["displaced"]]  # the confirmed session now starts too early
    assert "move" in moved["displaced"][0]["advice"]
    listed = cli("projects", "list", "--format", "json")
    assert json.loads(listed.out)
    bad = cli("projects", "set-date", "P2026-SZ-SEC", "acceptance", "2026-13-01")
    assert bad.code == 1 and "not a date" in bad.err
    unknown = cli("projects", "set-date", "NOPE", "acceptance", target)
    assert unknown.code == 1 and "unknown project" in unknown.err


def test_set_date_writes_the_audit_log(engine: Any, pm: Any) -> None:
    from lms.demo.loader import load_demo
    from lms.projects.projects_file import set_milestone_date

    with Session(engine) as session:
        load_demo(session, pm, seed=1, today=DEMO_TODAY)
        sessions_before = len(session.exec(select(TrainingSession)).all())
        set_milestone_date(session, project_code="P2026-NJ-REC2", kind="acceptance", day=D(2026, 11, 30), pm=pm)
        session.commit()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "milestone.set_date")).all()[-1]
        assert entry.entity_key == "P2026-NJ-REC2/acceptance"
        assert entry.after == {"actual_date": "2026-11-30"}
        assert len(session.exec(select(TrainingSession)).all()) == sessions_before
