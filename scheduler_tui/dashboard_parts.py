"""The dashboard's data in parts, cheapest first, and a process forked at ``lms tui``'s start that loads them while
the app imports Textual and paints.

Loading needs the ORM, the plugins and the working-day calendar imported (~0.9 s on a small machine) and then the
queries; in the app's own process all of that comes after Textual's import and the first paint, one after the
other, on one core. A child forked before Textual is imported does it on another core at the same time and sends
each part down a pipe as a line of JSON; the app shows each part as it comes. Where there is no second core or no
``fork``, or the child cannot give every part (a schema to bring up to date, a database that cannot be opened), the
app loads in its own process as before, which also reports any error. The child creates no file, writes no row and
nothing to the terminal, and is stopped when the app quits. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NoReturn

from lms.i18n import current_language
from scheduler_tui.snapshot import decode_date, encode_date

SHOWN_OBLIGATIONS = 200  # the most urgent rows that go into the table
PART_NAMES = ("sessions", "obligations", "conflicts", "history")


@dataclass(frozen=True)
class Part:
    """One part of the dashboard: its rows as the screen shows them, and how many there are in all.

    ``sessions``: upcoming sessions; ``obligations``: the obligation periods open now (most urgent first);
    ``conflicts``: open conflicts; ``history``: every obligation period, those closed long ago too.
    """

    name: str
    rows: list[dict[str, Any]]
    count: int


def load_parts(session: Any, calendar: Any, today: dt.date, stop: Callable[[], bool] | None = None) -> Iterator[Part]:
    """The dashboard's parts in the order they should appear; ``stop`` ends the slow last part early (a screen
    that went away), and then no ``history`` part is given."""
    from lms.scheduling.overview import attention_periods, upcoming_sessions

    sessions = session_rows(upcoming_sessions(session, today), calendar)
    yield Part("sessions", sessions, len(sessions))
    current = ranked(attention_periods(session, calendar, today))
    yield Part("obligations", [obligation_row(row) for row in current[:SHOWN_OBLIGATIONS]], len(current))
    conflicts = conflict_rows(session, calendar, today)
    yield Part("conflicts", conflicts, len(conflicts))
    settled = attention_periods(session, calendar, today, settled=True, stop=stop)
    if stop is not None and stop():
        return
    every = ranked(current + settled)
    yield Part("history", [obligation_row(row) for row in every[:SHOWN_OBLIGATIONS]], len(every))


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most urgent first: by status, then the window that closes first (a stable sort keeps the rest in order)."""
    from lms.scheduling.overview import STATUS_ORDER

    return sorted(rows, key=lambda p: (STATUS_ORDER.get(p["status"], 9), p["window_end"] or dt.date.max))


def obligation_row(row: dict[str, Any]) -> dict[str, Any]:
    """What the table and its detail line show of an obligation period (all a snapshot keeps of it), its period
    in words (一次性, 2027年春季) as well as its code."""
    from lms.projects.periods import period_name

    keep = ("status", "status_label", "project", "obligation", "period", "window_start", "window_end", "reason")
    return {key: row[key] for key in keep} | {
        "period_name": period_name(row["period"]),
        "working_days_left": row["working_days_left"],
    }


def session_rows(upcoming: list[dict[str, Any]], calendar: Any) -> list[dict[str, Any]]:
    """Upcoming sessions with their words looked up, so that a snapshot can show them without the domain."""
    from lms.calendars.workdays import depends_on_provisional, provisional_mark
    from scheduler_tui.labels import session_status_label

    english = current_language() == "en"
    return [
        {
            "code": row["code"],
            "project": row["project"],
            "first_day": row["first_day"],
            "last_day": row["last_day"],
            "course": row["course_en"] if english else row["course_zh"],
            "status": row["status"],
            "status_label": session_status_label(row["status"]),
            "provisional": provisional_mark()
            if depends_on_provisional(calendar, row["first_day"], row["last_day"])
            else "",
            "trainers": row["trainers"],
        }
        for row in upcoming
    ]


def conflict_rows(session: Any, calendar: Any, today: dt.date) -> list[dict[str, Any]]:
    from lms.scheduling.conflicts import find_conflicts, kind_label

    return [
        c.as_dict() | {"label": kind_label(c.kind), "sessions": list(c.sessions)}
        for c in find_conflicts(session, calendar, today)
    ]


