"""Each kind of bad course YAML exits 1 with one line naming file and line; nothing reaches the database."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from lms.db import make_engine
from lms.models import Course, Question
from tests.conftest import LIBRARY

GOOD = (LIBRARY / "solar-hot-water.yaml").read_text(encoding="utf-8")


def bad_files() -> dict[str, tuple[bytes, str]]:
    """name -> (file content, text the error must contain)."""
    lines = GOOD.splitlines()
    code_line = next(i for i, line in enumerate(lines) if line.startswith("code:"))
    duplicate_key = "\n".join([*lines[: code_line + 1], "code: SHW-OTHER", *lines[code_line + 1 :]])
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    first_answer = next(line for line in lines if line.strip().startswith("answer:") and "[" not in line)
    return {
        "syntax": (b"code: [unclosed\ntitle: x\n", "YAML syntax error"),
        "duplicate-key": (duplicate_key.encode(), "duplicate key 'code'"),
        "gbk": ("code: 太阳能\n".encode("gbk"), "GBK"),
        "python-tag": (b"code: !!python/object/apply:os.system ['true']\n", "not allowed"),
        "alias-bomb": (bomb.encode(), "alias"),
        "empty": (b"   \n# nothing\n", "empty"),
        "unknown-field": (GOOD.replace("pass_mark:", "colour: red\npass_mark:", 1).encode(), "unknown field"),
        "answer-names-no-choice": (
            GOOD.replace(first_answer, first_answer.split(":")[0] + ": zz", 1).encode(),
            "names no choice",
        ),
        "duplicate-id": (_duplicate_question(GOOD).encode(), "duplicate id"),
        # a typo that would put a certificate's expiry past year 9999, or a re-exam in a century
        "endless-validity": (_certificate_validity(GOOD, 120000).encode(), "validity_months"),
        "endless-wait": (re.sub(r"wait_days: \d+", "wait_days: 40000", GOOD, count=1).encode(), "wait_days"),
        # wider than the column it is stored in: refused here, not by PostgreSQL at import
        "endless-title": (
            GOOD.replace("  zh: 太阳能集中热水系统运行与维护\n", "  zh: " + "太阳能" * 101 + "\n", 1).encode(),
            "title.zh",
        ),
    }


def _certificate_validity(text: str, months: int) -> str:
    return re.sub(r"(\n  family: \w+\n)", rf"\1  validity_months: {months}\n", text, count=1)


def _duplicate_question(text: str) -> str:
    marker = "questions:\n"
    head, tail = text.split(marker, 1)
    first_id = next(line for line in tail.splitlines() if line.strip().startswith("- id:"))
    second = [line for line in tail.splitlines() if line.strip().startswith("- id:")][1]
    return head + marker + tail.replace(second, second.split(":")[0] + ": " + first_id.split(":", 1)[1].strip(), 1)


def count_rows(url: str) -> tuple[int, int]:
    with Session(make_engine(url)) as session:
        return session.exec(select(func.count()).select_from(Course)).one(), session.exec(
            select(func.count()).select_from(Question)
        ).one()


@pytest.mark.parametrize("kind", sorted(bad_files()))
def test_bad_course_file_is_one_line_exit_1_and_writes_nothing(kind: str, tmp_path: Path, cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    content, expected = bad_files()[kind]
    path = tmp_path / f"{kind}.yaml"
    path.write_bytes(content)
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    before = count_rows(db_url)

    result = cli("courses", "import", str(LIBRARY), str(path))

    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert str(path) in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.err
    assert count_rows(db_url) == before


@pytest.mark.parametrize("kind", ["duplicate-key", "answer-names-no-choice", "unknown-field", "syntax"])
def test_error_names_the_line_of_the_problem(kind: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    content, _expected = bad_files()[kind]
    path = tmp_path / f"{kind}.yaml"
    path.write_bytes(content)
    result = cli("courses", "validate", str(path))
    location = result.err.removeprefix("lms: ").split(": ")[0]
    _file, line, column = location.rsplit(":", 2)
    line_text = content.decode("utf-8").splitlines()[int(line) - 1]
    needle = {
        "duplicate-key": "code:",
        "answer-names-no-choice": "answer: zz",
        "unknown-field": "colour",
        "syntax": "title:",
    }[kind]  # the parser notices the unclosed list on the next line
    assert needle in line_text
    assert int(column) >= 1


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    content, _ = bad_files()["alias-bomb"]
    path = tmp_path / "bomb.yaml"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "lms", "courses", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "alias" in result.stderr


def test_validate_reports_every_bad_file_and_passes_good_ones(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.yaml").write_bytes(b"")
    (tmp_path / "b.yaml").write_bytes(b"code: [\n")
    result = cli("courses", "validate", str(LIBRARY), str(tmp_path))
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 2
    assert result.out.count("OK ") == len(list(LIBRARY.glob("*.yaml")))


def test_missing_file_is_a_clear_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("courses", "validate", "/nonexistent/course.yaml")
    assert result.code == 1
    assert "/nonexistent/course.yaml: file not found" in result.err


def test_validate_reports_every_problem_of_a_file_each_on_its_own_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = GOOD.splitlines()
    first_answer = next(line for line in lines if line.strip().startswith("answer:") and "[" not in line)
    text = (
        GOOD.replace("pass_mark: 60", "pass_mark: 600", 1)
        .replace("time_limit_minutes: 60", "time_limit_minutes: 99999", 1)
        .replace(first_answer, first_answer.split(":")[0] + ": zz", 1)
    )
    path = tmp_path / "three-problems.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("courses", "validate", str(path))
    assert result.code == 1
    problems = result.err.strip().splitlines()
    assert len(problems) >= 2, result.err
    assert all(line.startswith(f"lms: {path}:") for line in problems)
    assert any("pass_mark" in line for line in problems) and any("time_limit_minutes" in line for line in problems)
