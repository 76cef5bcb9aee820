"""Staff lists as buyers really send them, imported into a database that started empty: Excel workbooks, CSV in
UTF-8, UTF-8 with BOM and GBK, Excel's UTF-16 "Unicode text"; Chinese and English headers; errors with file, row
and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.errors import LmsError
from lms.models import AuditEntry, Person, RosterEntry, TrainingSession
from lms.scheduling.roster_columns import COLUMNS, columns_help, header_key
from lms.scheduling.roster_files import RosterFileError, read_staff_file
from tests.lms.roster_fixtures import person_id_number, vendor_with_a_session

HEADER = ["员工姓名", "证件号码", "联系电话", "工作单位", "工号"]


def workbook(path: Path, rows: list[list[Any]], title: str = "培训名单") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def staff_rows(count: int) -> list[list[Any]]:
    return [[f"学员{n}", person_id_number(n), f"139{n:08d}", "设备科", f"G{n:04d}"] for n in range(count)]


def roster_codes(engine: Engine) -> list[str]:
    with Session(engine) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == "S-ROSTER")).one()
        query = select(Person.name).join(RosterEntry, RosterEntry.person_id == Person.id)  # type: ignore[arg-type]
        return sorted(session.exec(query.where(RosterEntry.session_id == training.id)))


@pytest.mark.parametrize(
    ("name", "write", "encoding"),
    [
        ("staff.xlsx", "xlsx", "Excel (sheet 培训名单)"),
        ("staff.csv", "utf-8", "UTF-8"),
        ("staff.csv", "utf-8-sig", "UTF-8 (BOM)"),
        ("staff.csv", "gb18030", "GBK"),
        ("staff.txt", "utf-16", "UTF-16"),
    ],
)
def test_every_format_imports_from_an_empty_database(
    cli: Any, engine: Engine, tmp_path: Path, name: str, write: str, encoding: str
) -> None:
    vendor_with_a_session(cli, engine)
    rows = [HEADER, *staff_rows(3)]
    path = tmp_path / name
    if write == "xlsx":
        workbook(path, rows)
    else:
        separator = "\t" if write == "utf-16" else ","
        path.write_bytes("\r\n".join(separator.join(row) for row in rows).encode(write))
    result = cli("roster", "import", "s-roster", str(path), "--format", "json")  # any case finds the session
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert (report["encoding"], report["created"], report["added"]) == (encoding, 3, 3)
    assert report["unstored_columns"] == ["工作单位"] and report["ignored_columns"] == []
    assert roster_codes(engine) == ["学员0", "学员1", "学员2"]
    again = json.loads(cli("roster", "import", "S-ROSTER", str(path), "--format", "json").out)
    assert (again["created"], again["matched"], again["added"], again["already_on_roster"]) == (0, 3, 0, 3)


def test_a_workbook_with_an_id_number_typed_as_a_number_names_row_and_column(tmp_path: Path) -> None:
    rows = [["序号", "姓名", "身份证号码*"], [1, "钱一", person_id_number(1)], [2, "孙二", int(person_id_number(2))]]
    path = workbook(tmp_path / "名单.xlsx", [[], *rows])  # a blank first row, as templates have
    with pytest.raises(RosterFileError) as caught:
        read_staff_file(path)
    assert str(caught.value) == (
        f"{path}:4:3: 身份证号码*: stored as a number, so Excel kept only 15 digits: format the column as Text and "
        "type it again"
    )
    rows[2][2] = person_id_number(2)
    rows[1][2] = "12345"
    workbook(path, rows)
    with pytest.raises(RosterFileError, match=r":2:3: 身份证号码\*: an ID number has 18 characters"):
        read_staff_file(path)


def test_workbook_numbers_read_as_typed(tmp_path: Path) -> None:
    path = workbook(tmp_path / "staff.xlsx", [["Name", "Phone", "Employee No"], ["Qian Yi", 13912345678, 1024]])
    staff = read_staff_file(path)
    assert staff.rows[0].values == {"name": "Qian Yi", "phone": "13912345678", "employee_number": "1024"}
    assert staff.rows[0].line == 2


def test_files_that_are_not_tables_are_refused_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "staff.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(LmsError, match="not a workbook Excel can open"):
        read_staff_file(broken)
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"\xff\xfe" + "姓名\n钱".encode("utf-16-le") + b"\x00")
    with pytest.raises(LmsError) as caught:
        read_staff_file(odd)
    assert str(caught.value).startswith(str(odd))


def test_one_table_of_columns_documents_and_matches_every_alias() -> None:
    assert header_key(" ＩＤ Number（必填） ".replace("（必填）", "(必填)")) == "id number"
    text = columns_help()
    for column in COLUMNS:
        assert column.aliases[0] in text and column.aliases[1] in text
    for alias in (
        "员工姓名",
        "学员姓名",
        "身份证号码",
        "证件号码",
        "联系电话",
        "单位",
        "工作单位",
        "工号",
        "employee number",
    ):
        assert alias in text


def test_the_help_and_the_readme_list_the_columns(cli: Any) -> None:
    help_text = cli("roster", "import", "--help").out
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert column.aliases[0] in help_text and column.aliases[0] in readme


def test_a_failing_import_leaves_no_roster_and_the_import_is_audited(cli: Any, engine: Engine, tmp_path: Path) -> None:
    vendor_with_a_session(cli, engine)
    path = workbook(tmp_path / "staff.xlsx", [HEADER, *staff_rows(5), ["", "", "13", "", ""]])
    result = cli("roster", "import", "S-ROSTER", str(path))
    assert result.code == 1 and result.err.count("\n") == 1
    assert ":7:1: 员工姓名: a name is required" in result.err and "(and 1 more problems)" in result.err
    assert roster_codes(engine) == []
    workbook(path, [HEADER, *staff_rows(5)])
    assert cli("roster", "import", "S-ROSTER", str(path)).code == 0
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "roster.import")).one()
        assert entry.entity_key == "S-ROSTER" and entry.after is not None and entry.after["added"] == 5
