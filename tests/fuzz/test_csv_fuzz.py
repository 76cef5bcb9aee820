"""CSV files against hostile input: buyers' staff lists (rosters) and answers typed in from paper. Whatever the bytes,
the import returns or raises one LmsError line naming the file, and nothing half-done stays in the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, func, select

from lms.assessment.answer_sheets import grade_sheet
from lms.errors import LmsError
from lms.models import Person, RosterEntry
from lms.questions.types import registry
from lms.scheduling.rosters import import_roster, read_staff_file
from tests.fuzz.conftest import FUZZ, SEEDS, assert_cli_refuses, hostile, survives, write
from tests.lms.test_quiz_sheets import full_marks

ID_1, ID_2 = "11010519491231002X", "330106199001010018"  # valid check digits

SEEDS["roster"] = [
    f"姓名,身份证号,手机,邮箱,岗位\n钱一,{ID_1},13912345678,qian@example.com,运行值班\n"
    f"孙二,{ID_2},0571-8888 6666,,\n".encode(),
    "姓名,手机\r\n钱一,13912345678\r\n孙二,13912345679\r\n".encode("gbk"),
    "\ufeffname;employee number;phone\nQian Yi;E-001;139 1234 5678\nSun Er;E-002;+86 139 1234 5679\n".encode(),
    b'code\tname\tname_en\tid number\nT-9\t"Zhou, San"\tZhou San\t110105491231002\n',
    "编号,姓名,英文名,工号,职务\nT001,张三,Zhang San,G-1,电工\n,李四,,G-2,\n".encode(),
]
SEEDS["answers"] = [
    ("\n".join(["trainee,question,answer", *full_marks("T001")]) + "\n").encode(),
    "学员,题号,答案\r\n330106199001010002,q-single,A\r\n330106199001010002,q-multi,\r\nT003,q-num,3600\r\n".encode(
        "gbk"
    ),
    '\ufeffanswer,trainee,question\nB,T002,q-single\n"A;B",T002,q-multi\nF,T002,q-tf\n'.encode(),
]

CELLS = [
    "姓名",
    "name",
    "身份证号",
    "id_number",
    "手机",
    "phone",
    "邮箱",
    "email",
    "编号",
    "code",
    "工号",
    "trainee",
    "question",
    "answer",
    "学员",
    "T001",
    "t002",
    "330106199001010002",
    ID_1,
    "q-single",
    "q-multi",
    "q-num",
    "q-order",
    "q-match",
    "A",
    "A;B",
    "Ａ",
    "T",
    "３６００",
    "1e999",
    "nan",
    "钱一",
    "13912345678",
    "a@b.c",
    "x" * 200,
    "",
    " ",
    '"',
    '""',
    '"a,b"',
    "=cmd|' /C calc'!A0",
    "\x00",
    "\u2028",
    "\u3000",
]
SEPARATORS = [",", ";", "\t", "|", "\n", "\r\n", "\r", ",\n"]


@st.composite
def csv_like(draw: st.DrawFn) -> bytes:
    """Cells and separators in any order, in UTF-8 or GBK: headers, quoting and line ends of every kind."""
    parts = draw(st.lists(st.one_of(st.sampled_from(CELLS), st.sampled_from(SEPARATORS)), max_size=50))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
    return "".join(parts).encode(encoding, errors="replace")


@st.composite
def long_field(draw: st.DrawFn) -> bytes:
    """One field past csv's own limit (128 KiB), quoted or not."""
    quote = draw(st.sampled_from([b"", b'"']))
    return b"name,phone\n" + quote + b"a" * draw(st.integers(min_value=131_000, max_value=140_000)) + quote + b",1\n"


def people_and_roster(session: Session) -> tuple[int, int]:
    return (
        session.exec(select(func.count()).select_from(Person)).one(),
        session.exec(select(func.count()).select_from(RosterEntry)).one(),
    )


@FUZZ
@given(data=hostile("roster", csv_like(), csv_like(), long_field()))
def test_any_staff_list_imports_or_names_the_file(workdir: Path, fuzz_engine: Any, data: bytes) -> None:
    path = write(workdir, "staff.csv", data)
    survives("roster CSV (read)", path, lambda: read_staff_file(path))
    with Session(fuzz_engine) as session:
        before = people_and_roster(session)
        try:
            imported = survives(
                "roster CSV (import)",
                path,
                lambda: import_roster(session, session_code="S-QUIZ1", path=path, organisation_code="BUYER"),
            )
            if imported is None:  # refused: the session holds nothing new, so the caller's rollback loses nothing
                assert people_and_roster(session) == before
        finally:
            session.rollback()


@FUZZ
@given(data=hostile("answers", csv_like(), csv_like(), long_field()))
def test_any_answer_sheet_grades_or_names_the_file(workdir: Path, fuzz_pm: Any, fuzz_engine: Any, data: bytes) -> None:
    path = write(workdir, "answers.csv", data)
    with Session(fuzz_engine) as session:
        try:
            survives(
                "answers CSV",
                path,
                lambda: grade_sheet(session, path=path, course_code="QZ-1", types=registry(fuzz_pm)),
            )
        finally:
            session.rollback()


def test_the_seeds_are_read(tmp_path: Path, fuzz_pm: Any, fuzz_engine: Any) -> None:
    for number, seed in enumerate(SEEDS["roster"]):
        assert len(read_staff_file(write(tmp_path, f"staff-{number}.csv", seed)).rows) >= 1
    with Session(fuzz_engine) as session:
        for number, seed in enumerate(SEEDS["answers"]):
            path = write(tmp_path, f"answers-{number}.csv", seed)
            assert grade_sheet(session, path=path, course_code="QZ-1", types=registry(fuzz_pm))


@pytest.mark.parametrize(
    "data",
    [b"name\n" + b"a" * 200_000 + b"\n", b'name\n"' + b"a" * 200_000 + b'"\n', b"name\rQian\rSun\r"],
    ids=["long-field", "long-quoted-field", "CR-line-ends"],
)
def test_what_the_fuzzing_found_stays_fixed(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "staff.csv", data)
    try:
        rows = read_staff_file(path).rows
    except LmsError as error:
        assert "not a readable CSV file" in str(error) and str(error).startswith(f"{path}:2:")
    else:
        assert [row.values["name"] for row in rows] == ["Qian", "Sun"]


BROKEN_CSV = {
    "long-field.csv": b"trainee,question,answer\nT001,q-single," + b"A" * 140_000 + b"\n",
    "utf16.csv": "学员,题号,答案\nT001,q-single,B\n".encode("utf-16"),
    "binary.csv": bytes(range(256)) * 4,
    "empty.csv": b"",
    "no-header.csv": b"T001,q-single,B\n",
}


def test_quiz_grade_refuses_broken_files_in_one_line(cli, fuzz_engine: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    variants = BROKEN_CSV | {"unknown-trainee.csv": b"trainee,question,answer\nT999,q-single,B\n"}
    for name, data in variants.items():
        path = write(tmp_path, name, data)
        assert_cli_refuses(cli, fuzz_engine, path, "quiz", "grade", str(path), "--course", "QZ-1", "--record")


def test_roster_import_refuses_broken_files_in_one_line(cli, fuzz_engine: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    variants = BROKEN_CSV | {"bad-id.csv": "姓名,身份证号\n钱一,123\n孙二,456\n".encode()}
    for name, data in variants.items():
        path = write(tmp_path, name, data)
        assert_cli_refuses(cli, fuzz_engine, path, "roster", "import", "S-QUIZ1", str(path), "--organisation", "BUYER")
