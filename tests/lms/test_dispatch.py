"""持证上岗 from an empty database: one qualification rule (every skill the course grants, every day of the period)
for the conflict check, ``skills qualified`` and dispatch; confirming over an unqualified trainer needs an admin's
audited override."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.access.roles import PermissionDenied, Role, acting_as
from lms.calendars.workdays import get_calendar
from lms.credentials.qualification import first_uncovered
from lms.models import AuditEntry, CourseVersion, Person, TrainingSession
from lms.scheduling.confirmation import ConfirmationRefused, clear_to_confirm
from lms.scheduling.conflicts import find_conflicts
from lms.scheduling.sessions import create_session, set_status
from tests.lms.test_master_data import LIBRARY, set_up_vendor

PROJECTS = """projects:
  - code: {code}
    name: {{zh: 热水系统, en: Hot water}}
    buyer: WX-HOSP
    site: 医技楼
    city: 无锡
    warranty_months: 12
    courses: [SHW-OM]
    milestones:
      acceptance: {{planned: 2026-12-01}}
    obligations:
      - id: OB-1
        clause: 验收合格后2个工作日内开展培训。
        anchor: acceptance
        offset: 2 working days after
        mode: on_site
        min_trainees: 5
        min_days: 1
        courses: [SHW-OM]
