"""Numbers and dates a user types are bounded, and the error names the field: no skill level 99999, no session in
1900, no obligation for 0 or a billion trainees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lms.errors import LmsError
from tests.conftest import LIBRARY
from tests.lms.test_master_data import set_up_vendor

PROJECTS = """projects:
  - code: P1
    name: {{zh: 热水系统, en: Hot water}}
    buyer: WX-HOSP
    site: 医技楼
    city: 无锡
    courses: [SHW-OM]
    milestones:
      acceptance: {{planned: 2026-12-01}}
    obligations:
      - id: OB-1
        clause: 验收后培训
        anchor: acceptance
        offset: 2 working days after
        mode: on_site
        min_trainees: {count}
"""


def one_line(result: Any, *words: str) -> None:
    assert result.code == 1, result.out
    assert result.err.strip().count("\n") == 0 and all(word in result.err for word in words), result.err


def test_a_skill_level_past_nine_is_refused(cli: Any) -> None:
    set_up_vendor(cli)
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    added = cli(
        "skills",
        "add",
        "--person",
        "E009",
        "--skill",
        "SHW-OPERATE",
        "--from",
        "2026-01-01",
        "--level",
        "99999",
        "--issuer",
        "HR",
    )
    one_line(added, "--level", "9")


def test_dates_outside_the_years_people_mean_are_refused_naming_the_field(cli: Any) -> None:
    one_line(cli("calendar", "workdays", "1900-01-01", "1"), "DATE", "1900-01-01")
    one_line(cli("calendar", "workdays", "9999-12-01", "1"), "DATE")


def test_an_obligation_for_nobody_or_a_billion_trainees_is_refused(cli: Any, tmp_path: Path) -> None:
    set_up_vendor(cli)
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    for count in (0, 1_000_000_000):
        path = tmp_path / f"projects-{count}.yaml"
        path.write_text(PROJECTS.format(count=count), encoding="utf-8")
        one_line(cli("projects", "import", str(path)), f"{path}:", "min_trainees")
    path = tmp_path / "projects-ok.yaml"
    path.write_text(PROJECTS.format(count="null"), encoding="utf-8")
    assert cli("projects", "import", str(path)).code == 0


def test_a_project_file_dated_before_1950_is_refused_like_a_typed_date(cli: Any, tmp_path: Path) -> None:
    """A deadline or milestone in a projects file has the bounds of every date a user types."""
    set_up_vendor(cli)
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    path = tmp_path / "projects-1920.yaml"
    path.write_text(PROJECTS.format(count=5).replace("2026-12-01", "1920-12-01"), encoding="utf-8")
    one_line(cli("projects", "import", str(path)), f"{path}:", "acceptance", "1950-01-01")
    assert "P1" not in cli("projects", "list").out


def test_a_session_for_no_places_or_in_1900_is_refused(cli: Any, tmp_path: Path) -> None:
    set_up_vendor(cli)
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
    path = tmp_path / "projects.yaml"
    path.write_text(PROJECTS.format(count=5), encoding="utf-8")
    assert cli("projects", "import", str(path)).code == 0
    plan = ["sessions", "new", "--project", "P1", "--obligation", "OB-1", "--trainer", "E009", "--room", "HZ-R1"]
    plan += ["--course", "SHW-OM"]
    for capacity in ("0", "1000000000"):
        one_line(cli(*plan, "--start", "2026-12-07", "--capacity", capacity), "--capacity", "10000")
    one_line(cli(*plan, "--start", "1900-01-01"), "--start", "1950-01-01")
    assert cli(*plan, "--start", "2026-12-07", "--capacity", "12").code == 0


def test_the_screens_read_typed_dates_with_the_same_bounds() -> None:
    from lms.calendars.dates import parse_date

    with pytest.raises(LmsError, match="1950-01-01") as raised:
        parse_date("1900-01-01", "first_day")
    assert raised.value.field == "first_day"
    assert parse_date(" 2026-12-07 ", "first_day").isoformat() == "2026-12-07"