# ------------------------------------------------------------------------------------------ the forked loader


class PrefetchIncomplete(Exception):
    """The child stopped before giving every part; the app loads in its own process instead."""


def encode_part(part: Part) -> bytes:
    return json.dumps(asdict(part), ensure_ascii=False, default=encode_date).encode("utf-8") + b"\n"


def decode_part(line: bytes) -> Part:
    document = json.loads(line, object_hook=decode_date)
    if document.get("name") not in PART_NAMES or not isinstance(document.get("rows"), list):
        raise PrefetchIncomplete("not a dashboard part")
    return Part(document["name"], document["rows"], int(document["count"]))


def second_core_free() -> bool:
    """A second core to load on while the app paints; on one core the child would only slow the paint."""
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except AttributeError:  # no affinity on this platform: count the machine's cores
        return (os.cpu_count() or 1) >= 2


class DashboardPrefetch:
    """A child process loading the dashboard's parts for ``today`` from the database at ``db_url``."""

    def __init__(self, pid: int, stream: Any) -> None:
        self.pid = pid
        self._stream = stream
        self._reaped = False

    @classmethod
    def start(cls, db_url: str | None, today: dt.date) -> DashboardPrefetch | None:
        """The loader forked, or None where it would not help: no second core, or no ``fork``."""
        if not hasattr(os, "fork") or not second_core_free():
            return None
        return cls.fork(db_url, today)

    @classmethod
    def fork(cls, db_url: str | None, today: dt.date) -> DashboardPrefetch | None:
        """Fork the loader, or None when threads are already running: a fork copies only the calling thread, and a
        lock another thread held (an import's, a logger's) would stay held in the child for ever."""
        if threading.active_count() > 1:
            return None
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # pragma: no cover - the child; its parts are what the tests compare
            os.close(read_end)
            _serve_parts(write_end, db_url, today)
        os.close(write_end)
        return cls(pid, os.fdopen(read_end, "rb"))

    def parts(self) -> Iterator[Part]:
        """Each part as the child sends it; PrefetchIncomplete when it stops before the last."""
        names: list[str] = []
        try:
            for line in self._stream:
                part = decode_part(line)
                names.append(part.name)
                yield part
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise PrefetchIncomplete(str(error)) from None
        finally:
            self.close()
        if tuple(names) != PART_NAMES:
            raise PrefetchIncomplete(f"the loader gave {names}")

    def close(self) -> None:
        """Stop the child if it is still working, and reap it (no process is left behind)."""
        if self._reaped:
            return
        self._reaped = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)  # it only reads: nothing is left half-written
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):  # after the kill: a read waiting in another thread has ended
            self._stream.close()


def _serve_parts(write_end: int, db_url: str | None, today: dt.date) -> NoReturn:  # pragma: no cover - the child
    """The child: load every part and send it, then leave without running the parent's exit handlers."""
    code = 1
    try:
        quiet = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):  # the terminal is the app's: a warning printed here would tear its screen
            os.dup2(quiet, descriptor)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the app's to handle
        os.nice(19)  # the app's first frame comes first where both must share a core
        with os.fdopen(write_end, "wb") as stream:
            for part in _child_parts(db_url, today):
                stream.write(encode_part(part))
                stream.flush()
        code = 0
    finally:  # a failure ends here too: the app loads in its own process and reports it there
        os._exit(code)


def _child_parts(db_url: str | None, today: dt.date) -> Iterator[Part]:  # pragma: no cover - runs in the child
    from sqlalchemy.engine import make_url
    from sqlmodel import Session

    from lms.calendars.workdays import get_calendar
    from lms.config import database_url
    from lms.db import SCHEMA_HEAD, current_revision, make_engine
    from lms.plugins import make_plugin_manager

    url = make_url(database_url(db_url))
    if url.get_backend_name() == "sqlite" and not Path(url.database or ":memory:").expanduser().is_file():
        return  # in memory (the app's own), or a file still to create: the app's to do
    engine = make_engine(db_url)
    try:
        if current_revision(engine) != SCHEMA_HEAD:
            return  # bringing the schema up to date is the app's to do, once
        with Session(engine) as session:
            calendar = get_calendar(pm=make_plugin_manager(), session=session, today=today)
            yield from load_parts(session, calendar, today)
    finally:
        engine.dispose()
