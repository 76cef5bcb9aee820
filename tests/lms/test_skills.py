"""Skill records: statuses through the recertification window, renewals, outside certificates with scans, who is
qualified, the matrix/expiring/qualified commands, and trainers flagged for teaching without a valid skill."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, func, select

from lms.calendars.workdays import ChinaCalendar
from lms.credentials.person_records import person_record
from lms.credentials.qualified import qualified
from lms.credentials.skill_matrix import expiring, skill_matrix
from lms.credentials.skill_status import skill_status
from lms.credentials.skills import add_external_record, renew_from_certificate
from lms.db import make_engine
from lms.errors import LmsError, NotFoundError
from lms.files.storage import files_root, sha256_of
from lms.files.text_tables import display_width
from lms.i18n import set_language
from lms.models import (
    Attachment,
    Certificate,
    Course,
    CourseSkillGrant,
    CourseVersion,
    Organisation,
    Person,
    Skill,
    SkillRecord,
)
from lms.models.lookup import person_by_code
from lms.scheduling.conflicts import find_conflicts
from lms.scheduling.sessions import create_session
from tests.conftest import DEMO_TODAY, copy_database

D = dt.date


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))


TINY_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def people_and_skills(session: Session, window: int = 30) -> dict[str, Any]:
    vendor = Organisation(code="V", kind="vendor", name_zh="供应商", name_en="Vendor")
    session.add(vendor)
    session.flush()
    found: dict[str, Any] = {}
    for code, kind in (("T1", "trainer"), ("T2", "trainer"), ("G1", "engineer"), ("B1", "buyer_staff")):
        found[code] = Person(code=code, kind=kind, name=f"人员{code}", organisation_id=vendor.id)
    for code in ("WELD", "WIRE"):
        found[code] = Skill(code=code, name_zh=f"技能{code}", name_en=code, renewal_window_days=window)
    session.add_all(found.values())
    session.flush()
    return found


def give(session: Session, person: Person, skill: Skill, start: dt.date, end: dt.date | None, **extra: Any) -> None:
    session.add(SkillRecord(person_id=person.id, skill_id=skill.id, valid_from=start, valid_until=end, **extra))
    session.flush()


def test_statuses_at_the_edges_of_the_window(session: Session) -> None:
    things = people_and_skills(session, window=30)
    person, skill = things["T1"], things["WELD"]
    give(session, person, skill, D(2026, 1, 1), D(2026, 12, 31))

    def status(day: dt.date) -> str:
        return skill_status(session, person.id, skill.id, day).status

    assert status(D(2025, 12, 31)) == "none"  # not yet valid
    assert status(D(2026, 1, 1)) == "certified"
    assert status(D(2026, 11, 30)) == "certified"  # the day before the window opens
    assert status(D(2026, 12, 1)) == "due"  # 30 days before the end
    assert status(D(2026, 12, 31)) == "due"  # the last valid day
    assert status(D(2027, 1, 1)) == "expired"
    assert skill_status(session, things["T2"].id, skill.id, D(2026, 6, 1)).status == "none"
    open_ended = things["WIRE"]
    give(session, person, open_ended, D(2026, 1, 1), None)
    assert skill_status(session, person.id, open_ended.id, D(2040, 1, 1)).status == "certified"


def test_a_renewal_supersedes_and_an_older_lapsed_record_does_not_spoil_it(session: Session) -> None:
    things = people_and_skills(session, window=30)
    person, skill = things["T1"], things["WELD"]
    give(session, person, skill, D(2024, 1, 1), D(2025, 12, 31))  # long lapsed
    give(session, person, skill, D(2025, 1, 1), D(2026, 12, 31))  # due in December
    assert [e.valid_until for e in expiring(session, D(2026, 12, 5), 30)] == [D(2026, 12, 31)]
    give(session, person, skill, D(2026, 12, 10), D(2028, 12, 31), level=2)  # renewed early

    before = skill_status(session, person.id, skill.id, D(2026, 12, 5))
    assert (before.status, before.valid_until) == ("due", D(2026, 12, 31))
    after = skill_status(session, person.id, skill.id, D(2026, 12, 20))
    assert (after.status, after.valid_until, after.level) == ("certified", D(2028, 12, 31), 2)
    assert skill_status(session, person.id, skill.id, D(2027, 6, 1)).status == "certified"
    # Once renewed, the old record is not listed as lapsing; the matrix agrees with the single look-up.
    assert expiring(session, D(2026, 12, 5), 30) == expiring(session, D(2026, 12, 20), 30) == []
    matrix = skill_matrix(session, D(2026, 12, 20))
    assert matrix.cell(person.id, skill.id) == after
    assert [line.state for line in person_record(session, person.id, D(2026, 12, 20)).records] == [
        "certified",
        "superseded",
        "superseded",
    ]


def test_the_matrix_covers_teaching_staff_in_three_queries(session: Session, engine: Any) -> None:
    things = people_and_skills(session)
    give(session, things["T1"], things["WELD"], D(2026, 1, 1), D(2026, 6, 30))
    give(session, things["T2"], things["WIRE"], D(2026, 1, 1), D(2026, 12, 31))
    give(session, things["B1"], things["WELD"], D(2026, 1, 1), None)
    for n in range(60):
        person = Person(
            code=f"X{n:03d}", kind="engineer", name=f"工程师{n}", organisation_id=things["T1"].organisation_id
        )
        session.add(person)
        session.flush()
        give(session, person, things["WIRE" if n % 2 else "WELD"], D(2025, 1, 1), D(2026, 12, 31) if n % 3 else None)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        matrix = skill_matrix(session, D(2026, 7, 1))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 3
    assert [p.code for p in matrix.people][:3] == ["G1", "T1", "T2"] and "B1" not in {p.code for p in matrix.people}
    assert [s.code for s in matrix.skills] == ["WELD", "WIRE"]
    assert matrix.cell(things["T1"].id, things["WELD"].id).status == "expired"
    assert matrix.cell(things["T2"].id, things["WIRE"].id).status == "certified"
    assert matrix.cell(things["G1"].id, things["WIRE"].id).status == "none"
    data = json.loads(json.dumps(matrix.as_dict(), default=str))
    assert data["people"][1]["skills"]["WELD"]["status"] == "expired"


def test_expiring_lists_what_lapses_within_the_days(session: Session) -> None:
    things = people_and_skills(session)
    give(session, things["T1"], things["WELD"], D(2026, 1, 1), D(2026, 12, 10))
    give(session, things["T2"], things["WELD"], D(2026, 1, 1), D(2027, 3, 1))
    give(session, things["G1"], things["WIRE"], D(2026, 1, 1), D(2026, 11, 1))  # already lapsed
    found = expiring(session, D(2026, 11, 20), 30)
    assert [(e.person, e.skill, e.days_left) for e in found] == [("T1", "WELD", 20)]
    assert [e.person for e in expiring(session, D(2026, 11, 20), 120)] == ["T1", "T2"]
    with pytest.raises(LmsError):
        expiring(session, D(2026, 11, 20), -1)


def test_qualified_by_skill_and_by_every_skill_a_course_grants(session: Session) -> None:
    things = people_and_skills(session)
    course = Course(code="WELDING", title_zh="焊接", title_en="Welding")
    session.add(course)
    session.flush()
    old = CourseVersion(course_id=course.id, version=1, content_hash="a")
    new = CourseVersion(course_id=course.id, version=2, content_hash="b")
    session.add_all([old, new])
    session.flush()
    session.add(CourseSkillGrant(course_version_id=old.id, skill_id=things["WELD"].id))
    session.add_all(CourseSkillGrant(course_version_id=new.id, skill_id=things[s].id) for s in ("WELD", "WIRE"))
    give(session, things["T1"], things["WELD"], D(2026, 1, 1), D(2026, 12, 31))
    give(session, things["T1"], things["WIRE"], D(2026, 1, 1), None)
    give(session, things["T2"], things["WELD"], D(2026, 1, 1), None)  # only one of the two skills
    give(session, things["G1"], things["WELD"], D(2025, 1, 1), D(2025, 12, 31))  # lapsed
    give(session, things["B1"], things["WELD"], D(2026, 1, 1), None)  # buyer staff are not dispatched

    by_skill = qualified(session, D(2026, 6, 1), skill_code="WELD")
    assert [p.code for p in by_skill] == ["T1", "T2"]
    by_course = qualified(session, D(2026, 12, 15), course_code="WELDING")  # the latest version asks for both
    assert [(p.code, p.status, p.valid_until) for p in by_course] == [("T1", "due", D(2026, 12, 31))]
    assert [h.skill for h in by_course[0].skills] == ["WELD", "WIRE"]
    with pytest.raises(NotFoundError, match="NOPE"):
        qualified(session, D(2026, 6, 1), skill_code="NOPE")
    with pytest.raises(LmsError):
        qualified(session, D(2026, 6, 1), course_code="WELDING", skill_code="WELD")


def test_renewing_from_a_certificate_is_idempotent_and_a_later_one_supersedes(session: Session) -> None:
    things = people_and_skills(session)
    course = Course(code="WELDING", title_zh="焊接", title_en="Welding")
    session.add(course)
    session.flush()
    version = CourseVersion(course_id=course.id, version=1, content_hash="a")
    session.add(version)
    session.flush()
    session.add_all(
        CourseSkillGrant(course_version_id=version.id, skill_id=things[s].id, level=2) for s in ("WELD", "WIRE")
    )
    person = things["G1"]

    def certificate(serial: str, issued: dt.date, expires: dt.date) -> Certificate:
        row = Certificate(
            serial=serial,
            family="engineer",
            person_id=person.id,
            course_version_id=version.id,
            issued_on=issued,
            expires_on=expires,
        )
        session.add(row)
        session.flush()
        return row

    first = certificate("GC2024-00001", D(2024, 3, 1), D(2026, 3, 1))
    assert len(renew_from_certificate(session, first)) == 2
    assert renew_from_certificate(session, first) == []
    assert session.exec(select(func.count()).select_from(SkillRecord)).one() == 2
    second = certificate("GC2026-00001", D(2026, 2, 1), D(2028, 2, 1))
    added = renew_from_certificate(session, second)
    assert {(r.level, r.valid_from, r.valid_until, r.source) for r in added} == {
        (2, D(2026, 2, 1), D(2028, 2, 1), "certificate")
    }
    status = skill_status(session, person.id, things["WELD"].id, D(2026, 2, 15))
    assert (status.status, status.valid_until) == ("certified", D(2028, 2, 1))
    record = person_record(session, person.id, D(2026, 2, 15))
    assert [(line.certificate, line.state) for line in record.records if line.skill == "WELD"] == [
        ("GC2026-00001", "certified"),
        ("GC2024-00001", "superseded"),
    ]
    assert [c.serial for c in record.certificates] == ["GC2026-00001", "GC2024-00001"]


def test_an_outside_certificate_keeps_its_scan_and_a_bad_one_is_refused(session: Session, tmp_path: Path) -> None:
    things = people_and_skills(session)
    root = tmp_path / "files"
    pdf = tmp_path / "厂家证书.pdf"
    pdf.write_bytes(TINY_PDF)
    record = add_external_record(
        session,
        person_code="T1",
        skill_code="WELD",
        valid_from=D(2026, 1, 1),
        valid_until=D(2027, 12, 31),
        issuer="北辰电气",
        reference="NS-0042",
        scan=pdf,
        files_root=root,
        added_by="hr-li",
    )
    attachment = session.exec(select(Attachment).where(Attachment.skill_record_id == record.id)).one()
    assert (attachment.kind, attachment.media_type, attachment.original_name) == (
        "external_certificate",
        "application/pdf",
        "厂家证书.pdf",
    )
    stored = root / attachment.sha256[:2] / f"{attachment.sha256}.pdf"
    assert stored.read_bytes() == TINY_PDF and attachment.sha256 == sha256_of(TINY_PDF)
    line = person_record(session, things["T1"].id, D(2026, 6, 1)).records[0]
    assert (line.source, line.issuer, line.reference, line.files[0].name) == (
        "external",
        "北辰电气",
        "NS-0042",
        "厂家证书.pdf",
    )
    with pytest.raises(NotFoundError, match="NOBODY"):
        add_external_record(
            session,
            person_code="NOBODY",
            skill_code="WELD",
            valid_from=D(2026, 1, 1),
            valid_until=None,
            issuer="x",
            reference=None,
            scan=None,
            files_root=root,
            added_by="",
        )
    with pytest.raises(LmsError) as caught:
        add_external_record(
            session,
            person_code="T1",
            skill_code="WIRE",
            valid_from=D(2026, 1, 1),
            valid_until=D(2025, 1, 1),
            issuer="x",
            reference=None,
            scan=None,
            files_root=root,
            added_by="",
        )
    assert caught.value.field == "--until"


def demo_url(demo_database: str, tmp_path: Path) -> str:
    url, _drop = copy_database(demo_database, tmp_path)
    return url


def test_adding_an_outside_certificate_from_the_command_line(cli: Any, demo_database: str, tmp_path: Path) -> None:
    url = demo_url(demo_database, tmp_path)
    png = tmp_path / "scan.png"
    png.write_bytes(tiny_png())
    text = tmp_path / "notes.txt"
    text.write_text("not a scan", encoding="utf-8")
    engine = make_engine(url)

    def counts() -> tuple[int, int]:
        with Session(engine) as session:
            records = session.exec(select(func.count()).select_from(SkillRecord)).one()
            return records, session.exec(select(func.count()).select_from(Attachment)).one()

    before = counts()
    adding = "skills add --person E005 --skill SEC-AC-OPERATE --from 2026-01-01 --issuer 北辰 --scan".split()
    refused = cli(*adding, str(text), db=url)
    assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1 and "notes.txt" in refused.err
    assert counts() == before
    files = files_root(engine)  # where the command keeps scans for this database
    assert not files.exists()
    added = cli(
        *"skills add --person E005 --skill SEC-AC-OPERATE --from 2026-01-01 --until 2027-06-30".split(),
        *("--issuer", "北辰电气", "--reference", "NS-2026-0042", "--scan", str(png), "--level", "3"),
        db=url,
    )
    assert added.code == 0, added.err
    assert counts() == (before[0] + 1, before[1] + 1)
    assert len(list(files.rglob("*.png"))) == 1
    shown = cli("skills", "show", "E005", "--on", "2026-11-20", "--format", "json", db=url)
    lines = json.loads(shown.out)["records"]
    external = next(line for line in lines if line["source"] == "external")
    assert (external["issuer"], external["reference"], external["level"], external["files"][0]["name"]) == (
        "北辰电气",
        "NS-2026-0042",
        3,
        "scan.png",
    )
    text_view = cli("skills", "show", "E005", "--on", "2026-11-20", db=url)
    assert "北辰电气 NS-2026-0042" in text_view.out and "scan.png" in text_view.out
    unknown = cli(*"skills add --person E005 --skill NOPE --from 2026-01-01 --issuer x".split(), db=url)
    assert unknown.code == 1 and "NOPE" in unknown.err
    engine.dispose()


def test_matrix_in_text_csv_and_json(cli: Any, demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = cli("skills", "matrix", "--on", DEMO_TODAY.isoformat(), db=demo_database)
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    header, rows = lines[0], [line for line in lines if line[:4] in {"E001", "E002", "E004", "M001"}]
    assert "SEC-AC-OPERATE" in header and "王海燕" in text.out
    column = display_width(header[: header.index("LV-SWG-FAULT")])
    for row in rows:  # the Chinese names take two columns each, and the skills still line up
        code, name, first_cell = re.split(r"\s{2,}", row)[:3]
        start = row.index(first_cell, len(code) + len(name))
        assert display_width(row[:start]) == column
    e002 = next(line for line in lines if line.startswith("E002"))
    assert "! 2026-12-20" in e002  # due for renewal
    as_json = json.loads(cli("skills", "matrix", "--on", "2026-11-20", "--format", "json", db=demo_database).out)
    people = {person["code"]: person for person in as_json["people"]}
    assert people["E002"]["skills"]["SEC-AC-OPERATE"] == {
        "status": "due",
        "level": 2,
        "valid_from": "2025-11-20",
        "valid_until": "2026-12-20",
    }
    assert people["E003"]["skills"]["LV-SWG-OPER"]["status"] == "certified"
    assert people["M001"]["skills"]["LV-SWG-OPER"]["status"] == "none"
    assert all(person["kind"] in ("trainer", "engineer") for person in as_json["people"])
    later = json.loads(cli("skills", "matrix", "--on", "2026-12-16", "--format", "json", db=demo_database).out)
    assert {p["code"]: p for p in later["people"]}["E004"]["skills"]["SRV-DB-HW"]["status"] == "expired"
    spreadsheet = cli("skills", "matrix", "--on", "2026-11-20", "--format", "csv", db=demo_database)
    assert spreadsheet.out.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(spreadsheet.out.removeprefix("\ufeff"))))
    assert table[0][:3] == ["Code", "Person's name", "Kind"]
    e004 = next(row for row in table if row[0] == "E004")
    skill_columns = table[0][3:]
    assert len(set(skill_columns)) == len(skill_columns)
    column = next(i for i, name in enumerate(table[0]) if name.endswith("(SRV-DB-HW)"))
    assert table[0][column] != "(SRV-DB-HW)" and not table[0][column].startswith("SRV-DB-HW")
    assert e004[column] == "due for renewal L2 2026-12-15"
    monkeypatch.setenv("LMS_LANG", "zh_CN")
    set_language(None)
    chinese = cli("skills", "matrix", "--on", "2026-11-20", "--format", "csv", db=demo_database)
    assert chinese.out.startswith("\ufeff")
    zh_header = next(csv.reader(io.StringIO(chinese.out.removeprefix("\ufeff"))))
    with Session(make_engine(demo_database)) as session:
        skill = session.exec(select(Skill).where(Skill.code == "SRV-DB-HW")).one()
    assert f"{skill.name_zh} (SRV-DB-HW)" in zh_header
    assert zh_header[1] == "姓名"  # a person's name, not 名称


def test_expiring_and_qualified_commands(cli: Any, demo_database: str) -> None:
    found = json.loads(cli(*"skills expiring --within 30 --on 2026-11-20 --format json".split(), db=demo_database).out)
    assert [(row["person"], row["skill"], row["days_left"]) for row in found][:1] == [("E008", "SRV-DB-HW", 22)]
    assert {row["person"] for row in found} == {"E002", "E004", "E007", "E008"}
    text = cli(*"skills expiring --within 30 --on 2026-11-20".split(), db=demo_database)
    assert "entered by HR" in text.out and "certificate GC2023-" in text.out
    none = cli(*"skills expiring --within 5 --on 2026-11-20".split(), db=demo_database)
    assert none.code == 0 and "no skill record lapses within 5 days" in none.out

    asked = "skills qualified --course LV-SWG --on 2026-11-20 --format json".split()
    by_course = json.loads(cli(*asked, db=demo_database).out)
    assert [row["code"] for row in by_course] == ["E003", "E004", "E006", "E007", "E008"]
    assert {skill["skill"] for skill in by_course[0]["skills"]} == {"LV-SWG-OPER", "LV-SWG-MAINT", "LV-SWG-FAULT"}
    by_skill = cli(*"skills qualified --skill SHW-OPERATE --on 2026-11-20".split(), db=demo_database)
    assert by_skill.code == 0 and [line[:4] for line in by_skill.out.splitlines()[2:]] == ["E001", "E002"]
    both = cli(*"skills qualified --skill SHW-OPERATE --course SHW-OM".split(), db=demo_database)
    neither = cli("skills", "qualified", db=demo_database)
    assert both.code == neither.code == 1 and len(neither.err.strip().splitlines()) == 1
    unknown = cli(*"skills qualified --course NOPE".split(), db=demo_database)
    assert unknown.code == 1 and "NOPE" in unknown.err


def unqualified(session: Session, today: dt.date = DEMO_TODAY) -> list[tuple[tuple[str, ...], str]]:
    found = find_conflicts(session, ChinaCalendar(), today)
    return [(c.sessions, c.subject) for c in found if c.kind == "trainer_unqualified"]


def test_a_trainer_without_a_valid_skill_is_flagged_on_the_demo(demo_database: str, tmp_path: Path) -> None:
    engine = make_engine(demo_url(demo_database, tmp_path))
    with Session(engine) as session:
        flagged = unqualified(session)
        # The technical lead joins the access-control session but holds no access-control skill.
        assert [subject for _sessions, subject in flagged] == ["E001"]
        (code,), _subject = flagged[0]
        for skill_code in ("SEC-AC-OPERATE", "SEC-AC-MAINTAIN"):
            add_external_record(
                session,
                person_code="E001",
                skill_code=skill_code,
                valid_from=D(2026, 1, 1),
                valid_until=D(2027, 1, 1),
                issuer="北辰电气",
                reference=None,
                scan=None,
                files_root=tmp_path / "files",
                added_by="hr",
            )
            # one skill of the two is not enough: the course grants both
            assert unqualified(session) == ([] if skill_code == "SEC-AC-MAINTAIN" else [((code,), "E001")])
        # A record that lapses before the session's last day does not qualify.
        record = session.exec(select(SkillRecord).where(SkillRecord.source == "external")).first()
        assert record is not None
        person = person_by_code(session, "E001")
        record.valid_until = DEMO_TODAY
        session.add(record)
        session.flush()
        assert unqualified(session) == [((code,), "E001")]
        assert person.code == "E001"
    engine.dispose()


def test_the_unqualified_check_reads_the_latest_version_and_spares_manufacturers(session: Session) -> None:
    things = people_and_skills(session)
    maker = Person(code="M1", kind="engineer", name="厂家", organisation_id=things["T1"].organisation_id)
    session.add(maker)
    course = Course(code="WELDING", title_zh="焊接", title_en="Welding")
    plain = Course(code="INTRO", title_zh="入门", title_en="Intro")
    session.add_all([course, plain])
    session.flush()
    v1 = CourseVersion(course_id=course.id, version=1, content_hash="a")
    v2 = CourseVersion(course_id=course.id, version=2, content_hash="b")
    intro = CourseVersion(course_id=plain.id, version=1, content_hash="c")
    session.add_all([v1, v2, intro])
    session.flush()
    session.add(CourseSkillGrant(course_version_id=v1.id, skill_id=things["WELD"].id))
    session.add(CourseSkillGrant(course_version_id=v2.id, skill_id=things["WIRE"].id))
    give(session, things["T1"], things["WELD"], D(2026, 1, 1), None)  # v1's skill only
    give(session, things["T2"], things["WIRE"], D(2026, 1, 1), None)  # the latest version's skill

    def teach(version: CourseVersion, *trainers: tuple[Person, str]) -> str:
        days = [D(2026, 11, 24), D(2026, 11, 25)]
        return create_session(
            session, course_version=version, days=days, mode="centralised", place="现场", city="杭州", trainers=trainers
        ).code

    old_course = teach(v1, (things["T1"], "lead"), (things["T2"], "assistant"), (maker, "manufacturer"))
    teach(intro, (things["G1"], "lead"))  # a course that grants no skill asks for none
    assert unqualified(session, D(2026, 11, 1)) == [((old_course,), "T1")]
