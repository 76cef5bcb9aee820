"""The dashboard's obligation periods (``attention_periods``) over 10,000 sessions and 100,000 attendance rows,
against the bare reads they make.

Run: .venv/bin/python benchmarks/obligation_overview.py [--db URL] [--runs 5]

Targets (issue 20: the dashboard complete 1.5 s after exec): the current part (periods open, still to come, or
closed within 30 days) ≤ 45 ms; the settled part (the periods closed before that) ≤ 120 ms.

Each run is a fresh process, as each start of the dashboard is, in English (``--lang en``), today 2026-11-20. It
opens the database and lists the upcoming sessions first, as the dashboard's worker does (the ORM's mappers get
configured there), loads the working-day calendar and imports the obligation modules (both shown apart: once per
process, whoever asks first), then times the current part and then the settled part in one session, as the worker
does. Ours runs as it would in the dashboard: the full (generation 2) garbage collections its allocations set off
(~80 ms each here) count in its time, and are shown.

Baseline, in the same process right after: the very SQL statements each part sent (caught with SQLAlchemy's
``before_cursor_execute``), replayed on a cursor of the same driver connection with ``fetchall`` — the same rows
read, nothing built from them; it starts after ``gc.collect()`` so that no collection owed to our garbage falls
into it. Medians of ``--runs``, wall time (CPU time beside it: the machine may be shared); the ratio is ours over
the baseline.

--db: an existing benchmark database (``benchmarks.tui_data.build``, e.g. on PostgreSQL); default: one built in a
temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 20)
TARGETS_MS = {"current": 45.0, "settled": 120.0}


def child(url: str) -> dict[str, Any]:
    """One start: the figures of both parts and of their baselines, in milliseconds."""
    from sqlalchemy import event
    from sqlmodel import Session

    from lms.calendars.workdays import ChinaCalendar
    from lms.db import make_engine
    from lms.i18n import set_language
    from lms.scheduling.overview import attention_periods, upcoming_sessions

    set_language("en")
    engine = make_engine(url)
    sent: list[tuple[str, Any]] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, params, _ctx, _many: sent.append((sql, params)))
    figures: dict[str, Any] = {}
    with Session(engine) as session:
        upcoming_sessions(session, TODAY)
        calendar = ChinaCalendar()
        began = time.perf_counter()
        calendar.is_working_day(TODAY)
        figures["calendar"] = (time.perf_counter() - began) * 1000
        began = time.perf_counter()
        import lms.projects.obligations  # noqa: F401 - what attention_periods imports at its first call

        figures["imports"] = (time.perf_counter() - began) * 1000
        statements: dict[str, list[tuple[str, Any]]] = {}
        for part in ("current", "settled"):
            sent.clear()
            full = gc.get_stats()[2]["collections"]
            began, began_cpu = time.perf_counter(), time.process_time()
            found = attention_periods(session, calendar, TODAY, settled=part == "settled")
            figures[part] = (time.perf_counter() - began) * 1000
            figures[f"{part}_cpu"] = (time.process_time() - began_cpu) * 1000
            figures[f"{part}_full_gc"] = gc.get_stats()[2]["collections"] - full
            figures[f"{part}_periods"] = len(found)
            statements[part] = list(sent)
        driver = session.connection().connection.dbapi_connection  # the one ours read through: its cache is warm
        for part, replayed in statements.items():
            figures[f"{part}_baseline"], figures[f"{part}_rows"] = replay(driver, replayed)
            figures[f"{part}_queries"] = len(replayed)
    engine.dispose()
    return figures


def replay(driver: Any, statements: list[tuple[str, Any]]) -> tuple[float, int]:
    """Milliseconds to run ``statements`` on a cursor of the driver's connection and fetch every row; the rows."""
    cursor = driver.cursor()
    rows = 0
    gc.collect()
    began = time.perf_counter()
    for statement, parameters in statements:
        cursor.execute(statement, parameters)
        rows += len(cursor.fetchall())
    elapsed = (time.perf_counter() - began) * 1000
    cursor.close()
    return elapsed, rows


def run(url: str, runs: int) -> None:
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    results = []
    for _number in range(runs):
        command = [sys.executable, str(Path(__file__).resolve()), "--child", url]
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        results.append(json.loads(done.stdout.splitlines()[-1]))

    def median(name: str) -> float:
        return statistics.median(result[name] for result in results)

    print(f"once per process, before the first part: working-day calendar {median('calendar'):.1f} ms, ", end="")
    print(f"importing the obligation modules {median('imports'):.1f} ms")
    for part, target in TARGETS_MS.items():
        ours, baseline = median(part), median(f"{part}_baseline")
        last = results[-1]
        print(
            f"{part:<8} {ours:7.1f} ms ({median(f'{part}_cpu'):.1f} ms CPU; target {target:.0f} ms; "
            f"{last[f'{part}_periods']} periods)   "
            f"baseline {baseline:6.1f} ms ({last[f'{part}_queries']} queries, {last[f'{part}_rows']} rows)   "
            f"ratio {ours / baseline:5.2f}   runs: {', '.join(f'{r[part]:.0f}' for r in results)}   "
            f"full GCs: {', '.join(str(r[f'{part}_full_gc']) for r in results)}"
        )
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an existing benchmark database (default: build one in a temporary folder)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments.child)))
        return
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, str(ROOT))
        from benchmarks.tui_data import database_or_build

        run(database_or_build(arguments.db, Path(folder)), arguments.runs)


if __name__ == "__main__":
    main()