"""


def skill(cli: Any, person: str, code: str, first: str, until: str | None = None) -> None:
    command = ["skills", "add", "--person", person, "--skill", code, "--from", first, "--issuer", "HR"]
    result = cli(*command, *(["--until", until] if until else []))
    assert result.code == 0, result.err


@pytest.fixture
def vendor(cli: Any, tmp_path: Path) -> Any:
    """Two trainers and two projects: E009 holds both skills of SHW-OM, operation lapsing on 25 November; E010
    holds only operation."""
    set_up_vendor(cli)
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    for code in ("P1", "P2"):
        path = tmp_path / f"{code}.yaml"
        path.write_text(PROJECTS.format(code=code), encoding="utf-8")
        assert cli("projects", "import", str(path)).code == 0
    skill(cli, "E009", "SHW-OPERATE", "2026-01-01", "2026-11-25")
    skill(cli, "E009", "SHW-MAINTAIN", "2026-01-01")
    skill(cli, "E010", "SHW-OPERATE", "2026-01-01")
    return cli


def test_cover_is_the_union_of_records() -> None:
    day = dt.date
    assert first_uncovered([], day(2026, 1, 1), day(2026, 1, 3)) == day(2026, 1, 1)
    assert first_uncovered([(day(2026, 1, 2), None)], day(2026, 1, 1), day(2026, 1, 3)) == day(2026, 1, 1)
    handover = [(day(2026, 1, 5), None), (day(2025, 1, 1), day(2026, 1, 6))]
    assert first_uncovered(handover, day(2026, 1, 1), day(2026, 12, 31)) is None
    gap = [(day(2025, 1, 1), day(2026, 1, 3)), (day(2026, 1, 5), None)]
    assert first_uncovered(gap, day(2026, 1, 1), day(2026, 1, 10)) == day(2026, 1, 4)


def test_dispatch_needs_every_skill_for_every_day(vendor: Any) -> None:
    cli = vendor
    refused = cli(*"dispatch add E009 --project P1 --from 2026-11-23 --to 2026-11-27".split())
    assert refused.code == 1
    assert refused.err.startswith("lms: ENGINEER:") and "SHW-OPERATE lapses after 2026-11-25" in refused.err
    assert "SHW-MAINTAIN" not in refused.err
    only_one = cli(*"dispatch add E010 --project P1 --from 2026-11-23 --to 2026-11-27".split())
    assert "no valid SHW-MAINTAIN on 2026-11-23" in only_one.err
    assert json.loads(cli("dispatch", "list", "--format", "json").out) == []

    skill(cli, "E009", "SHW-OPERATE", "2026-11-20", "2028-11-19")  # the renewal takes over before the old one ends
    sent = cli(*"dispatch add E009 --project P2 --from 2026-11-23 --to 2026-11-27 --note 验收".split())
    assert sent.code == 0, sent.err
    listed = json.loads(cli("dispatch", "list", "--person", "E009", "--format", "json").out)
    assert [(d["project"], d["first_day"], d["note"]) for d in listed] == [("P2", "2026-11-23", "验收")]


def test_who_may_be_sent_leaves_out_those_sent_elsewhere(vendor: Any) -> None:
    cli = vendor
    skill(cli, "E010", "SHW-MAINTAIN", "2026-01-01")

    def may_be_sent(project: str) -> list[str]:
        asked = f"skills qualified --project {project} --from 2026-11-23 --to 2026-11-27 --format json".split()
        result = cli(*asked)
        assert result.code == 0, result.err
        return [person["code"] for person in json.loads(result.out)]

    assert may_be_sent("P1") == ["E010"]  # E009's operation skill lapses on the 25th
    assert cli(*"dispatch add E010 --project P2 --from 2026-11-26 --to 2026-12-04".split()).code == 0
    assert may_be_sent("P1") == []
    assert may_be_sent("P2") == ["E010"]  # being on this very site is no reason to leave them out
    dispatch_id = json.loads(cli("dispatch", "list", "--format", "json").out)[0]["id"]
    assert cli("dispatch", "cancel", str(dispatch_id)).code == 0
    assert may_be_sent("P1") == ["E010"]
    assert "already cancelled" in cli("dispatch", "cancel", str(dispatch_id)).err
    assert cli("dispatch", "list", "--format", "json").out.strip() == "[]"
    by_course = cli(*"skills qualified --course SHW-OM --on 2026-11-24 --format json".split()).out
    assert [person["code"] for person in json.loads(by_course)] == ["E009", "E010"]


def test_confirming_an_unqualified_trainer_needs_an_admins_audited_override(vendor: Any, session: Session) -> None:
    version = session.exec(select(CourseVersion)).one()
    e009, e010 = (session.exec(select(Person).where(Person.code == code)).one() for code in ("E009", "E010"))
    training = create_session(
        session,
        course_version=version,
        days=[dt.date(2026, 12, 3), dt.date(2026, 12, 4)],
        mode="on_site",
        place="医技楼",
        city="无锡",
        trainers=[(e009, "lead"), (e010, "assistant")],
    )
    session.commit()
    calendar = get_calendar()
    today = dt.date(2026, 11, 20)
    unqualified = {c.subject: c.message for c in find_conflicts(session, calendar, today) if c.kind.endswith("fied")}
    assert set(unqualified) == {"E009", "E010"}  # E010 holds one skill of two; E009's lapses before the session
    assert "no valid SHW-OPERATE on 2026-12-03" in unqualified["E009"]

    with pytest.raises(ConfirmationRefused, match="--override REASON") as refused:
        clear_to_confirm(session, training, calendar=calendar, today=today)
    assert {problem.subject for problem in refused.value.problems} == {"E009", "E010"}
    with acting_as(Role.trainer), pytest.raises(PermissionDenied, match="override_conflicts"):
        clear_to_confirm(session, training, calendar=calendar, today=today, override_reason="业主同意")
    session.rollback()
    assert session.get(TrainingSession, training.id).status == "planned"

    overridden = clear_to_confirm(session, training, calendar=calendar, today=today, override_reason="业主书面同意")
    set_status(session, training, "confirmed")
    session.commit()
    assert len(overridden) == 2
    stored = session.get(TrainingSession, training.id)
    assert stored is not None and stored.status == "confirmed" and stored.override_reason == "业主书面同意"
    assert stored.override_by
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "session.override")).one()
    assert entry.entity_key == training.code and entry.after is not None
    assert entry.after["override_reason"] == "业主书面同意" and len(entry.after["problems"]) == 2


def test_the_override_is_shown_on_the_session(vendor: Any, session: Session, cli: Any) -> None:
    version = session.exec(select(CourseVersion)).one()
    e009 = session.exec(select(Person).where(Person.code == "E009")).one()
    training = create_session(
        session,
        course_version=version,
        days=[dt.date(2026, 12, 3)],
        mode="on_site",
        place="医技楼",
        city="无锡",
        trainers=[(e009, "lead")],
    )
    clear_to_confirm(
        session, training, calendar=get_calendar(), today=dt.date(2026, 11, 20), override_reason="业主书面同意"
    )
    set_status(session, training, "confirmed")
    session.commit()
    shown = cli("sessions", "show", training.code)
    assert shown.code == 0 and "confirmed despite open problems by" in shown.out and "业主书面同意" in shown.out
    detail = json.loads(cli("sessions", "show", training.code, "--format", "json").out)
    assert detail["override_reason"] == "业主书面同意" and detail["override_by"]
