"""SIGKILL in the middle of an import leaves all of it or none of it, and running the import again finishes the job
with no duplicates. ``lms courses import`` (all five library courses, one transaction) and ``lms roster import`` (a
staff list of thousands) are killed at chosen points: after a given INSERT, just before COMMIT, just after it — the
command runs under a small driver that stops there and waits to be killed — and at moments picked by the clock in an
unmodified run. The certificate batch has its own kill test in tests/certificates/test_issue.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pluggy
import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from lms.db import make_engine, upgrade_schema
from lms.models import Course, CourseModule, CourseSkillGrant, CourseVersion, Person, Question, RosterEntry, Skill
from tests.conftest import LIBRARY, POSTGRES_URL, fresh_postgres_database
from tests.lms.quiz_fixtures import quiz_world

LMS = str(Path(sys.executable).with_name("lms"))
STAFF = 2000
# Runs ``lms ARGS`` and stops for good at the crash point named by the environment, after writing the marker file:
# the N-th INSERT into a table (``person:1500``), the COMMIT that follows the first one (``commit:person``) or the
# moment after it (``committed:person``).
DRIVER = """
import os, sys, time
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

marker = Path(os.environ["CRASH_MARKER"])
kind, _sep, argument = os.environ["CRASH_AT"].partition(":")
table = (argument if kind in ("commit", "committed") else kind).upper()
inserts = 0


def stop(where):
    partial = marker.with_suffix(".part")
    partial.write_text(where)
    partial.rename(marker)  # the test sees the marker whole or not at all
    time.sleep(600)


@event.listens_for(Engine, "after_cursor_execute")
def counted(connection, cursor, statement, parameters, context, executemany):
    global inserts
    if statement.lstrip().upper().startswith(f"INSERT INTO {table} "):
        inserts += 1
        if kind not in ("commit", "committed") and inserts == int(argument):
            stop(f"after INSERT #{inserts} into {table.lower()}")


@event.listens_for(Engine, "commit")
def committing(connection):
    if kind == "commit" and inserts:
        stop("before COMMIT")


@event.listens_for(Session, "after_commit")
def committed(session):
    if kind == "committed" and inserts:
        stop("after COMMIT")


from lms.cli.app import main

main(sys.argv[1:])
"""

COURSE_TABLES: list[type[SQLModel]] = [Course, CourseVersion, CourseModule, Question, Skill, CourseSkillGrant]


@dataclass
class Crash:
    point: str
    outcome: str


@pytest.fixture
def driver(tmp_path: Path) -> Path:
    path = tmp_path / "crash_driver.py"
    path.write_text(DRIVER, encoding="utf-8")
    return path


def environment(url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "LMS_DATABASE_URL": url, "LMS_USER": "crash-test", **extra}


def kill_at(driver: Path, url: str, point: str, args: list[str], tmp_path: Path) -> str:
    """Run ``lms ARGS`` until it reaches ``point``, SIGKILL it there; returns where it stopped."""
    marker = tmp_path / "reached"
    marker.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, str(driver), *args],
        env=environment(url, CRASH_AT=point, CRASH_MARKER=str(marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    _out, err = process.communicate()
    assert marker.exists(), f"the import never reached {point}: {err.decode(errors='replace')[-500:]}"
    assert process.returncode == -signal.SIGKILL
    return marker.read_text()


def kill_after(seconds: float, url: str, args: list[str]) -> bool:
    """Run the real ``lms ARGS`` and SIGKILL it after ``seconds``; True when it had already finished."""
    process = subprocess.Popen([LMS, *args], env=environment(url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        process.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return False


def run(url: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    finished = subprocess.run([LMS, *args], env=environment(url), capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    return finished


def counts(url: str, tables: list[type[SQLModel]]) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        found = {table.__name__: session.exec(select(func.count()).select_from(table)).one() for table in tables}
    engine.dispose()
    return found


@pytest.fixture
def schema(db_url: str) -> Iterator[str]:
    engine = make_engine(db_url)
    upgrade_schema(engine)
    engine.dispose()
    yield db_url


@pytest.fixture
def second_database(tmp_path: Path) -> Iterator[str]:
    """Another empty database of the test's kind, schema made."""
    if POSTGRES_URL:
        url, drop = fresh_postgres_database(POSTGRES_URL)
    else:
        url, drop = f"sqlite:///{tmp_path / 'second.db'}", lambda: None
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    yield url
    drop()


