"""Dashboard paint and key latency over 10,000 sessions and 100,000 attendance rows, against a hello-world app.

Run: .venv/bin/python benchmarks/tui_dashboard.py [--db URL] [--runs 5] [--keys 30]

The dashboard paints its last snapshot first (``scheduler_tui.snapshot``, kept here in a temporary
``LMS_CACHE_DIR``): one first start without a snapshot (the frame and its loading state) writes it, then each run
starts with it. Targets (issue 20): snapshot painted within 2× hello world after exec; live data and the whole
dashboard (periods closed earlier included) within 1.5 s after exec; key latency under 50 ms.

Each app runs in its own process on a pseudo-terminal of 120×36 with Textual's real (Linux) driver, so painting
includes writing the frame. Times are taken inside the child with ``time.perf_counter`` (CLOCK_MONOTONIC, shared
with the parent):
- snapshot: from ``App.run()`` to the first frame that shows the snapshot and its "as of HH:MM" mark (no ORM yet);
- paint: from ``App.run()`` to the first frame written that shows the live data (hello world: its first frame;
  dashboard: sessions, conflicts and the obligations open now; the older periods follow and are reported
  separately). ``lms tui`` forks the dashboard's loader before importing Textual
  (``scheduler_tui.dashboard_loader``), so the ORM's import and the queries run on the other core while this one
  imports Textual and paints; the report says in how many runs it forked;
- process: from the parent starting the child to that frame (Python start-up and imports included);
- floor for the first frame: the hello world after what ``lms tui`` does before Textual (the command line's start
  and the configuration: which database, whose role) — the least the snapshot's frame can take after exec;
- floor: the hello world again, importing first what any dashboard on this stack needs before its first query
  (SQLAlchemy's ORM, SQLModel and our models) — the least a dashboard with data can take after exec when it loads
  in one process, one thing after another;
- key latency: from the key reaching the app to the next frame written, and from the parent writing the key's
  bytes to the terminal to that frame; cursor keys on the dashboard and the calendar, and ``n`` (next week, which
  reloads in a worker) to the frame showing the new week.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"down": b"\x1b[B", "right": b"\x1b[C", "3": b"3", "n": b"n", "q": b"q"}


# ------------------------------------------------------------------------------------------------------- child


def child(kind: str, url: str, results: Path) -> None:
    """Runs in the pseudo-terminal: build the app, time its frames, append JSON lines to ``results``."""

    def report(**values: Any) -> None:
        with results.open("a") as stream:
            stream.write(json.dumps(values) + "\n")

    if kind in ("hello", "floor_start", "floor", "floor_plugins"):
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        if kind == "floor_start":
            # What the snapshot's frame needs before Textual: the command line's start and the configuration it
            # reads (which database, whose role), as ``lms tui`` runs them.
            import lms.cli.app  # noqa: F401
            from lms.access.roles import configured_role, set_role

            set_role(configured_role())
        if kind in ("floor", "floor_plugins"):
            # What any dashboard on the design card's stack must import before it can query: the ORM and our models.
            import sqlalchemy.orm  # noqa: F401
            import sqlmodel  # noqa: F401

            import lms.models  # noqa: F401
        if kind == "floor_plugins":
            # ... and what our dashboard needs before its first query: the plugins (the core's own among them) and
            # the working-day calendar's library (``holidays`` imports every country to give China).
            from lms.calendars.workdays import get_calendar
            from lms.plugins import make_plugin_manager

            get_calendar(pm=make_plugin_manager())

        class Hello(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hello, world")

        hello = Hello()
        instrument(hello, kind, report)
        hello.run()
        return
    # The dashboard starts the way a trainer starts it, through ``lms --db URL tui`` ("today" pinned by LMS_TODAY
    # to the day the benchmark data was made for); the app's run() is wrapped to time it. Textual is imported only
    # when the command imports it, after it forks the dashboard's loader, as it would be in ``lms tui``.
    from lms.cli.app import main
    from scheduler_tui import dashboard_loader

    original_start = dashboard_loader.DashboardPrefetch.start

    def start(db_url: str | None, today: Any) -> Any:
        prefetch = original_start(db_url, today)
        report(event="prefetch", forked=prefetch is not None)
        from scheduler_tui import app as app_module  # what ``lms tui`` imports next

        original_run = app_module.LmsApp.run

        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            instrument(self, kind, report)
            return original_run(self, *args, **kwargs)

        app_module.LmsApp.run = run  # type: ignore[method-assign]
        return prefetch

    dashboard_loader.DashboardPrefetch.start = start  # type: ignore[method-assign,assignment]

    try:
        main(["--db", url, "--lang", "en", "tui"])
    except SystemExit:
        pass


def instrument(app: Any, kind: str, report: Any) -> None:
    """Wrap the app's frame output and key intake to time them."""
    from textual import events

    state: dict[str, Any] = {"key": None, "view": None, "phase": "paint"}
    original_display = app._display
    original_post = app.post_message

    def post_message(message: Any) -> bool:
        if isinstance(message, events.Key) and state["key"] is None:
            screen = app.screen
            state["key"] = (message.key, time.perf_counter(), getattr(screen, "view", None))
        return bool(original_post(message))

    def display(screen: Any, renderable: Any) -> None:
        original_display(screen, renderable)
        if renderable is None:
            return
        now = time.perf_counter()
        if kind in ("hello", "floor_start", "floor", "floor_plugins"):
            if state["phase"] == "paint":
                state["phase"] = "done"
                report(event="painted", at=now, elapsed=now - state["start"])
                app.exit()
            return
        name = type(screen).__name__
        if "first" not in state:
            state["first"] = now
            report(event="first", at=now, elapsed=now - state["start"], screen=name)
        if "framed" not in state and name == "DashboardScreen":
            state["framed"] = now
            report(event="framed", at=now, elapsed=now - state["start"], snapshot=screen.snapshot_taken is not None)
        if "snapshot" not in state and name == "DashboardScreen" and screen.snapshot_taken is not None:
            state["snapshot"] = now
            report(event="snapshot", at=now, elapsed=now - state["start"], rows=len(screen.obligations))
        if state["phase"] == "paint" and name == "DashboardScreen" and screen.data_ready:
            state["phase"] = "history"
            report(event="painted", at=now, elapsed=now - state["start"], rows=screen.table("obligations").row_count)
        if state["phase"] == "history" and "history" in screen.loaded:
            state["phase"] = "keys"
            report(event="history", at=now, elapsed=now - state["start"], obligations=len(screen.obligations))
            report(event="ready", screen=name)
        if state["phase"] == "keys" and name == "CalendarScreen" and screen.view is not None:
            state["phase"] = "calendar"
            report(event="ready", screen=name)
        pending = state["key"]
        if pending is None:
            return
        key, received, view = pending
        if key == "n" and getattr(screen, "view", None) is view:
            return  # the next week is not on screen yet
        state["key"] = None
        report(event="key", key=key, screen=name, received=received, at=now)

    app._display = display
    app.post_message = post_message
    state["start"] = time.perf_counter()


