"""Staff lists as buyers send them: encodings, column names in Chinese or English, every bad row reported, nothing
half-written; and the attendance sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from lms.db import make_engine
from lms.errors import LmsError
from lms.models import Organisation, Person, RosterEntry, TrainingSession
from lms.scheduling.attendance import attendance_sheet, record_attendance
from lms.scheduling.rosters import RosterFileError, id_number_problem, import_roster, read_staff_file
from tests.conftest import DEMO_TODAY, copy_database


def resident_id(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@pytest.fixture
def demo_session(demo_database: str, tmp_path: Path) -> Iterator[Session]:
    url, drop = copy_database(demo_database, tmp_path)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()
    drop()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("姓名,手机\n钱一,13912345678\n".encode(), "UTF-8"),
        ("姓名,手机\n钱一,13912345678\n".encode("utf-8-sig"), "UTF-8 (BOM)"),
        ("姓名,手机\r\n钱一,13912345678\r\n".encode("gbk"), "GBK"),
        ("员工姓名,手机号\r\n䶮一,13912345678\r\n".encode("gb18030"), "GBK"),
        ("学员姓名\t联系电话\r\n钱一\t13912345678\r\n".encode("utf-16"), "UTF-16"),
        (b"name;phone\nQian Yi;139 1234 5678\n", "UTF-8"),
    ],
)
def test_encodings_and_separators_are_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(data)
    staff = read_staff_file(path)
    assert staff.encoding == encoding and staff.ignored_columns == []
    assert staff.rows[0].values["name"] in ("钱一", "䶮一", "Qian Yi") and staff.rows[0].line == 2


def test_every_bad_row_is_reported_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    good = resident_id("33010619900101123")
    path.write_text(f"姓名,身份证号,邮箱\n,{good},\n钱一,{good},qian@\n孙二,123,\n", encoding="utf-8")
    with pytest.raises(RosterFileError) as caught:
        read_staff_file(path)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        f"{path}:2:1: 姓名: a name is required",
        f"{path}:3:3: 邮箱: not an e-mail address",
        f"{path}:3:2: 身份证号: the same value is on line 2",
        f"{path}:4:2: 身份证号: an ID number has 18 characters: 17 digits and a check digit",
    ]
    assert str(caught.value).endswith("(and 3 more problems)")


def test_a_file_without_a_name_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("phone\n13912345678\n", encoding="utf-8")
    with pytest.raises(LmsError, match="no name column"):
        read_staff_file(path)


def test_id_number_check_digit() -> None:
    assert id_number_problem(resident_id("11010519491231002")) is None
    assert "check digit" in (id_number_problem("110105194912310020") or "")
    assert id_number_problem("110105491231002") is None  # first-generation, 15 digits


def test_import_matches_known_people_and_adds_the_rest(demo_session: Session, tmp_path: Path) -> None:
    training = demo_session.exec(select(TrainingSession).where(TrainingSession.code == "S-JTXQ20")).one()
    known = demo_session.exec(
        select(Person)
        .join(RosterEntry, RosterEntry.person_id == Person.id)
        .where(  # type: ignore[arg-type]
            RosterEntry.session_id == training.id
        )
    ).first()
    assert known is not None
    path = tmp_path / "staff.csv"
    path.write_text(f"编号,姓名\n{known.code},{known.name}\n,新人\n", encoding="utf-8")
    result = import_roster(demo_session, session_code="S-JTXQ20", path=path)
    assert (result.created, result.matched, result.added_to_roster, result.already_on_roster) == (1, 1, 1, 1)
    newcomer = demo_session.exec(select(Person).where(Person.name == "新人")).one()
    assert newcomer.kind == "buyer_staff" and newcomer.code.startswith("B-")


def test_someone_known_at_another_buyer_stops_the_import(demo_session: Session, tmp_path: Path) -> None:
    training = demo_session.exec(select(TrainingSession).where(TrainingSession.code == "S-JTXQ20")).one()
    stranger = demo_session.exec(
        select(Person)
        .join(Organisation, Organisation.id == Person.organisation_id)  # type: ignore[arg-type]
        .where(Person.kind == "buyer_staff", Organisation.name_en.contains("Water"))  # type: ignore[attr-defined]
    ).first()
    assert stranger is not None
    path = tmp_path / "staff.csv"
    path.write_text(f"姓名,编号\n甲,\n{stranger.name},{stranger.code}\n", encoding="utf-8")
    before = len(demo_session.exec(select(RosterEntry).where(RosterEntry.session_id == training.id)).all())
    with pytest.raises(RosterFileError, match="already known at another organisation"):
        import_roster(demo_session, session_code="S-JTXQ20", path=path)
    demo_session.rollback()
    after = len(demo_session.exec(select(RosterEntry).where(RosterEntry.session_id == training.id)).all())
    assert after == before and demo_session.exec(select(Person).where(Person.name == "甲")).first() is None


def test_attendance_sheet_and_marking(demo_session: Session) -> None:
    sheet = attendance_sheet(demo_session, session_code="S-3M5P12")
    assert sheet.status == "held" and len(sheet.days) == 1 and len(sheet.lines) == 6
    day_id = sheet.days[0][0]
    person = sheet.lines[0].person_id
    record_attendance(demo_session, session_day_id=day_id, person_ids=[person], present=False, today=DEMO_TODAY)
    assert attendance_sheet(demo_session, session_code="S-3M5P12").lines[0].marks[day_id] is False
    with pytest.raises(LmsError, match="has not come yet"):
        record_attendance(
            demo_session,
            session_day_id=day_id,
            person_ids=[person],
            present=True,
            today=sheet.days[0][1] - dt.timedelta(days=1),
        )
