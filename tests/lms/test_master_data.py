"""Master data from an empty database, as a vendor starts: organisations, people, rooms through the real command
line; ID numbers checked; retirement; audit and versions; checked saves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from lms.access.edits import StaleEdit
from lms.master_data.identity_documents import IdType, id_number_problem
from lms.master_data.people import PersonFields, add_person, edit_person
from lms.models import AuditEntry, Person

LIBRARY = Path(__file__).resolve().parents[2] / "courses" / "library"
TRAINER_ID = "110101199003071233"


def set_up_vendor(cli: Any) -> None:
    """What a vendor types on day one (the shell session the issue asks for)."""
    commands = [
        ["orgs", "add", "HZ-VENDOR", "--kind", "vendor", "--name", "杭州清源设备有限公司", "--city", "杭州"],
        ["orgs", "add", "WX-HOSP", "--kind", "buyer", "--name", "无锡市第二人民医院", "--city", "无锡"],
        ["orgs", "add", "SOLAR-DE", "--kind", "manufacturer", "--name", "德国太阳能公司", "--name-en", "Solar GmbH"],
        ["people", "add", "E009", "--kind", "trainer", "--name", "王强", "--org", "HZ-VENDOR"]
        + ["--id-number", TRAINER_ID, "--technical-lead", "--home-city", "杭州"],
        ["people", "add", "E010", "--kind", "trainer", "--name", "李敏", "--org", "HZ-VENDOR", "--home-city", "杭州"],
        ["people", "add", "M001", "--kind", "engineer", "--name", "Hans Weber", "--org", "SOLAR-DE"]
        + ["--title", "manufacturer engineer", "--id-number", "C01234567", "--id-type", "passport"],
        ["rooms", "add", "HZ-R1", "--name", "培训中心一号教室", "--city", "杭州", "--capacity", "24"]
        + ["--org", "HZ-VENDOR"],
    ]
    for command in commands:
        result = cli(*command)
        assert result.code == 0, (command, result.err)


def test_a_vendor_sets_up_from_an_empty_database(cli: Any, tmp_path: Path) -> None:
    set_up_vendor(cli)
    orgs = json.loads(cli("orgs", "list", "--format", "json").out)
    assert [(o["code"], o["kind"]) for o in orgs] == [
        ("HZ-VENDOR", "vendor"),
        ("SOLAR-DE", "manufacturer"),
        ("WX-HOSP", "buyer"),
    ]
    people = {p["code"]: p for p in json.loads(cli("people", "list", "--format", "json").out)}
    assert people["E009"]["is_technical_lead"] and people["E009"]["id_number"] == TRAINER_ID  # admin sees it whole
    assert people["M001"]["manufacturer_engineer"] and people["M001"]["title"] == "manufacturer engineer"
    rooms = json.loads(cli("rooms", "list", "--format", "json").out)
    assert [(r["code"], r["city"], r["capacity"]) for r in rooms] == [("HZ-R1", "杭州", 24)]

    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    added = cli("skills", "add", "--person", "E009", "--skill", "SHW-OPERATE", "--from", "2026-01-01", "--issuer", "HR")
    assert added.code == 0, added.err
    assert "E009" in cli("skills", "qualified", "--skill", "SHW-OPERATE", "--on", "2026-06-01").out


def test_the_scheduler_names_the_next_step_when_nobody_is_qualified(cli: Any, tmp_path: Path) -> None:
    set_up_vendor(cli)
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    projects = tmp_path / "projects.yaml"
    projects.write_text(
        """projects:
  - code: P1
    name: {zh: 热水系统, en: Hot water}
    buyer: WX-HOSP
    site: 医技楼
    city: 无锡
    warranty_months: 12
    courses: [SHW-OM]
    milestones:
      acceptance: {planned: 2026-12-01}
    obligations:
      - id: OB-1
        clause: 验收合格后2个工作日内开展培训。
        anchor: acceptance
        offset: 2 working days after
        mode: on_site
        min_trainees: 5
        min_days: 1
        courses: [SHW-OM]
