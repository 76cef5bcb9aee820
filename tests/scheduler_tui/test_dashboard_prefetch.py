"""``lms tui`` forks a loader for the dashboard's data before importing Textual; its parts are exactly those the app
would load itself, and where it cannot give them all the app loads them in its own process.

The forking runs in a fresh interpreter (``run_script``): a fork is only safe with one thread, and a test process
may hold others.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from lms.db import make_engine
from scheduler_tui.app import make_app
from scheduler_tui.dashboard_parts import PART_NAMES, decode_part, encode_part
from tests.conftest import DEMO_TODAY
from tests.scheduler_tui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]

LOAD_HERE = """
def load_here(url, today):
    from sqlmodel import Session
    from lms.calendars.workdays import get_calendar
    from lms.db import make_engine
    from lms.plugins import make_plugin_manager
    from scheduler_tui.dashboard_parts import load_parts

    engine = make_engine(url)
    with Session(engine) as session:
        calendar = get_calendar(pm=make_plugin_manager(), session=session, today=today)
        return [encode_part(part).decode() for part in load_parts(session, calendar, today)]
"""


def run_script(body: str, *arguments: str) -> Any:
    """Run ``body`` in a new interpreter (English, one thread at its start) and return the JSON it prints."""
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


FORK_AND_COMPARE = (
    """
from scheduler_tui.dashboard_parts import DashboardPrefetch, PrefetchIncomplete, encode_part
url, today = sys.argv[1], dt.date.fromisoformat(sys.argv[2])
prefetch = DashboardPrefetch.fork(url, today)
assert prefetch is not None, "one thread: the loader must fork"
try:
    forked = [encode_part(part).decode() for part in prefetch.parts()]
    incomplete = None
except PrefetchIncomplete as error:
    forked, incomplete = [], str(error)
try:
    os.waitpid(prefetch.pid, os.WNOHANG)
    reaped = False
except ChildProcessError:
    reaped = True
"""
    + LOAD_HERE
    + """
here = load_here(url, today) if sys.argv[3] == "compare" else []
print(json.dumps({"forked": forked, "here": here, "incomplete": incomplete, "reaped": reaped}))
"""
)


def test_the_forked_parts_are_those_the_app_loads_itself_on_the_demo(demo_database: str) -> None:
    got = run_script(FORK_AND_COMPARE, demo_database, DEMO_TODAY.isoformat(), "compare")
    assert got["incomplete"] is None and got["reaped"]
    assert got["forked"] == got["here"]
    parts = [decode_part(line.encode()) for line in got["forked"]]
    assert tuple(part.name for part in parts) == PART_NAMES
    by_name = {part.name: part for part in parts}
    assert by_name["sessions"].rows and by_name["conflicts"].rows  # the demo has both: the test compares something
    assert "P2026-NJ-REC" in {row["project"] for row in by_name["history"].rows}
    assert by_name["history"].count >= by_name["obligations"].count > 0
    assert encode_part(parts[0]) == got["forked"][0].encode()  # dates go through the pipe and come back as dates


def test_an_empty_database_gives_every_part_empty(db_url: str) -> None:
    """A vendor's first start, after ``lms init``: every part comes, with nothing in it."""
    got = run_script(FORK_AND_COMPARE, db_url, DEMO_TODAY.isoformat(), "compare")
    assert got["incomplete"] is None and got["forked"] == got["here"]
    assert [(part.name, part.rows, part.count) for part in map(decode_part, map(str.encode, got["forked"]))] == [
        (name, [], 0) for name in PART_NAMES
    ]


def test_a_schema_to_bring_up_to_date_is_left_to_the_app(empty_db_url: str) -> None:
    """The loader never writes: with the schema behind, it gives no part and the database stays as it was."""
    got = run_script(FORK_AND_COMPARE, empty_db_url, DEMO_TODAY.isoformat(), "fork only")
    assert got["incomplete"] is not None and got["forked"] == [] and got["reaped"]
    engine = make_engine(empty_db_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_a_database_file_still_to_create_is_left_to_the_app(tmp_path: Path) -> None:
    """``lms tui`` before ``lms init``: the app creates the file; the loader gives no part and creates nothing."""
    missing = tmp_path / "new" / "lms.db"
    got = run_script(FORK_AND_COMPARE, f"sqlite:///{missing}", DEMO_TODAY.isoformat(), "fork only")
    assert got["incomplete"] is not None and got["reaped"]
    assert not missing.parent.exists()


def test_an_unreachable_database_gives_no_part() -> None:
    got = run_script(FORK_AND_COMPARE, "postgresql://nobody:secret@127.0.0.1:1/none", "2026-11-20", "fork only")
    assert got["incomplete"] is not None and got["reaped"]


def test_closing_stops_and_reaps_a_loader_still_working(demo_database: str) -> None:
    got = run_script(
        """
        from scheduler_tui.dashboard_parts import DashboardPrefetch
        prefetch = DashboardPrefetch.fork(sys.argv[1], dt.date.fromisoformat(sys.argv[2]))
        prefetch.close()
        try:
            os.kill(prefetch.pid, 0)
            gone = False
        except ProcessLookupError:
            gone = True
        prefetch.close()  # twice is harmless
        print(json.dumps({"gone": gone}))
        """,
        demo_database,
        DEMO_TODAY.isoformat(),
    )
    assert got == {"gone": True}


def table_cells(app: Any) -> dict[str, list[list[str]]]:
    tables = {}
    for name in ("obligations", "sessions", "conflicts"):
        shown = app.screen.query_one(f"#{name}")
        tables[name] = [[str(cell) for cell in shown.get_row_at(row)] for row in range(shown.row_count)]
    return tables


async def test_the_app_shows_the_forked_parts_as_it_would_its_own(demo_copy: Engine, pm: Any) -> None:
    """The whole app, started with the loader as ``lms tui`` starts it, paints the same tables as an app that
    loads in its own process, and opens the database for the screens that follow."""
    url = demo_copy.url.render_as_string(hide_password=False)
    got = run_script(
        """
        import asyncio
        from scheduler_tui.dashboard_parts import DashboardPrefetch
        url, today = sys.argv[1], dt.date.fromisoformat(sys.argv[2])
        prefetch = DashboardPrefetch.fork(url, today)
        assert prefetch is not None
        from scheduler_tui.app import make_app
        from tests.scheduler_tui.conftest import settle
        from tests.scheduler_tui.test_dashboard_prefetch import table_cells

        async def main():
            app = make_app(db_url=url, today=today, prefetch=prefetch)
            async with app.run_test(size=(120, 36)) as pilot:
                await settle(pilot)
                return {
                    "loaded": sorted(app.screen.loaded),
                    "tables": table_cells(app),
                    "opened": app._engine is not None and app._calendar is not None,
                    "prefetch_left": app.take_prefetch() is not None,
                }

        print(json.dumps(asyncio.run(main())))
        """,
        url,
        DEMO_TODAY.isoformat(),
    )
    assert got["loaded"] == sorted(PART_NAMES) and got["opened"] and not got["prefetch_left"]
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert got["tables"] == table_cells(app) and got["tables"]["obligations"]
