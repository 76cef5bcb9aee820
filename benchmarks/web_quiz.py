"""60 phones sit the quiz on ``lms web`` at once: each opens its quiz with its own code, saves 20 answers (a page
view, then the autosave POST), and submits. Prints the p50/p95 latency of a save and of a page view, the server's
CPU time per answer (page view + save) and its peak memory.

Run: .venv/bin/python benchmarks/web_quiz.py [--phones 60] [--answers 20] [--db URL]

Without --db it makes a temporary SQLite database; give a PostgreSQL URL (an empty database) to measure that.
The server is the real one, ``lms --db URL web`` in its own process; memory is its peak resident size (VmHWM).
The course is LV-SWG (a 24-question paper), so every one of the 20 saves is a real answer on the trainee's paper.
With no thinking time the phones keep the server saturated, so a save waits behind every other phone's requests:
its latency is the server's CPU time per request times the phones ahead of it. The CPU time per answer does not
depend on what else the machine runs; compare the latencies only with a run made under the same load.

Measured 7 December 2026 on 2 cores shared with other work (load average 8-15), 60 phones x 20 answers, the code
before this work (httptools and uvloop blocked) running at the same time as the new one:

- SQLite: before p50 1,617 ms, p95 4,182 ms, 36.2 ms CPU per answer; now p50 571 ms, p95 1,673 ms, 6.3 ms.
- PostgreSQL: before p50 1,551 ms, p95 3,195 ms, 37.1 ms; now p50 456 ms, p95 1,312 ms, 6.6 ms.
- Alone (load 10-15): SQLite p50 380 ms, p95 966 ms, 5.3 ms; PostgreSQL p50 473 ms, p95 966 ms, 8.9 ms.
- Peak memory 131-135 MB in every run, one process for all 60 phones (textual-serve: 765 MB for 12 tabs).
- At load 6.7: SQLite p50 199 ms, p95 577 ms, 4.0 ms per answer, the server busy 29% of a core and the phones'
  process 23%: both waited for the machine, so with a core of its own the server's p95 would be about 170 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlmodel import Session

from lms.assessment.trainee_access import issue_codes
from lms.calendars.dates import working_today
from lms.catalog.service import import_paths
from lms.db import open_database
from lms.models import Organisation, Person
from lms.plugins import make_plugin_manager
from lms.scheduling.sessions import add_to_roster, create_session

COURSE = Path(__file__).resolve().parents[1] / "courses" / "library" / "lv-switchgear.yaml"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
OPTION = re.compile(r'name="answer" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(url: str, phones: int) -> list[str]:
    """A course, a session today with ``phones`` trainees on its roster, and their codes."""
    engine = open_database(url)
    pm = make_plugin_manager()
    with Session(engine, expire_on_commit=False) as session:
        [(version, _created)] = import_paths(session, pm, [COURSE])
        buyer = Organisation(code="BENCH", kind="buyer", name_zh="压测买方", name_en="Bench buyer")
        session.add(buyer)
        session.flush()
        people = [
            Person(code=f"P{n:03d}", kind="buyer_staff", name=f"学员{n}", organisation_id=buyer.id or 0)
            for n in range(phones)
        ]
        session.add_all(people)
        session.flush()
        training = create_session(
            session,
            course_version=version,
            days=[working_today()],
            mode="on_site",
            place="Site",
            city="杭州",
            status="confirmed",
            code="S-BENCH",
        )
        add_to_roster(session, training, people)
        codes = [issued.code for issued in issue_codes(session, session_id=training.id or 0)]
        session.commit()
    engine.dispose()
    return codes


async def phone(base: str, code: str, answers: int, times: dict[str, list[float]], think: float) -> None:
    headers = {"Origin": base}
    async with httpx.AsyncClient(base_url=base, headers=headers, follow_redirects=True, timeout=60) as client:
        form = await client.get("/q", params={"c": code})
        card = await client.post("/q", data={"csrf": CSRF.findall(form.text)[0], "code": code})
        token = CSRF.findall(card.text)[0]
        started = await client.post("/quiz/start", data={"csrf": token})
        assert "/quiz/q/" in str(started.url), started.text[:200]
        for number in range(1, answers + 1):
            await asyncio.sleep(think)  # reading the question (0: every phone as fast as it can)
            began = time.perf_counter()
            page = await client.get(f"/quiz/q/{number}")
            times["page"].append(time.perf_counter() - began)
            assert f"Question {number} of" in page.text, page.text[:200]
            options = OPTION.findall(page.text)
            began = time.perf_counter()
            saved = await client.post(
                f"/quiz/q/{number}",
                data={"csrf": token, "answer": options[0] if options else "3600"},
                headers={"X-Autosave": "1"},
            )
            times["save"].append(time.perf_counter() - began)
            assert saved.json() == {"saved": True}, saved.text[:200]
        review = await client.get("/quiz/review")
        result = await client.post("/quiz/submit", data={"csrf": CSRF.findall(review.text)[0]})
        assert "/quiz/result" in str(result.url)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def drive(base: str, codes: list[str], answers: int, think: float) -> tuple[dict[str, list[float]], float]:
    times: dict[str, list[float]] = {"page": [], "save": []}
    began = time.perf_counter()
    await asyncio.gather(*(phone(base, code, answers, times, think) for code in codes))
    return times, time.perf_counter() - began


def percentiles(label: str, samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"{label}: p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--db")
    parser.add_argument("--think", type=float, default=0.0, help="seconds each phone waits before a question")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="lms-web-bench-")
    url = args.db or f"sqlite:///{folder}/bench.db"
    os.environ.setdefault("LMS_FILES_DIR", f"{folder}/files")
    codes = prepare(url, args.phones)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lms", "--db", url, "web", "--port", str(port)], stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        idle, cpu_before, load = peak_memory_mb(server.pid), cpu_seconds(server.pid), os.getloadavg()[0]
        client_cpu = time.process_time()
        times, wall = asyncio.run(drive(base, codes, args.answers, args.think))
        client_cpu = time.process_time() - client_cpu
        peak, cpu = peak_memory_mb(server.pid), cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(10)
    kind = url.split(":", 1)[0]
    print(
        f"{kind}: {args.phones} phones x {args.answers} saves, {args.think:g} s thinking, in {wall:.1f} s "
        f"({dt.datetime.now():%Y-%m-%d %H:%M}, load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    print(percentiles("save latency", times["save"]))
    print(percentiles("page view latency", times["page"]))
    answers = args.phones * args.answers
    per_answer = cpu / answers * 1000
    print(f"server CPU: {cpu:.1f} s, {per_answer:.1f} ms per answer (page view + save, with sign-in and submit)")
    # A saturated server with a whole core would be busy 100% of the run; less is what the machine's other work
    # left it (one process, one core at most: the GIL), and the latencies stretch by the same factor.
    print(
        f"server busy {100 * cpu / wall:.0f}% of one core during the run "
        f"(the phones' own process {100 * client_cpu / wall:.0f}%)"
    )
    print(f"server memory: {idle:.0f} MB at start, peak {peak:.0f} MB (one process for every phone)")


if __name__ == "__main__":
    main()