""",
        encoding="utf-8",
    )
    assert cli("projects", "import", str(projects)).code == 0, cli("projects", "import", str(projects)).err
    result = cli("schedule", "auto", "--as-of", "2026-11-20", "--solver", "greedy")
    assert "nobody holds a valid skill for SHW-OM" in result.out
    assert "lms skills add --person CODE --skill SHW-MAINTAIN|SHW-OPERATE" in result.out
    assert "lms people add CODE --kind trainer" in result.out


@pytest.mark.parametrize(
    ("number", "id_type", "problem"),
    [
        (TRAINER_ID, IdType.resident, None),
        ("11010119900307123X", IdType.resident, "check digit is wrong (expected 3)"),
        ("110101199013071233", IdType.resident, "19901307 is not a date"),
        ("110101180001011234", IdType.resident, "cannot be right"),
        ("11010119900307", IdType.resident, "18 characters"),
        ("110101900307123", IdType.resident, "15-digit"),
        ("E12345678", IdType.resident, "--id-type"),
        ("E12345678", IdType.passport, None),
        ("H1234567801", IdType.permit, None),
        ("110101199013071233", IdType.other, "not a date"),  # a resident ID's shape is checked as one
        ("AB-1", IdType.passport, "5 to 20 letters and digits"),
    ],
)
def test_id_numbers(number: str, id_type: IdType, problem: str | None) -> None:
    found = id_number_problem(number, id_type)
    assert found is None if problem is None else problem in (found or "")


def test_a_bad_value_is_one_line_naming_the_option(cli: Any) -> None:
    set_up_vendor(cli)
    result = cli("people", "add", "E011", "--kind", "trainer", "--name", "张三", "--org", "HZ-VENDOR")  # fine
    assert result.code == 0
    result = cli(*"people add E012 --kind trainer --name 张三 --org HZ-VENDOR --id-number 11010119900307123X".split())
    assert result.code == 1 and result.err.strip().count("\n") == 0
    assert result.err.startswith("lms: --id-number: the ID number's check digit is wrong")
    result = cli(*"people add E012 --kind teacher --name 张三 --org HZ-VENDOR".split())
    assert result.err.startswith("lms: --kind: 'teacher' is not one of trainer, engineer, buyer_staff")
    result = cli(*"rooms add R2 --name x --city 杭州 --capacity 0".split())
    assert result.err.startswith("lms: --capacity: a whole number of places")
    assert cli(*"people add E009 --kind trainer --name x --org HZ-VENDOR".split()).err.startswith("lms: CODE:")
    same_id = cli(*f"people add E013 --kind trainer --name 某 --org HZ-VENDOR --id-number {TRAINER_ID}".split())
    assert "E009 (王强) already has this ID number" in same_id.err


def test_retired_records_are_hidden_and_refused_for_anything_new(cli: Any) -> None:
    set_up_vendor(cli)
    assert cli("people", "retire", "E010", "--reason", "left the company").code == 0
    assert cli("rooms", "retire", "HZ-R1").code == 0
    assert cli("orgs", "retire", "SOLAR-DE").code == 0
    assert "E010" not in cli("people", "list").out
    listed = {p["code"]: p for p in json.loads(cli("people", "list", "--all", "--format", "json").out)}
    assert listed["E010"]["retired_on"] is not None
    assert cli("rooms", "list").out.count("HZ-R1") == 0 and "HZ-R1" in cli("rooms", "list", "--all").out
    refused = cli(*"people add M002 --kind engineer --name x --org SOLAR-DE".split())
    assert refused.code == 1 and "SOLAR-DE was retired on" in refused.err
    assert "already retired" in cli("people", "retire", "E010").err


def test_every_change_is_audited_and_versioned(cli: Any, session: Session) -> None:
    set_up_vendor(cli)
    assert cli("people", "edit", "E010", "--title", "高级培训师", "--phone", "0571-88886666").code == 0
    stale = cli("people", "edit", "E010", "--title", "培训师", "--expect-version", "1")
    assert stale.code == 1 and "was changed by" in stale.err and "(version 2)" in stale.err
    assert cli("people", "edit", "E010", "--title", "培训师", "--expect-version", "2").code == 0
    person = session.exec(select(Person).where(Person.code == "E010")).one()
    assert (person.version, person.title) == (3, "培训师") and person.changed_by
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.entity == "person", AuditEntry.entity_key == "E010")
        .order_by(col(AuditEntry.id))
    ).all()
    assert [e.action for e in entries] == ["person.add", "person.edit", "person.edit"]
    assert entries[1].before["title"] is None and entries[1].after["title"] == "高级培训师"
    masked = session.exec(select(AuditEntry).where(AuditEntry.entity_key == "E009")).one()
    assert masked.after["id_number"] == "1101**********1233"  # trainers read the log: no whole ID numbers in it
    assert cli("audit", "verify").code == 0


def test_a_stale_save_in_the_service_names_who_and_when(session: Session) -> None:
    from lms.master_data.organisations import OrganisationFields, add_organisation

    add_organisation(session=session, code="V", fields=OrganisationFields(kind="vendor", name_zh="供应商"))
    add_person(session=session, code="T1", fields=PersonFields(kind="trainer", name="甲", organisation="V"))
    edit_person(session=session, code="T1", fields=PersonFields(title="讲师"), expect_version=1)
    with pytest.raises(StaleEdit) as raised:
        edit_person(session=session, code="T1", fields=PersonFields(title="高级讲师"), expect_version=1)
    assert raised.value.current_version == 2 and raised.value.changed_by
