"""Session edits are checked against the version they were loaded at (two real processes), and dropping a day that
has attendance is refused unless confirmed, and always audited with the rows it deleted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from lms.access.audit import entries
from lms.calendars.workdays import get_calendar
from lms.db import make_engine
from lms.models import Attendance, SessionDay, TrainingSession
from lms.scheduling.session_forms import apply_draft, draft_of, validate
from lms.scheduling.sessions import AttendanceOnDroppedDays
from tests.lms.test_session_lifecycle import build_world, ok

ROOT = Path(__file__).resolve().parents[2]
EDITOR = """
import pathlib, sys, time
from sqlmodel import Session
from lms.calendars.workdays import get_calendar
from lms.db import make_engine, session_scope
from lms.errors import LmsError
from lms.scheduling.session_forms import apply_draft, draft_of, validate

url, first_day, go = sys.argv[1:4]
engine = make_engine(url)
with Session(engine) as session:
    draft = draft_of(session, "S1")
print("loaded", draft.version, flush=True)
while not pathlib.Path(go).exists():
    time.sleep(0.05)
draft.first_day = first_day
check = validate(get_calendar(), draft, new=False)
try:
    with session_scope(engine) as session:
        apply_draft(session, draft, check.days, code="S1")
    print("saved", flush=True)
except LmsError as error:
    print("refused:", error, flush=True)
"""


@pytest.fixture
def world(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> Any:
    if not db_url.startswith("sqlite"):
        pytest.skip("two processes share the test's SQLite file")
    return build_world(cli, tmp_path, monkeypatch)


def editor(db_url: str, first_day: str, go: Path) -> subprocess.Popen[str]:
    environment = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", EDITOR, db_url, first_day, str(go)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_later_of_two_editors_is_refused_with_who_and_when(world: Any, db_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "go-first", tmp_path / "go-second"
    editors = [editor(db_url, "2026-11-24", first), editor(db_url, "2026-11-26", second)]
    loaded = [process.stdout.readline().strip() for process in editors]  # type: ignore[union-attr]
    assert loaded[0] == loaded[1] and loaded[0].startswith("loaded ")  # both hold the same version
    first.touch()
    out_first, err_first = editors[0].communicate(timeout=120)
    second.touch()
    out_second, err_second = editors[1].communicate(timeout=120)
    assert out_first.strip() == "saved", err_first
    assert out_second.startswith("refused: session S1 was changed by "), out_second + err_second
    assert "after you loaded it; reload and edit again" in out_second
    engine = make_engine(db_url)
    with Session(engine) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == "S1")).one()
        assert training.first_day.isoformat() == "2026-11-24"  # the first save stands; the second undid nothing
    engine.dispose()


def test_dropping_a_day_with_attendance_needs_a_yes_and_is_audited(
    world: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = world
    monkeypatch.setenv("LMS_TODAY", "2026-11-23")
    ok(cli("attendance", "mark", "S1", "--day", "2026-11-23", "--all"))
    engine = make_engine(db_url)
    with Session(engine) as session:
        draft = draft_of(session, "S1")
        draft.first_day = "2026-11-24"  # drops 2026-11-23, which has three attendance rows
        days = validate(get_calendar(), draft, new=False).days
        with pytest.raises(AttendanceOnDroppedDays, match=r"2026-11-23 \(3\)"):
            apply_draft(session, draft, days, code="S1")
        session.rollback()
        assert len(session.exec(select(Attendance)).all()) == 3
        apply_draft(session, draft, days, code="S1", drop_attendance=True)
        session.commit()
        assert session.exec(select(Attendance)).all() == []
        kept = session.exec(select(SessionDay.day).order_by(col(SessionDay.day))).all()
        assert [day.isoformat() for day in kept] == ["2026-11-24", "2026-11-25"]
        moved = [entry for entry in entries(session, entity="session") if entry.action == "session.move"]
        assert len(moved) == 1 and moved[0].entity_key == "S1"
        assert moved[0].before == {"days": ["2026-11-23", "2026-11-24"]}
        assert [row["day"] for row in (moved[0].after or {})["attendance_deleted"]] == ["2026-11-23"] * 3
        version = session.exec(select(TrainingSession.version).where(TrainingSession.code == "S1")).one()
        assert version == (draft.version or 0) + 1
    engine.dispose()
