"""Master data kept in files: export, import into an empty database, export again gives the same file (YAML and
CSV); bad rows name file, line and field and write nothing; CSV is safe to open in a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lms.access.roles import Role
from tests.conftest import copy_database
from tests.lms.test_master_data import set_up_vendor


@pytest.fixture
def second_db(migrated_template: str, tmp_path: Path) -> Any:
    folder = tmp_path / "second"
    folder.mkdir()
    url, drop = copy_database(migrated_template, folder)
    yield url
    drop()


def fill(cli: Any) -> None:
    set_up_vendor(cli)
    extra = [
        ["orgs", "add", "EVIL", "--kind", "buyer", "--name", '=HYPERLINK("http://x.example","点我")'],
        ["people", "add", "S1", "--kind", "buyer_staff", "--name=-张三", "--org", "WX-HOSP"]
        + ["--phone", "+86 138 0013 8000", "--email", "z@example.com", "--employee-number", "@001"],
        ["people", "retire", "E010", "--reason", "left"],
        ["rooms", "add", "WX-SITE", "--name", "医技楼会议室", "--city", "无锡", "--address", "中山路 68 号"],
    ]
    for command in extra:
        assert cli(*command).code == 0, (command, cli(*command).err)


@pytest.mark.parametrize("suffix", ["yaml", "csv"])
def test_export_import_export_gives_the_same_file(cli: Any, second_db: str, tmp_path: Path, suffix: str) -> None:
    fill(cli)
    first, second = tmp_path / f"first.{suffix}", tmp_path / f"second.{suffix}"
    assert cli("master-data", "export", "-o", str(first)).code == 0
    imported = cli("master-data", "import", str(first), db=second_db)
    assert imported.code == 0, imported.err
    assert "people: 4 added" in imported.out
    assert cli("master-data", "export", "-o", str(second), db=second_db).code == 0
    assert first.read_bytes() == second.read_bytes()
    assert "E010" in cli("people", "list", "--all", db=second_db).out
    assert "E010" not in cli("people", "list", db=second_db).out
    again = cli("master-data", "import", str(first), db=second_db)
    assert "people: 0 added, 0 changed, 4 unchanged" in again.out


def test_csv_is_safe_for_spreadsheets(cli: Any, tmp_path: Path) -> None:
    fill(cli)
    target = tmp_path / "md.csv"
    assert cli("master-data", "export", "-o", str(target)).code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'-张三," in text and "'+86 138 0013 8000" in text and ",'@001," in text


def test_a_bad_file_names_file_line_and_field_and_writes_nothing(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record,code,kind,name,organisation,id_number,capacity,city\n"
        "organisation,X1,buyer,新买方,,,,\n"
        "person,P1,buyer_staff,张三,X1,11010119900307123X,,\n"
        "room,RR,,教室,,,0,杭州\n"
        "person,P2,buyer_staff,李四,NOPE,,,\n",
        encoding="utf-8",
    )
    result = cli("master-data", "import", str(bad))
    assert result.code == 1
    assert result.err.splitlines() == [
        f"lms: {bad}:3: id_number: the ID number's check digit is wrong (expected 3)",
        f"lms: {bad}:4: capacity: a whole number of places from 1 to 10000",
        f"lms: {bad}:5: organisation: no organisation has the code NOPE",
    ]
    assert "X1" not in cli("orgs", "list", "--all").out
    yaml_file = tmp_path / "bad.yaml"
    yaml_file.write_text("people:\n  - code: P1\n    kind: trainer\n    name: 甲\n    colour: red\n", encoding="utf-8")
    result = cli("master-data", "import", str(yaml_file))
    assert result.err.startswith(f"lms: {yaml_file}:5:5: people[0].colour: not a field of this record")


def test_bulk_files_are_for_hr(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(cli)
    monkeypatch.setenv("LMS_ROLE", Role.trainer.value)
    refused = cli("master-data", "export", "-o", str(tmp_path / "x.yaml"))
    assert refused.code == 1 and "manage_people" in refused.err
    monkeypatch.setenv("LMS_ROLE", Role.hr.value)
    assert cli("master-data", "export", "-o", str(tmp_path / "x.yaml")).code == 0
