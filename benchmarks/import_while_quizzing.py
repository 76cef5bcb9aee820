"""A 20,000-row roster import while 30 trainees save answers on their phones (issue 18), each a real program: the
trainees on ``lms web``, the trainer running ``lms roster import`` in another process on the same database.

Each phone signs in, starts, then keeps changing its choice answers until the import is over (and twice more). The
benchmark prints how many saves ran during the import, their p50/p95 and longest wait, how many were refused, and
how many answers a phone was told were saved are not in the database afterwards (lost). ``roster_import_lock.py``
measures the import's lock holds on their own; ``tests/webapp/test_import_while_quizzing.py`` is this at 3,000 rows.

Run: .venv/bin/python benchmarks/import_while_quizzing.py [--rows 20000] [--phones 30] [--db URL]
(without --db a temporary SQLite database; give an empty PostgreSQL database to measure that).

Measured 7 December 2026 on 2 cores shared with other work (load average 10-14), 20,000 rows, 30 trainees:

- SQLite: import 42 s; 3,089 saves during it, p50 333 ms, p95 718 ms, longest 1.7 s; 0 refused, 0 lost.
- PostgreSQL: import 120 s; 4,552 saves during it, p50 548 ms, p95 1,049 ms, longest 2.0 s; 0 refused, 0 lost.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from roster_import_lock import staff_csv
from sqlmodel import Session, select
from web_quiz import CSRF, free_port, prepare

from lms.access.roles import Role, acting_as
from lms.calendars.dates import working_today
from lms.db import open_database
from lms.models import Answer, Attempt, CourseVersion, TraineeAccess
from lms.scheduling.sessions import create_session

RADIO = re.compile(r'type="radio" name="answer" value="([^"]+)"')
STORED = {"T": True, "F": False}  # true/false is stored as a boolean, a choice as its id


@dataclass
class Phone:
    code: str
    last: dict[int, str] = field(default_factory=dict)  # question number -> the value last reported saved
    saves: list[tuple[float, float]] = field(default_factory=list)  # (started, seconds)
    refused: list[str] = field(default_factory=list)
    attempt_id: int = 0


async def sit(base: str, phone: Phone, started: list[Phone], importing: asyncio.Event, done: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=base, headers={"Origin": base}, follow_redirects=True, timeout=120) as client:
        form = await client.get("/q", params={"c": phone.code})
        card = await client.post("/q", data={"csrf": CSRF.findall(form.text)[0], "code": phone.code})
        first = await client.post("/quiz/start", data={"csrf": CSRF.findall(card.text)[0]})
        token = CSRF.findall(first.text)[0]
        choices: dict[int, list[str]] = {}
        for number in range(1, 100):
            page = await client.get(f"/quiz/q/{number}")
            if "/quiz/review" in str(page.url):
                break
            if options := RADIO.findall(page.text):
                choices[number] = options
        started.append(phone)
        await importing.wait()
        rounds = 0
        while not done.is_set() or rounds < 2:
            rounds += 1
            for number, options in choices.items():
                value = options[rounds % len(options)]
                began = time.perf_counter()
                saved = await client.post(
                    f"/quiz/q/{number}", data={"csrf": token, "answer": value}, headers={"X-Autosave": "1"}
                )
                phone.saves.append((began, time.perf_counter() - began))
                if saved.status_code == 200 and saved.json() == {"saved": True}:
                    phone.last[number] = value
                else:
                    phone.refused.append(f"{saved.status_code} {saved.text[:120]}")


async def run_import(command: list[str], importing: asyncio.Event, done: asyncio.Event) -> tuple[float, float, int]:
    began = time.perf_counter()
    importing.set()
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, env=os.environ | {"LMS_ROLE": "admin"}
    )
    code = await process.wait()
    done.set()
    return began, time.perf_counter(), code


async def drive(base: str, phones: list[Phone], command: list[str]) -> tuple[float, float, int]:
    importing, done, started = asyncio.Event(), asyncio.Event(), []
    sitting = [asyncio.create_task(sit(base, phone, started, importing, done)) for phone in phones]
    while len(started) < len(phones):  # every phone signs in and starts first
        await asyncio.sleep(0.1)
    window = await run_import(command, importing, done)
    await asyncio.gather(*sitting)
    return window


def lost_answers(url: str, phones: list[Phone]) -> int:
    """Answers a phone was told were saved that the database does not hold (as last sent)."""
    engine = open_database(url)
    lost = 0
    with Session(engine) as session:
        for phone in phones:
            attempt = session.exec(select(Attempt).where(Attempt.id == phone.attempt_id)).one()
            rows = session.exec(select(Answer).where(Answer.attempt_id == attempt.id))
            stored = {answer.question_id: answer.response for answer in rows}
            ids = attempt.question_ids or []
            lost += sum(stored.get(ids[n - 1]) != STORED.get(v, v) for n, v in phone.last.items())
    engine.dispose()
    return lost


def attempts_of(url: str, phones: list[Phone]) -> None:
    """Each phone's attempt, through its code's access row (a code reads ``{row id}-{secret}``)."""
    engine = open_database(url)
    with Session(engine) as session:
        by_person = {attempt.person_id: attempt.id or 0 for attempt in session.exec(select(Attempt))}
        for phone in phones:
            access = session.get(TraineeAccess, int(phone.code.split("-")[0]))
            assert access is not None
            phone.attempt_id = by_person[access.person_id]
    engine.dispose()


def import_session(url: str) -> None:
    """The session the staff list goes on: the same course, a day next month."""
    engine = open_database(url)
    with acting_as(Role.admin), Session(engine) as session:
        version = session.exec(select(CourseVersion)).one()
        create_session(
            session,
            course_version=version,
            days=[working_today() + dt.timedelta(days=30)],
            mode="on_site",
            place="Site",
            city="无锡",
            code="S-BIG",
        )
        session.commit()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--db")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lms-import-quiz-"))
    url = args.db or f"sqlite:///{folder}/bench.db"
    os.environ.setdefault("LMS_FILES_DIR", f"{folder}/files")
    phones = [Phone(code) for code in prepare(url, args.phones)]
    import_session(url)
    staff = staff_csv(folder / "staff.csv", args.rows, "320500")
    port = free_port()
    lms = [sys.executable, "-m", "lms", "--db", url]
    server = subprocess.Popen([*lms, "web", "--port", str(port)], stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        load = os.getloadavg()[0]
        command = [*lms, "roster", "import", "S-BIG", str(staff), "--organisation", "BENCH"]
        began, ended, code = asyncio.run(drive(base, phones, command))
    finally:
        server.terminate()
        server.wait(10)
    attempts_of(url, phones)
    report(url, phones, args, (began, ended, code), load)


def report(url: str, phones: list[Phone], args: Any, window: tuple[float, float, int], load: float) -> None:
    began, ended, code = window
    saves = [save for phone in phones for save in phone.saves]
    during = [seconds for start, seconds in saves if began <= start <= ended]
    cuts = statistics.quantiles(during, n=100) if len(during) > 1 else [0.0] * 99
    refused = [refusal for phone in phones for refusal in phone.refused]
    print(
        f"{url.split(':', 1)[0]}: {args.rows} staff imported (exit {code}) in {ended - began:.1f} s while "
        f"{args.phones} trainees saved answers (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    print(
        f"saves: {len(saves)} in all, {len(during)} during the import; during it p50 {cuts[49] * 1000:.0f} ms, "
        f"p95 {cuts[94] * 1000:.0f} ms, longest {max(during, default=0) * 1000:.0f} ms"
    )
    print(f"refused: {len(refused)} {refused[:3]}; lost (told saved, not in the database): {lost_answers(url, phones)}")


if __name__ == "__main__":
    main()