# ------------------------------------------------------------------------------------------------------ parent


class Child:
    """One app in a pseudo-terminal, its output drained so it never blocks."""

    def __init__(self, kind: str, url: str, folder: Path, number: int | str) -> None:
        self.results = folder / f"{kind}-{number}.jsonl"
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.update(TERM="xterm-256color", COLORTERM="truecolor", LMS_LANG="en", COLUMNS="120", LINES="36")
            os.environ.update(LMS_CACHE_DIR=str(folder / "cache"))  # the dashboard's snapshots, this run's own
            os.environ.update(LMS_TODAY="2026-11-20")  # the day the benchmark data was made for
            os.execv(sys.executable, [sys.executable, __file__, "--child", kind, "--db", url, str(self.results)])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        self.pid, self.fd = pid, fd
        self.sent: list[tuple[str, float]] = []
        self.drainer = threading.Thread(target=self.drain, daemon=True)
        self.drainer.start()

    def drain(self) -> None:
        while True:
            ready, _w, _x = select.select([self.fd], [], [], 0.5)
            if ready:
                try:
                    if not os.read(self.fd, 65536):
                        return
                except OSError:
                    return

    def events(self) -> list[dict[str, Any]]:
        if not self.results.exists():
            return []
        return [json.loads(line) for line in self.results.read_text().splitlines() if line.strip()]

    def wait_for(self, event: str, count: int = 1, timeout: float = 60.0) -> dict[str, Any]:
        limit = time.perf_counter() + timeout
        while time.perf_counter() < limit:
            found = [e for e in self.events() if e["event"] == event]
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.01)
        raise TimeoutError(f"no {event!r} from the child within {timeout} s")

    def press(self, key: str, pause: float = 0.12) -> None:
        self.sent.append((key, time.perf_counter()))
        os.write(self.fd, KEYS[key])
        time.sleep(pause)

    def finish(self) -> None:
        try:
            os.write(self.fd, KEYS["q"])
        except OSError:
            pass
        limit = time.perf_counter() + 10
        while time.perf_counter() < limit:
            done, _status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.05)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)


def key_latencies(child: Child, key: str) -> tuple[list[float], list[float]]:
    """(in-app, end-to-end) seconds for each press of ``key``, matched in order."""
    answered = [e for e in child.events() if e["event"] == "key" and e["key"] == key]
    sent = [at for name, at in child.sent if name == key]
    inside = [e["at"] - e["received"] for e in answered]
    whole = [e["at"] - at for e, at in zip(answered, sent, strict=False)]
    return inside, whole


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms" if values else "      –"


def compile_project() -> None:
    """Byte-compile the project's packages first, as an installed copy is (pip compiles at install): where
    ``PYTHONDONTWRITEBYTECODE`` is set, an editable checkout would otherwise compile every module at every start."""
    import compileall

    for package in ("lms", "courses", "scheduler_tui", "certificates", "webapp"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an existing benchmark database (default: build one in a temporary folder)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=30)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("results", nargs="?", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.db, Path(arguments.results))
        return
    compile_project()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        sys.path.insert(0, str(ROOT))
        from benchmarks.tui_data import database_or_build

        run(database_or_build(arguments.db, folder), folder, arguments.runs, arguments.keys)