def test_a_killed_course_import_leaves_all_or_nothing_and_a_rerun_finishes(
    schema: str, second_database: str, driver: Path, tmp_path: Path
) -> None:
    args = ["courses", "import", str(LIBRARY)]
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    started = time.monotonic()
    run(reference, args)
    whole_run = time.monotonic() - started
    complete = counts(reference, COURSE_TABLES)
    nothing = dict.fromkeys(complete, 0)
    assert complete["Course"] == 5 and complete["Question"] > 200

    crashes: list[Crash] = []
    for point in ("question:1", "question:3", "courseskillgrant:5", "commit:question"):
        where = kill_at(driver, schema, point, args, tmp_path)
        assert counts(schema, COURSE_TABLES) == nothing, where  # courses 1..k were written, none committed
        crashes.append(Crash(where, "nothing kept"))
    where = kill_at(driver, schema, "committed:question", args, tmp_path)
    assert counts(schema, COURSE_TABLES) == complete, where
    crashes.append(Crash(where, "all kept"))
    again = run(schema, args)
    assert again.stdout.count("unchanged") == 5
    assert counts(schema, COURSE_TABLES) == complete

    # The unmodified command, killed by the clock wherever it happens to be.
    for fraction in (0.35, 0.7):
        finished = kill_after(whole_run * fraction, second_database, args)
        found = counts(second_database, COURSE_TABLES)
        assert found in (nothing, complete), found
        kept = "all kept" if found == complete else "nothing kept"
        crashes.append(Crash(f"{fraction:.0%} of a full run's time", "finished before" if finished else kept))
    run(second_database, args)
    assert counts(second_database, COURSE_TABLES) == complete
    print("\ncourse import crash points: " + "; ".join(f"{c.point} → {c.outcome}" for c in crashes))  # noqa: T201


def staff_file(path: Path, count: int) -> Path:
    lines = ["姓名,工号,身份证号,手机"]
    lines += [f"员工{n},E{n:05d},,1380000{n:04d}" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_a_killed_roster_import_leaves_all_or_nothing_and_a_rerun_adds_no_one_twice(
    schema: str, driver: Path, pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    url = schema
    engine = make_engine(url)
    with Session(engine) as session:
        quiz_world(session, pm, tmp_path)
    engine.dispose()
    staff = staff_file(tmp_path / "staff.csv", STAFF)
    args = ["roster", "import", "S-QUIZ1", str(staff), "--organisation", "BUYER"]
    tables: list[type[SQLModel]] = [Person, RosterEntry]
    before = counts(url, tables)
    after = {"Person": before["Person"] + STAFF, "RosterEntry": before["RosterEntry"] + STAFF}

    # New people are committed in chunks of 1,000 (no writer holds the database long); the roster itself changes in
    # one short transaction. So a kill keeps some people as known staff, never a partial roster, and a re-run
    # matches them instead of creating them twice.
    crashes: list[Crash] = []
    for point in ("person:1", "commit:person", "committed:person", "rosterentry:1", "commit:rosterentry"):
        where = kill_at(driver, url, point, args, tmp_path)
        now = counts(url, tables)
        assert now["RosterEntry"] == before["RosterEntry"], where
        assert before["Person"] <= now["Person"] <= after["Person"], where
        crashes.append(Crash(where, f"roster unchanged, {now['Person'] - before['Person']} people kept"))
    where = kill_at(driver, url, "committed:rosterentry", args, tmp_path)
    assert counts(url, tables) == after, where
    crashes.append(Crash(where, "all kept"))

    again = run(url, [*args, "--format", "json"])
    assert '"created": 0' in again.stdout and '"added": 0' in again.stdout
    assert counts(url, tables) == after
    engine = make_engine(url)
    with Session(engine) as session:
        numbers = session.exec(select(Person.employee_number).where(Person.employee_number.is_not(None))).all()  # type: ignore[union-attr]
        assert len(numbers) == len(set(numbers)) == STAFF
    engine.dispose()
    print("\nroster import crash points: " + "; ".join(f"{c.point} → {c.outcome}" for c in crashes))  # noqa: T201


def test_a_staff_list_with_one_bad_row_adds_nobody(  # type: ignore[no-untyped-def]
    cli, schema: str, pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    engine = make_engine(schema)
    with Session(engine) as session:
        quiz_world(session, pm, tmp_path)
    engine.dispose()
    staff = staff_file(tmp_path / "staff.csv", 50)
    staff.write_text(staff.read_text(encoding="utf-8-sig") + "员工坏,E99999,,12\n", encoding="utf-8-sig")
    before = counts(schema, [Person, RosterEntry])
    result = cli("roster", "import", "S-QUIZ1", str(staff), "--organisation", "BUYER")
    assert result.code == 1 and result.err.strip().count("\n") == 0
    assert "staff.csv:52" in result.err and "phone" in result.err
    assert counts(schema, [Person, RosterEntry]) == before
