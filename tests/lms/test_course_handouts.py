"""Handouts named by a course file stay inside the course's folder and are kept in the file store at import: a
course file cannot put the issuer's key or /etc/passwd into the materials sent to buyers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlmodel import Session, select

from lms.db import make_engine
from lms.models import CourseVersion
from tests.conftest import LIBRARY


def course_with_handouts(folder: Path, handouts: list[str]) -> Path:
    """The shipped solar hot-water course, copied into ``folder`` with ``handouts`` appended."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (LIBRARY / "solar-hot-water.yaml").read_text(encoding="utf-8")
    listed = "".join(f"  - {json.dumps(name, ensure_ascii=False)}\n" for name in handouts)
    path = folder / "course.yaml"
    path.write_text(text.rstrip("\n") + "\nhandouts:\n" + listed, encoding="utf-8")
    return path


def handouts_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index("handouts:") + 2


@pytest.mark.parametrize(
    "entry",
    ["../../../../etc/passwd", "/etc/passwd", "{key}", "..\\..\\secret.txt", "C:\\Windows\\win.ini"],
)
def test_paths_outside_the_course_folder_are_refused_at_validate_and_import(cli, tmp_path: Path, entry: str) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "keys" / "issuer-ed25519.pem"
    key.parent.mkdir()
    key.write_text("-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    path = course_with_handouts(tmp_path / "course", [entry.format(key=key)])
    for command in ("validate", "import"):
        result = cli("courses", command, str(path))
        assert result.code == 1, result.out
        assert f"{path}:{handouts_line(path)}:" in result.err and "handouts[0]" in result.err
        assert result.err.strip().count("\n") == 0
    assert cli("courses", "list", "--format", "json").out.strip() == "[]"


def test_a_symlink_leaving_the_folder_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "private.pem"
    outside.write_text("secret", encoding="utf-8")
    folder = tmp_path / "course"
    folder.mkdir()
    os.symlink(outside, folder / "manual.pdf")
    path = course_with_handouts(folder, ["manual.pdf"])
    result = cli("courses", "validate", str(path))
    assert result.code == 1 and "outside the course's folder" in result.err and "handouts[0]" in result.err


def test_a_folder_or_a_missing_file_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "course"
    (folder / "sheets").mkdir(parents=True)
    path = course_with_handouts(folder, ["sheets"])
    assert "not a regular file" in cli("courses", "validate", str(path)).err
    path = course_with_handouts(folder, ["missing.pdf"])
    assert "not found" in cli("courses", "validate", str(path)).err


def test_imported_handouts_are_kept_in_the_store_and_bundled_from_there(cli, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "course"
    (folder / "sheets").mkdir(parents=True)
    (folder / "manual.pdf").write_bytes(b"%PDF-1.7 operating manual")
    (folder / "sheets" / "wiring.txt").write_text("接线图说明\n", encoding="utf-8")
    path = course_with_handouts(folder, ["manual.pdf", "sheets/wiring.txt"])
    assert cli("courses", "import", str(path)).code == 0
    with Session(make_engine(db_url)) as session:
        version = session.exec(select(CourseVersion)).one()
    assert [entry["name"] for entry in version.handouts or []] == ["manual.pdf", "wiring.txt"]
    stored = sorted(p.name for p in (tmp_path / "files").rglob("*") if p.is_file())
    assert any(name.endswith(".pdf") for name in stored) and any(name.endswith(".txt") for name in stored)

    # Changing the file beside the YAML changes nothing until the course is imported again, as a new version.
    (folder / "manual.pdf").write_bytes(b"%PDF-1.7 edited later")
    assert cli("courses", "import", str(path)).code == 0
    with Session(make_engine(db_url)) as session:
        versions = session.exec(select(CourseVersion).order_by(CourseVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].handouts != versions[1].handouts


def test_only_those_who_keep_courses_may_import_them(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for role in ("trainee", "project_manager", "hr"):
        monkeypatch.setenv("LMS_ROLE", role)
        result = cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml"))
        assert result.code == 1 and "manage_courses" in result.err, (role, result.err)
    monkeypatch.setenv("LMS_ROLE", "trainer")
    assert cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml")).code == 0
