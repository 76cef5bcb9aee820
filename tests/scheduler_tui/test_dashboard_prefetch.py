"""``lms tui`` forks a loader for the dashboard's data before importing Textual; its parts are exactly those the app
would load itself, a database that cannot be opened is said once, and where the loader cannot finish the app loads
in its own process. The loader never outlives the screen that wanted it.

Forking runs in a fresh interpreter (``run_script``): a fork is only safe with one thread, and a test process may
hold others.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from lms.calendars.workdays import get_calendar
from lms.db import make_engine
from scheduler_tui.app import make_app
from scheduler_tui.dashboard_loader import encode_part
from scheduler_tui.dashboard_parts import PART_NAMES, load_parts
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]


def run_script(body: str, *arguments: str) -> Any:
    """Run ``body`` in a new interpreter (English, one thread at its start) and return the JSON it prints last."""
    script = "import datetime as dt, json, os, sys\n" + textwrap.dedent(body)
    environment = os.environ | {
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "LMS_LANG": "en",
    }
    run = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


LOADER_PARTS = """
from scheduler_tui.dashboard_loader import DashboardPrefetch, PrefetchCannotOpen, PrefetchIncomplete, encode_part
prefetch = DashboardPrefetch.fork(sys.argv[1], dt.date.fromisoformat(sys.argv[2]))
assert prefetch is not None, "one thread: the loader must fork"
try:
    got = {"parts": [encode_part(part).decode() for part in prefetch.parts()]}
except (PrefetchIncomplete, PrefetchCannotOpen) as error:
    got = {"stopped": type(error).__name__, "reason": str(error)}
try:
    os.waitpid(prefetch.pid, os.WNOHANG)
    got["reaped"] = False
except ChildProcessError:
    got["reaped"] = True
