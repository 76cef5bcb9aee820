"""Output paths are checked before anything is rendered, and a write that fails anyway is one line: no internal
error, no partial file, and no document version recorded for a file that was never written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from lms.db import make_engine
from lms.models import IssuedDocument, Project, TrainingSession
from tests.conftest import copy_database


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path) -> Iterator[str]:
    url, drop = copy_database(demo_database, tmp_path)
    yield url
    drop()


def codes(url: str) -> tuple[str, str]:
    with Session(make_engine(url)) as session:
        project = session.exec(select(Project.code).order_by(col(Project.code))).first()
        training = session.exec(
            select(TrainingSession.code)
            .where(col(TrainingSession.project_id).is_not(None))
            .order_by(col(TrainingSession.code))
        ).first()
    assert project and training
    return project, training


def versions(url: str) -> int:
    with Session(make_engine(url)) as session:
        return len(session.exec(select(IssuedDocument)).all())


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 1, (result.out, result.err)
    assert result.err.startswith("lms: ") and result.err.strip().count("\n") == 0, result.err
    return str(result.err)


def test_a_folder_or_a_file_in_the_way_is_refused_before_rendering(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, training = codes(demo_copy)
    folder = tmp_path / "out"
    folder.mkdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    commands = [
        ("report", "compliance", "--project", project, "-o"),
        ("report", "plan", "--project", project, "-o"),
        ("report", "session", "--session", training, "-o"),
        ("report", "signin", "--session", training, "-o"),
        ("quiz", "paper", "--session", training, "-o"),
        ("schedule", "export-ics", "--all", "-o"),
    ]
    for command in commands:
        assert "folder" in one_line(cli(*command, str(folder), db=demo_copy))
        assert "not a folder" in one_line(cli(*command, str(blocker / "x.pdf"), db=demo_copy))
    assert "not a folder" in one_line(
        cli("report", "materials", "--session", training, "-o", str(blocker / "b"), db=demo_copy)
    )
    assert versions(demo_copy) == 0


def test_a_write_that_fails_after_rendering_records_no_version(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, training = codes(demo_copy)
    unwritable = Path("/proc/lms-no-such-folder/report.pdf")  # passes the check as root, but nothing can be made there
    for command in (("report", "session", "--session", training), ("report", "plan", "--project", project)):
        error = one_line(cli(*command, "-o", str(unwritable), db=demo_copy))
        assert "cannot write" in error or "permission" in error
    assert versions(demo_copy) == 0
