"""A process forked at ``lms tui``'s start that loads the dashboard's parts while the app imports Textual and paints.

Loading needs the ORM, the plugins and the working-day calendar imported (~0.6 s on a small machine) and then the
queries; in the app's own process all of that comes after Textual's import and the first paint, one after the
other. A child forked before Textual is imported does it on another core at the same time and sends each part
(``scheduler_tui.dashboard_parts``) down a pipe as a line of JSON; the app shows each part as it comes.

The app loads in its own process instead where the loader would not help or cannot finish: one core, no ``fork``,
threads already running, a schema to bring up to date (the app's to do, once), a file still to create, or a
loader that falls silent for ``PATIENCE_SECONDS`` (starved by a busy core, or stuck). A database that cannot be
opened is said once, by the loader, in the app's own words. The child creates no file, writes no row and nothing
to the terminal; it dies with the app, and is stopped when the screen that wanted its parts goes.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import json
import os
import select
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

from lms.errors import LmsError
from lms.i18n import current_language
from scheduler_tui.dashboard_parts import PART_NAMES, Part, load_parts
from scheduler_tui.snapshot import decode_date, encode_date

PATIENCE_SECONDS = 8.0  # the longest wait for the next part; a normal part takes well under a second
CHILD_NICENESS = 19  # the lowest: where both must share a core the first frame comes first (a starved loader: 8 s)


class PrefetchIncomplete(Exception):
    """The loader stopped before giving every part; the app loads in its own process instead."""


class PrefetchCannotOpen(LmsError):
    """The loader could not open the database; the message is the one the app itself would give."""


def encode_part(part: Part) -> bytes:
    return json.dumps(asdict(part), ensure_ascii=False, default=encode_date).encode("utf-8") + b"\n"


def decode_part(line: bytes) -> Part:
    """A part from one line of the pipe; PrefetchCannotOpen for the loader's report that the database cannot be
    opened; PrefetchIncomplete for anything else."""
    document = json.loads(line, object_hook=decode_date)
    if not isinstance(document, dict):
        raise PrefetchIncomplete("not a dashboard part")
    if isinstance(document.get("cannot_open"), str):
        raise PrefetchCannotOpen(document["cannot_open"])
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
    """A child process loading the dashboard's parts for ``today``, in ``language``, from the database at
    ``db_url``. One thread reads ``parts()``; any thread may ``stop()`` it."""

    def __init__(self, pid: int, read_end: int, language: str) -> None:
        self.pid = pid
        self.language = language  # the words in its rows: a screen in another language loads its own
        self._read_end = read_end
        self._lock = threading.Lock()
        self._reaped = self._closed = False

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
        app_pid = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # pragma: no cover - the child; its parts are what the tests compare
            os.close(read_end)
            _serve_parts(write_end, db_url, today, app_pid)
        os.close(write_end)
        return cls(pid, read_end, current_language())

    def parts(self) -> Iterator[Part]:
        """Each part as the child sends it. PrefetchCannotOpen: the database cannot be opened (the app says so);
        PrefetchIncomplete: the child stopped, or fell silent, before the last part."""
        names: list[str] = []
        pending = b""
        try:
            while True:
                line, pending = self._next_line(pending)
                if line is None:
                    break
                part = decode_part(line)
                names.append(part.name)
                yield part
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise PrefetchIncomplete(str(error)) from None
        finally:
            self.close()
        if tuple(names) != PART_NAMES:
            raise PrefetchIncomplete(f"the loader gave {names}")

    def _next_line(self, pending: bytes) -> tuple[bytes | None, bytes]:
        while b"\n" not in pending:
            ready, _write, _error = select.select([self._read_end], [], [], PATIENCE_SECONDS)
            if not ready:
                raise PrefetchIncomplete(f"no part for {PATIENCE_SECONDS:.0f} s")
            chunk = os.read(self._read_end, 1 << 16)
            if not chunk:  # the child is gone
                return None, pending
            pending += chunk
        line, _newline, rest = pending.partition(b"\n")
        return line, rest

    def stop(self) -> None:
        """Stop the child if it is still working, and reap it; from any thread (a read waiting on it then ends).
        It only reads: nothing is left half-written."""
        with self._lock:
            if self._reaped:
                return
            self._reaped = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)

    def close(self) -> None:
        """Stop the child and close the pipe: by the thread that reads it, or once nothing does."""
        self.stop()
        with self._lock:
            if not self._closed:
                self._closed = True
                os.close(self._read_end)


def _serve_parts(  # pragma: no cover - the child
    write_end: int, db_url: str | None, today: dt.date, app_pid: int
) -> NoReturn:
    """The child: load every part and send it, then leave without running the parent's exit handlers."""
    code = 1
    try:
        _die_with_parent(app_pid)
        quiet = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):  # the terminal is the app's: a warning printed here would tear its screen
            os.dup2(quiet, descriptor)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the app's to handle
        os.nice(CHILD_NICENESS)
        with os.fdopen(write_end, "wb") as stream:
            try:
                for part in _child_parts(db_url, today):
                    stream.write(encode_part(part))
                    stream.flush()
            except LmsError as error:  # the database cannot be opened: said once, here, as the app would say it
                stream.write(json.dumps({"cannot_open": str(error)}, ensure_ascii=False).encode("utf-8") + b"\n")
        code = 0
    finally:  # any other failure ends here too: the app loads in its own process and reports it there
        os._exit(code)


def _die_with_parent(app_pid: int) -> None:  # pragma: no cover - runs in the child
    """Linux: the kernel ends the child when the app's process goes, however it goes (a signal, a crash)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != app_pid:  # the app went before that took hold: nobody is reading
        os._exit(1)


def _child_parts(db_url: str | None, today: dt.date) -> Iterator[Part]:  # pragma: no cover - runs in the child
    from sqlalchemy.engine import make_url
    from sqlmodel import Session

    from lms.calendars.workdays import get_calendar
    from lms.config import database_url
    from lms.db import SCHEMA_HEAD, make_engine, schema_revision
    from lms.plugins import make_plugin_manager

    url = make_url(database_url(db_url))
    if url.get_backend_name() == "sqlite" and not Path(url.database or ":memory:").expanduser().is_file():
        return  # in memory (the app's own), or a file still to create: the app's to do
    engine = make_engine(db_url)
    try:
        if schema_revision(engine, db_url) != SCHEMA_HEAD:
            return  # bringing the schema up to date is the app's to do, once
        with Session(engine) as session:
            calendar = get_calendar(pm=make_plugin_manager(), session=session, today=today)
            yield from load_parts(session, calendar, today)
    finally:
        engine.dispose()
