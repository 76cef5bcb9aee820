"""One person at a time: lms roster add|remove|replace from an empty database; an over-full roster can be fixed;
removing someone with attendance needs --force and a reason; every change is audited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from lms.models import AuditEntry, Person, SessionDay, TrainingSession
from lms.scheduling.attendance import record_attendance
from tests.lms.roster_fixtures import person_id_number, vendor_with_a_session


def staff_file(path: Path, count: int) -> Path:
    lines = ["学员姓名,身份证号码,工号"] + [f"学员{n},{person_id_number(n)},G{n:03d}" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def codes_by_name(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {p.name: p.code for p in session.exec(select(Person).where(Person.kind == "buyer_staff"))}


def audit_actions(engine: Engine) -> list[tuple[str, Any, Any]]:
    with Session(engine) as session:
        rows = session.exec(select(AuditEntry).where(col(AuditEntry.action).startswith("roster.")))
        return [(row.action, row.before, row.after) for row in rows.all()]


def test_an_over_full_roster_is_brought_back_to_capacity(cli: Any, engine: Engine, tmp_path: Path) -> None:
    vendor_with_a_session(cli, engine, capacity=5)
    result = cli("roster", "import", "S-ROSTER", str(staff_file(tmp_path / "staff.csv", 7)))
    assert result.code == 0 and "the roster (7) is larger than the capacity (5)" in result.out
    codes = codes_by_name(engine)
    removed = cli("roster", "remove", "s-roster", codes["学员5"].lower())  # codes in any case
    assert removed.code == 0, removed.err
    assert "学员5" in removed.out and "roster 6 of 5" in removed.out and "still over the capacity by 1" in removed.out
    by_id = cli("roster", "remove", "S-ROSTER", person_id_number(6), "--format", "json")  # an ID number works too
    assert json.loads(by_id.out)["roster_size"] == 5
    again = cli("roster", "remove", "S-ROSTER", codes["学员6"])
    assert again.code == 1 and "is not on the roster of S-ROSTER" in again.err
    swapped = cli("roster", "replace", "S-ROSTER", codes["学员0"], codes["学员6"])
    assert swapped.code == 0 and "takes the place of 学员0" in swapped.out and "roster 5 of 5" in swapped.out
    back = cli("roster", "add", "S-ROSTER", codes["学员0"])
    assert back.code == 0 and "roster 6 of 5" in back.out
    twice = cli("roster", "add", "S-ROSTER", codes["学员0"])
    assert twice.code == 1 and "already on the roster" in twice.err
    nobody = cli("roster", "add", "S-ROSTER", "NOBODY")
    assert nobody.code == 1 and "no person has the code or ID number NOBODY" in nobody.err
    actions = [action for action, _before, _after in audit_actions(engine)]
    assert actions == ["roster.import", "roster.remove", "roster.remove", "roster.replace", "roster.add"]


def test_removing_someone_who_signed_in_needs_force_and_a_reason(cli: Any, engine: Engine, tmp_path: Path) -> None:
    vendor_with_a_session(cli, engine)
    assert cli("roster", "import", "S-ROSTER", str(staff_file(tmp_path / "staff.csv", 3))).code == 0
    codes = codes_by_name(engine)
    with Session(engine) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == "S-ROSTER")).one()
        day = session.exec(select(SessionDay).where(SessionDay.session_id == training.id)).first()
        person = session.exec(select(Person).where(Person.code == codes["学员1"])).one()
        assert day is not None and day.id is not None and person.id is not None
        record_attendance(
            session, session_day_id=day.id, person_ids=[person.id], present=True, today=dt.date(2027, 1, 1)
        )
        session.commit()
    refused = cli("roster", "remove", "S-ROSTER", codes["学员1"])
    assert refused.code == 1 and "already has 1 days of attendance and 0 quiz attempts" in refused.err
    assert "--force" in refused.err
    no_reason = cli("roster", "remove", "S-ROSTER", codes["学员1"], "--force")
    assert no_reason.code == 1 and "--force needs --reason" in no_reason.err
    replaced = cli("roster", "replace", "S-ROSTER", codes["学员1"], codes["学员2"])
    assert replaced.code == 1 and "already on the roster" in replaced.err
    forced = cli("roster", "remove", "S-ROSTER", codes["学员1"], "--force", "--reason", "调岗，不再参加培训")
    assert forced.code == 0, forced.err
    assert audit_actions(engine)[-1] == (
        "roster.remove",
        {"person": f"学员1 ({codes['学员1']})"},
        {"forced": "调岗，不再参加培训"},
    )


def test_a_closed_session_keeps_its_roster(cli: Any, engine: Engine, tmp_path: Path) -> None:
    vendor_with_a_session(cli, engine)
    assert cli("roster", "import", "S-ROSTER", str(staff_file(tmp_path / "staff.csv", 2))).code == 0
    with Session(engine) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == "S-ROSTER")).one()
        training.status = "closed"
        session.add(training)
        session.commit()
    result = cli("roster", "remove", "S-ROSTER", codes_by_name(engine)["学员0"])
    assert result.code == 1 and "session S-ROSTER is closed" in result.err
