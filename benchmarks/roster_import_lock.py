"""How long a big roster import holds SQLite's write lock: the old single transaction against the chunked import.

Builds a vendor's database from empty (a course, the example project, two sessions), writes a staff list of N new
people as CSV, and imports it twice in the same run, each into its own session with its own people:

- old: the way ``lms roster import`` worked before (a query or three per row, a flush per new person, one
  transaction for everything), reproduced here;
- new: :func:`lms.scheduling.rosters.import_roster` (set queries without a lock, people in chunks of 1,000, the
  roster in one short transaction).

For each it prints the total time, the longest time a transaction held the write lock (from its first write to the
end of its commit) and how long a second writer, committing one small row every 20 ms on its own connection, had to
wait at worst.

Run: ``.venv/bin/python benchmarks/roster_import_lock.py [--rows 20000]``.

Measured December 2026 on 2 shared cores, SQLite WAL:

- 14,000 rows: old 292 s, lock held 291 s, the other writer waited up to 133 s and failed twice (busy timeout);
  new 9.6 s, 15 transactions, longest hold 0.55 s, the other writer's worst wait 0.65 s.
- 20,000 rows: old 570–587 s, lock held 565–584 s, 4 failed writes; new 12–15 s, 21 transactions, longest hold
  0.62 s, worst wait 0.65 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from lms.access.roles import Role, acting_as  # noqa: E402
from lms.assessment.quizzes import current_version  # noqa: E402
from lms.cli.app import main as lms_main  # noqa: E402
from lms.db import make_engine, upgrade_schema  # noqa: E402
from lms.models import Organisation, Person, Project, TrainingSession  # noqa: E402
from lms.scheduling.roster_files import read_staff_file  # noqa: E402
from lms.scheduling.rosters import buyer_of, import_roster, new_staff  # noqa: E402
from lms.scheduling.sessions import CODE_ALPHABET, add_to_roster, create_session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(body: str) -> str:
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def staff_csv(path: Path, rows: int, region: str) -> Path:
    lines = ["姓名,身份证号码,手机,工号"]
    lines += [f"学员{n},{resident_id(f'{region}1990{n:07d}')},139{n:08d},{region}-{n:05d}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


class LockClock:
    """Times every write transaction: from its first INSERT/UPDATE/DELETE to the end of its commit (the session's
    ``after_commit`` fires once the database has committed)."""

    def __init__(self, engine: Any) -> None:
        self.started: float | None = None
        self.holds: list[float] = []
        event.listen(engine, "before_cursor_execute", self.statement)  # once: removing it stops later counts

    def watch(self, session: Session) -> None:
        self.started, self.holds = None, []
        event.listen(session, "after_commit", self.committed)
        event.listen(session, "after_rollback", self.ended)

    def statement(self, _connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb in ("INSERT", "UPDATE", "DELETE", "BEGIN") and self.started is None:
            self.started = time.perf_counter()

    def committed(self, _session: Any) -> None:
        if self.started is not None:
            self.holds.append(time.perf_counter() - self.started)
            self.started = None

    def ended(self, _session: Any) -> None:
        self.started = None

    def close(self, session: Session) -> None:
        event.remove(session, "after_commit", self.committed)
        event.remove(session, "after_rollback", self.ended)


class OtherWriter(threading.Thread):
    """Someone else saving a small row every 20 ms (a trainee's answer, say); records the worst wait."""

    def __init__(self, database: Path) -> None:
        super().__init__(daemon=True)
        self.database, self.stop, self.worst, self.failures = database, threading.Event(), 0.0, 0

    def run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=120, isolation_level=None)
        connection.execute("CREATE TABLE IF NOT EXISTS probe (at REAL)")
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("INSERT INTO probe VALUES (?)", (started,))
                connection.execute("COMMIT")
            except sqlite3.OperationalError:
                self.failures += 1
            self.worst = max(self.worst, time.perf_counter() - started)
            time.sleep(0.02)
        connection.close()


def old_import(session: Session, session_code: str, path: Path) -> None:
    """The import as it was: per-row lookups, a flush per new person, everything in one transaction."""
    staff = read_staff_file(path)
    training = session.exec(select(TrainingSession).where(TrainingSession.code == session_code)).one()
    organisation = buyer_of(session, training, None)
    people = []
    for row in staff.rows:
        person = None
        if "id_number" in row.values:
            person = session.exec(select(Person).where(Person.id_number == row.values["id_number"].upper())).first()
        if person is None and "employee_number" in row.values:
            query = select(Person).where(
                Person.organisation_id == organisation.id, Person.employee_number == row.values["employee_number"]
            )
            person = session.exec(query).first()
        if person is None:
            while True:
                code = "B-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
                if session.exec(select(Person.id).where(Person.code == code)).first() is None:
                    break
            person = new_staff(organisation, row.values, code)
            session.add(person)
            session.flush()
        people.append(person)
    add_to_roster(session, training, people)
    session.commit()


def measure(label: str, clock: LockClock, session: Session, database: Path, work: Any) -> None:
    clock.watch(session)
    other = OtherWriter(database)
    other.start()
    started = time.perf_counter()
    work()
    total = time.perf_counter() - started
    other.stop.set()
    other.join()
    clock.close(session)
    print(
        f"{label:4} total {total:6.2f} s · longest lock hold {max(clock.holds, default=0):6.3f} s "
        f"over {len(clock.holds)} write transactions · "
        f"other writer's worst wait {other.worst:6.3f} s ({other.failures} failed)"
    )


def build(url: str) -> None:
    for args in (
        ("courses", "import", str(ROOT / "courses/library/solar-hot-water.yaml")),
        ("projects", "import", str(ROOT / "examples/projects.yaml")),
    ):
        try:
            lms_main(["--db", url, *args])
        except SystemExit as done:
            assert not done.code, args


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--new-only", action="store_true", help="skip the old way (about 10 minutes at 20,000 rows)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lms-roster-bench-"))
    database = folder / "lms.db"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade_schema(engine)
    build(url)
    with acting_as(Role.admin), Session(engine, expire_on_commit=False) as session:
        project = session.exec(select(Project).where(Project.code == "P2026-WX-SHW")).one()
        assert session.exec(select(Organisation)).first() is not None
        for code in ("S-OLD", "S-NEW"):
            create_session(
                session,
                course_version=current_version(session, "SHW-OM"),
                days=[dt.date(2026, 12, 3)],
                mode="centralised",
                place="会议室",
                city="无锡",
                project_id=project.id,
                capacity=30,
                code=code,
            )
        session.commit()
    old_file, new_file = (
        staff_csv(folder / "old.csv", options.rows, "320200"),
        staff_csv(folder / "new.csv", options.rows, "320500"),
    )
    clock = LockClock(engine)
    print(f"{options.rows} new people per import, SQLite WAL at {database}")
    with acting_as(Role.admin), Session(engine, expire_on_commit=False) as session:
        if not options.new_only:
            measure("old", clock, session, database, lambda: old_import(session, "S-OLD", old_file))
    with acting_as(Role.admin), Session(engine, expire_on_commit=False) as session:
        measure("new", clock, session, database, lambda: import_roster(session, session_code="S-NEW", path=new_file))


if __name__ == "__main__":
    main()