def first_start(url: str, folder: Path) -> dict[str, float]:
    """A start with no snapshot (the frame and its loading state, then the data); it writes the snapshot."""
    dashboard = Child("dashboard", url, folder, "first")
    framed = dashboard.wait_for("framed")
    painted = dashboard.wait_for("painted")
    history = dashboard.wait_for("history")
    time.sleep(0.5)  # the snapshot is written after the last part
    dashboard.finish()
    if framed.get("snapshot"):
        raise RuntimeError("the first start found a snapshot")
    return {
        "framed": framed["at"] - dashboard.started,
        "painted": painted["at"] - dashboard.started,
        "history": history["at"] - dashboard.started,
    }


def run(url: str, folder: Path, runs: int, keys: int) -> None:
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    first_run = first_start(url, folder)
    figures: dict[str, list[float]] = {
        name: []
        for name in ("hello", "hello_run", "floor_start", "floor", "floor_plugins", "snapshot", "snapshot_run")
        + ("live", "live_run", "history")
    }
    rows = forked = 0
    latencies: dict[str, tuple[list[float], list[float]]] = {"down": ([], []), "right": ([], []), "n": ([], [])}
    for number in range(runs):
        hello = Child("hello", url, folder, number)
        painted = hello.wait_for("painted")
        figures["hello_run"].append(painted["elapsed"])
        figures["hello"].append(painted["at"] - hello.started)
        hello.finish()

        for kind in ("floor_start", "floor", "floor_plugins"):
            floor = Child(kind, url, folder, number)
            figures[kind].append(floor.wait_for("painted")["at"] - floor.started)
            floor.finish()

        dashboard = Child("dashboard", url, folder, number)
        forked += bool(dashboard.wait_for("prefetch")["forked"])
        snapshot = dashboard.wait_for("snapshot")
        figures["snapshot"].append(snapshot["at"] - dashboard.started)
        figures["snapshot_run"].append(snapshot["elapsed"])
        painted = dashboard.wait_for("painted")
        figures["live"].append(painted["at"] - dashboard.started)
        figures["live_run"].append(painted["elapsed"])
        rows = painted["rows"]
        figures["history"].append(dashboard.wait_for("history")["at"] - dashboard.started)
        dashboard.wait_for("ready")
        for _press in range(keys):
            dashboard.press("down")
        dashboard.press("3", pause=0.5)
        dashboard.wait_for("ready", count=2)
        for _press in range(keys):
            dashboard.press("right")
        for _press in range(max(3, keys // 5)):
            dashboard.press("n", pause=0.4)
        time.sleep(0.3)
        for key, (inside, whole) in latencies.items():
            got_inside, got_whole = key_latencies(dashboard, key)
            inside.extend(got_inside)
            whole.extend(got_whole)
        dashboard.finish()
    report_figures(figures, first_run, rows, runs)
    print(f"the dashboard's loader forked in {forked} of {runs} runs (none on one core)")
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    labels = {"down": "dashboard, cursor down", "right": "calendar, cursor right", "n": "calendar, next week (n)"}
    for key, (inside, whole) in latencies.items():
        print(
            f"key latency {labels[key]:<26} in app {median_ms(inside)}   key to frame {median_ms(whole)}"
            f"   n={len(inside)}   (target < 50 ms)"
        )


def report_figures(figures: dict[str, list[float]], first_run: dict[str, float], rows: int, runs: int) -> None:
    median = {name: statistics.median(values) for name, values in figures.items()}
    hello = median["hello"]

    def line(label: str, seconds: float, target: str) -> None:
        print(f"{label:<52} {seconds * 1000:7.1f} ms after exec  {seconds / hello:5.2f}× hello world   {target}")

    print(f"runs: {runs} of each app, medians; dashboard obligation rows at its live paint: {rows}")
    line("baseline: hello world painted", hello, f"(its run() to frame {median['hello_run'] * 1000:.1f} ms)")
    line("floor: hello world after lms's start and settings", median["floor_start"], "(before any frame of ours)")
    line("floor: hello world importing the ORM and models first", median["floor"], "(the least a query can take)")
    line("floor: ... and our plugins and the calendar library", median["floor_plugins"], "(before our first query)")
    line("dashboard: snapshot painted, marked 'as of HH:MM'", median["snapshot"], "target ≤ 2× hello world")
    line("dashboard: live data painted", median["live"], "target ≤ 1500 ms")
    line("dashboard: complete (periods closed earlier too)", median["history"], "target ≤ 1500 ms")
    after_run = f"snapshot {median['snapshot_run'] * 1000:.1f} ms, live {median['live_run'] * 1000:.1f} ms"
    print(f"{'':<52} (after run(): {after_run})")
    line("first start, no snapshot: frame and loading state", first_run["framed"], "(one run)")
    line("first start, no snapshot: live data painted", first_run["painted"], "(one run)")
    line("first start, no snapshot: complete", first_run["history"], "(one run)")


if __name__ == "__main__":
    main()
