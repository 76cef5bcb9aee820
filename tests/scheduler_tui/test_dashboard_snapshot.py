"""``lms tui`` paints the dashboard's last snapshot at once, marked "as of HH:MM, refreshing…", before the ORM is
imported; live data replaces it. No snapshot, or one that cannot be trusted: the frame and its loading state."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from lms.i18n import current_language
from scheduler_tui.app import make_app
from scheduler_tui.screens.dashboard import SNAPSHOT_ROWS, as_of
from scheduler_tui.snapshot import DashboardSnapshot, read_snapshot, snapshot_path, write_snapshot
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import screen_text, settle

ROOT = Path(__file__).resolve().parents[2]
TAKEN = dt.datetime(2026, 11, 19, 1, 5, tzinfo=dt.UTC)  # 09:05 in Shanghai


def old_picture() -> DashboardSnapshot:
    """A snapshot whose rows no database holds, so that the test sees when live data replaced them."""
    return DashboardSnapshot(
        taken_at=TAKEN,
        sessions=[
            {
                "code": "S-FROM-SNAPSHOT", "project": "", "first_day": DEMO_TODAY, "last_day": DEMO_TODAY,
                "course": "Old course", "status": "planned", "status_label": "planned", "provisional": "",
                "trainers": "Old trainer",
            }
        ],
        obligations=[
            {
                "status": "overdue", "status_label": "overdue", "project": "P-SNAPSHOT", "obligation": "OB-9",
                "period": "once", "period_name": "one-off", "window_start": DEMO_TODAY, "window_end": DEMO_TODAY,
                "reason": "from the snapshot", "working_days_left": None,
            }
        ],
        obligation_count=1,
        conflicts=[{"day": None, "kind": "over_capacity", "label": "roster larger than capacity", "sessions": ["X"]}],
    )  # fmt: skip


def snapshot_file(engine: Engine) -> Path:
    return snapshot_path(engine.url.render_as_string(hide_password=False), current_language())


def status(app: Any) -> str:
    return str(app.screen.query_one("#status").render())


def cells(app: Any, table: str) -> list[str]:
    shown = app.screen.query_one(f"#{table}")
    return [str(cell) for row in range(shown.row_count) for cell in shown.get_row_at(row)]


async def test_the_snapshot_paints_first_with_its_mark_then_live_data_replaces_it(demo_copy: Engine, pm: Any) -> None:
    url = demo_copy.url.render_as_string(hide_password=False)
    write_snapshot(snapshot_file(demo_copy), url, old_picture())
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.snapshot_taken == TAKEN and not app.screen.loaded
        assert "S-FROM-SNAPSHOT" in cells(app, "sessions") and "P-SNAPSHOT" in cells(app, "obligations")
        assert status(app) == f"as of {as_of(TAKEN)}, refreshing…"
        assert as_of(TAKEN) == "2026-11-19 09:05"  # an older day says which day, in the working time zone
        await settle(pilot)
        assert "history" in app.screen.loaded
        assert "S-FROM-SNAPSHOT" not in cells(app, "sessions") and "P-SNAPSHOT" not in cells(app, "obligations")
        assert "P2026-NJ-REC" in cells(app, "obligations")
        assert status(app).startswith("obligations needing attention: ") and "refreshing" not in status(app)
        assert "as of" not in screen_text(app)
        shown = (app.screen.obligations, app.screen.sessions, app.screen.conflicts)
        count = app.screen.obligation_count
    # The refresh wrote what it showed (the rows a screen can show), for the next start.
    again = read_snapshot(snapshot_file(demo_copy), url)
    assert again is not None and again.taken_at > TAKEN
    assert (again.obligations, again.sessions, again.conflicts) == tuple(rows[:SNAPSHOT_ROWS] for rows in shown)
    assert again.obligation_count == count and all(shown)


async def test_no_snapshot_shows_the_frame_and_its_loading_state(demo_copy: Engine, pm: Any) -> None:
    assert not snapshot_file(demo_copy).exists()
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.snapshot_taken is None
        assert status(app) == "Loading…" and cells(app, "obligations") == []
        assert "Obligations needing attention" in screen_text(app)  # the frame is there
        await settle(pilot)
        assert "P2026-NJ-REC" in cells(app, "obligations")
    assert snapshot_file(demo_copy).exists()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01 not json",
        b'{"format": 2, "database": "',  # cut short
        json.dumps({"format": 0, "rows": []}).encode(),  # an older format
        b"[1, 2, 3]",
        b'{"format": 2, "database": "elsewhere", "taken_at": "2026-11-19T01:05:00+00:00"}',
    ],
    ids=["garbage", "cut-short", "old-format", "not-an-object", "other-database"],
)
async def test_a_damaged_or_old_snapshot_shows_the_loading_state(demo_copy: Engine, pm: Any, content: bytes) -> None:
    path = snapshot_file(demo_copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.snapshot_taken is None and status(app) == "Loading…"
        await settle(pilot)
        assert "P2026-NJ-REC" in cells(app, "obligations")
    assert read_snapshot(path, demo_copy.url.render_as_string(hide_password=False)) is not None  # replaced whole


def test_a_snapshot_is_kept_per_database_without_its_password(tmp_path: Path) -> None:
    first = snapshot_path("postgresql+psycopg://trainer:secret@db.example/lms", "en")
    assert first == snapshot_path("postgresql+psycopg://trainer:changed@db.example/lms", "en")
    assert first != snapshot_path("postgresql+psycopg://trainer:secret@db.example/other", "en")
    assert first != snapshot_path("postgresql+psycopg://trainer:secret@db.example/lms", "zh")
    write_snapshot(first, "postgresql+psycopg://trainer:secret@db.example/lms", old_picture())
    assert b"secret" not in first.read_bytes() and oct(first.stat().st_mode & 0o777) == "0o600"
    assert read_snapshot(first, "postgresql+psycopg://trainer:other@db.example/lms") is not None
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no temporary file left


def test_no_password_in_the_query_is_written_and_relative_sqlite_files_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://trainer@db.example/lms?password=secret&sslmode=require"
    path = snapshot_path(url, "en")
    assert path == snapshot_path("postgresql+psycopg://trainer@db.example/lms?password=other&sslmode=require", "en")
    write_snapshot(path, url, old_picture())
    assert b"secret" not in path.read_bytes() and b"db.example" not in path.read_bytes()
    assert read_snapshot(path, url) is not None
    # The same relative URL started from two project folders names two files, so two snapshots.
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    in_a = snapshot_path("sqlite:///lms.db", "en")
    write_snapshot(in_a, "sqlite:///lms.db", old_picture())
    monkeypatch.chdir(tmp_path / "b")
    assert snapshot_path("sqlite:///lms.db", "en") != in_a
    assert read_snapshot(in_a, "sqlite:///lms.db") is None
    assert snapshot_path(f"sqlite:///{tmp_path / 'b' / 'lms.db'}", "en") == snapshot_path("sqlite:///lms.db", "en")


async def test_a_hand_edited_snapshot_row_shows_the_loading_state(demo_copy: Engine, pm: Any) -> None:
    """Rows with every key but a value of the wrong kind (a date written as text) cannot be painted."""
    picture = old_picture()
    picture.sessions[0]["first_day"] = "next week"
    write_snapshot(snapshot_file(demo_copy), demo_copy.url.render_as_string(hide_password=False), picture)
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.snapshot_taken is None and status(app) == "Loading…"
        assert "S-FROM-SNAPSHOT" not in cells(app, "sessions")
        await settle(pilot)
        assert "P2026-NJ-REC" in cells(app, "obligations")


def test_the_first_paint_path_imports_no_orm(tmp_path: Path, pm: Any) -> None:
    """What ``lms tui`` runs before its first frame: the command line's start, the plugins' quick command, the
    app and the dashboard reading its snapshot. SQLAlchemy, SQLModel and the models come later, in a worker (or the
    loader ``lms tui`` forks); Typer's command tree is never needed."""
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert pm.hook.lms_quick_command(args=["tui"], db_url=url).words == "tui"
    assert pm.hook.lms_quick_command(args=["tui", "--help"], db_url=url) is None
    script = textwrap.dedent(
        f"""
        import sys
        import lms.cli.app
        from lms.access.command_permissions import require_command
        from lms.access.roles import configured_role, set_role
        from lms.plugins import quick_command
        set_role(configured_role())
        quick = quick_command(["tui"], {url!r})
        require_command(quick.words)
        from scheduler_tui.app import make_app
        from scheduler_tui.screens.dashboard import DashboardScreen, as_of
        from scheduler_tui.snapshot import read_snapshot
        app = make_app(db_url={url!r})
        read_snapshot(app.snapshot_file(), app.database_url)
        screen = DashboardScreen()
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic", "typer"))
        heavy += sorted(m for m in sys.modules if m.startswith("lms.models") or m == "lms.db")
        print(heavy)
        """
    )
    environment = os.environ | {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


async def test_a_database_that_cannot_be_opened_closes_the_app_with_the_reason() -> None:
    app = make_app(db_url="postgresql://nobody:secret@127.0.0.1:1/none", today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        for _wait in range(200):
            if app.failure is not None:
                break
            await pilot.pause(0.05)
    assert app.failure is not None and app.return_code == 1
    assert "cannot open database" in app.failure and "secret" not in app.failure
