"""The command line as users call it: init, doctor, projects, languages, options anywhere, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import LIBRARY


def test_init_creates_the_database(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'new' / 'lms.db'}"
    result = cli("init", db=url)
    assert result.code == 0
    assert (tmp_path / "new" / "lms.db").exists()


def test_doctor_names_each_check_and_how_to_fix(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("doctor", "--format", "json")
    checks = {check["name"]: check for check in json.loads(result.out)}
    assert checks["database"]["ok"]
    assert checks["plugins"]["ok"]
    assert "Chinese font for PDFs" in checks
    calendar = checks["working-day calendar"]
    assert calendar["ok"] or "calendar.official" in calendar["fix"]
    assert result.code == (0 if all(check["ok"] for check in checks.values()) else 1)


def test_db_option_is_accepted_after_the_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'late.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "lms", "courses", "import", str(LIBRARY / "solar-hot-water.yaml"), "--db", url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "late.db").exists()


def test_messages_in_chinese_by_default_and_english_on_request(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "LMS_CONFIG": str(tmp_path / "none.yaml"), "HOME": str(tmp_path)}
    args = [sys.executable, "-m", "lms", "courses", "validate", "/nonexistent.yaml"]
    chinese = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    english = subprocess.run(args, capture_output=True, text=True, env={**env, "LMS_LANG": "en"}, check=False)
    assert chinese.returncode == english.returncode == 1
    assert "文件不存在" in chinese.stderr
    assert "file not found" in english.stderr


def test_projects_import_and_bad_projects_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("courses", "import", str(LIBRARY)).code == 0
    good = tmp_path / "projects.yaml"
    good.write_text(
        """
buyers:
  - code: WX-HOSP
    name: {zh: 无锡市人民医院, en: Wuxi People's Hospital}
    city: 无锡
projects:
  - code: P-WX-1
    name: {zh: 热水系统, en: Hot water}
    buyer: WX-HOSP
    site: 无锡市梁溪区
    city: 无锡
    courses: [SHW-OM]
    milestones:
      acceptance: {planned: 2026-12-01}
    obligations:
      - id: OB-1
        clause: 验收合格后2个工作日内，在采购人现场开展集中培训，培训不少于2个工作日，参训人员不少于5人。
        anchor: acceptance
        offset: 2 working days after
        mode: centralised
        min_trainees: 5
        min_days: 2
""",
        encoding="utf-8",
    )
    assert cli("projects", "import", str(good)).code == 0
    listed = json.loads(cli("projects", "list", "--format", "json").out)
    assert [row["code"] for row in listed] == ["P-WX-1"]

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        good.read_text(encoding="utf-8").replace("2 working days after", "two days later").replace("P-WX-1", "P-WX-2"),
        encoding="utf-8",
    )
    result = cli("projects", "import", str(bad))
    assert result.code == 1
    assert f"{bad}:" in result.err and "offset" in result.err and "does not parse" in result.err
    assert [row["code"] for row in json.loads(cli("projects", "list", "--format", "json").out)] == ["P-WX-1"]

    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(good.read_text(encoding="utf-8").replace("buyer: WX-HOSP", "buyer: NOPE"), encoding="utf-8")
    result = cli("projects", "import", str(unknown))
    assert result.code == 1 and "unknown buyer 'NOPE'" in result.err


def test_usage_errors_are_one_line_and_exit_1(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("courses", "list", "--format", "xml")
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1


def test_the_example_projects_file_imports(cli) -> None:  # type: ignore[no-untyped-def]
    example = Path(__file__).resolve().parents[2] / "examples" / "projects.yaml"
    assert cli("courses", "import", str(LIBRARY)).code == 0
    result = cli("projects", "import", str(example))
    assert result.code == 0, result.err
    status = json.loads(cli("obligations", "status", "--project", "P2026-WX-SHW", "--format", "json").out)
    assert {row["obligation"] for row in status} == {"OB-1", "OB-2"}