print(json.dumps(got))
"""


def loaded_here(url: str, pm: Any) -> list[str]:
    """The parts as the app loads them in its own process (English, as ``run_script``'s interpreter)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            calendar = get_calendar(pm=pm, session=session, today=DEMO_TODAY)
            return [encode_part(part).decode() for part in load_parts(session, calendar, DEMO_TODAY)]
    finally:
        engine.dispose()


def test_the_loaders_parts_are_those_the_app_loads_itself_on_the_demo(demo_database: str, pm: Any) -> None:
    got = run_script(LOADER_PARTS, demo_database, DEMO_TODAY.isoformat())
    assert got["reaped"] and "stopped" not in got, got
    assert got["parts"] == loaded_here(demo_database, pm)
    parts = {json.loads(line)["name"]: json.loads(line) for line in got["parts"]}
    assert tuple(parts) == PART_NAMES
    assert parts["sessions"]["rows"] and parts["conflicts"]["rows"]  # the demo has both: something is compared
    assert "P2026-NJ-REC" in {row["project"] for row in parts["history"]["rows"]}
    assert parts["history"]["count"] >= parts["obligations"]["count"] > 0


def test_an_empty_database_gives_every_part_empty(db_url: str, pm: Any) -> None:
    """A vendor's first start, after ``lms init``: every part comes, with nothing in it."""
    got = run_script(LOADER_PARTS, db_url, DEMO_TODAY.isoformat())
    assert got["parts"] == loaded_here(db_url, pm)
    assert [(part["name"], part["rows"], part["count"]) for part in map(json.loads, got["parts"])] == [
        (name, [], 0) for name in PART_NAMES
    ]


def test_a_schema_to_bring_up_to_date_is_left_to_the_app(empty_db_url: str) -> None:
    """The loader never writes: with the schema behind, it gives no part and the database stays as it was."""
    got = run_script(LOADER_PARTS, empty_db_url, DEMO_TODAY.isoformat())
    assert got["stopped"] == "PrefetchIncomplete" and got["reaped"]
    engine = make_engine(empty_db_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_a_database_file_still_to_create_is_left_to_the_app(tmp_path: Path) -> None:
    """``lms tui`` before ``lms init``: the app creates the file; the loader gives no part and creates nothing."""
    missing = tmp_path / "new" / "lms.db"
    got = run_script(LOADER_PARTS, f"sqlite:///{missing}", DEMO_TODAY.isoformat())
    assert got["stopped"] == "PrefetchIncomplete" and got["reaped"]
    assert not missing.parent.exists()


def test_a_database_that_cannot_be_opened_is_said_in_the_apps_words(tmp_path: Path) -> None:
    refused = run_script(LOADER_PARTS, "postgresql://nobody:secret@127.0.0.1:1/none", "2026-11-20")
    assert refused["stopped"] == "PrefetchCannotOpen" and refused["reaped"]
    assert refused["reason"].startswith("cannot open database postgresql")
    assert "://nobody:***@127.0.0.1:1/none: " in refused["reason"] and "secret" not in refused["reason"]
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_bytes(b"meeting notes, not a database\n" * 100)
    got = run_script(LOADER_PARTS, f"sqlite:///{not_a_database}", "2026-11-20")
    assert got["stopped"] == "PrefetchCannotOpen" and got["reason"].endswith(": file is not a database")


def test_stopping_ends_and_reaps_a_loader_still_working(demo_database: str) -> None:
    got = run_script(
        """
        from scheduler_tui.dashboard_loader import DashboardPrefetch
        prefetch = DashboardPrefetch.fork(sys.argv[1], dt.date.fromisoformat(sys.argv[2]))
        prefetch.stop()
        try:
            os.kill(prefetch.pid, 0)
            gone = False
        except ProcessLookupError:
            gone = True
        prefetch.stop()
        prefetch.close()  # after a stop, and twice: harmless
        prefetch.close()
        print(json.dumps({"gone": gone}))
        """,
        demo_database,
        DEMO_TODAY.isoformat(),
    )
    assert got == {"gone": True}


APP_WITH_LOADER = """
import asyncio, socket
from scheduler_tui.dashboard_loader import DashboardPrefetch
url, today = sys.argv[1], dt.date.fromisoformat(sys.argv[2])
if url == "silent":  # a server that takes the connection and never answers: the loader waits in its connect
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    url = f"postgresql://nobody@127.0.0.1:{listener.getsockname()[1]}/none?connect_timeout=60"
prefetch = DashboardPrefetch.fork(url, today)
assert prefetch is not None
from scheduler_tui.app import make_app
from tests.scheduler_tui.test_dashboard_prefetch import table_cells

async def quit_early():
    app = make_app(db_url=url, today=today, prefetch=prefetch)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        shown = type(app.screen).__name__
        app.exit()
    # The app has closed; its worker threads are not waited for yet (asyncio.run does that).
    return {"screen": shown, "alive_when_closed": alive(prefetch.pid)}

async def wait_for_data():
    app = make_app(db_url=url, today=today, prefetch=prefetch)
    async with app.run_test(size=(120, 36)) as pilot:
        for _wait in range(300):  # no waiting for workers: a database that cannot be opened closes the app
            if app.failure or getattr(app.screen, "loaded_from", ""):
                break
            await pilot.pause(0.1)
        if app.failure is None:
            await app.workers.wait_for_complete()  # the snapshot written, the database opened for what follows
        return {
            "failure": app.failure,
            "loaded_from": getattr(app.screen, "loaded_from", None),
            "tables": table_cells(app) if app.failure is None else None,
            "opened": app._engine is not None and app._calendar is not None,
        }

def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False

got = asyncio.run(quit_early() if sys.argv[3] == "quit early" else wait_for_data())
got["loader_alive"] = alive(prefetch.pid)
print(json.dumps(got))
"""


def table_cells(app: Any) -> dict[str, list[list[str]]]:
    tables = {}
    for name in ("obligations", "sessions", "conflicts"):
        shown = app.screen.query_one(f"#{name}")
        tables[name] = [[str(cell) for cell in shown.get_row_at(row)] for row in range(shown.row_count)]
    return tables


async def test_the_app_shows_the_loaders_parts_as_it_would_its_own(demo_copy: Engine, pm: Any) -> None:
    """The whole app, started with the loader as ``lms tui`` starts it, shows what the loader sent (not a load of
    its own), the same tables as an app that loads in its own process, and opens the database for what follows."""
    url = demo_copy.url.render_as_string(hide_password=False)
    got = run_script(APP_WITH_LOADER, url, DEMO_TODAY.isoformat(), "wait")
    assert got["failure"] is None and got["loaded_from"] == "loader" and got["opened"], got
    assert not got["loader_alive"]
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.loaded_from == "here"
        assert got["tables"] == table_cells(app) and got["tables"]["obligations"]


def test_an_app_whose_loader_cannot_finish_loads_itself(empty_db_url: str) -> None:
    """No schema yet: the loader leaves it; the app brings the schema up to date and loads in its own process."""
    got = run_script(APP_WITH_LOADER, empty_db_url, DEMO_TODAY.isoformat(), "wait")
    assert got["failure"] is None and got["loaded_from"] == "here", got
    assert got["tables"] == {"obligations": [], "sessions": [], "conflicts": []}


def test_an_app_whose_database_cannot_be_opened_closes_with_the_loaders_words() -> None:
    got = run_script(APP_WITH_LOADER, "postgresql://nobody:secret@127.0.0.1:1/none", "2026-11-20", "wait")
    assert got["failure"].startswith("cannot open database postgresql") and "secret" not in got["failure"]
    assert got["loaded_from"] == ""  # said by the loader: the app did not try again


def test_quitting_while_the_loader_waits_stops_it() -> None:
    """A database that never answers: the app quits at once, and its loader is gone when it has."""
    got = run_script(APP_WITH_LOADER, "silent", "2026-11-20", "quit early")
    assert got == {"screen": "DashboardScreen", "alive_when_closed": False, "loader_alive": False}


def test_parts_go_through_the_pipe_with_their_dates(demo_database: str, pm: Any) -> None:
    """What a part holds comes back as it was sent (dates as dates)."""
    from scheduler_tui.dashboard_loader import decode_part

    for line in loaded_here(demo_database, pm):
        part = decode_part(line.encode())
        assert encode_part(part).decode() == line
        assert json.loads(line)["name"] == part.name and asdict(part)["count"] == part.count
