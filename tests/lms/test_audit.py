"""The audit log's hash chain: ``verify`` names the first entry that was edited, deleted, moved or forged (and a log
cut short, against a head noted earlier); ``lms audit verify`` and ``lms audit log``; the services that must write
to the log do."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from lms.access import audit
from lms.db import make_engine, upgrade_schema
from lms.models import AuditEntry
from tests.conftest import copy_database

ENTRIES = 6


def write_entries(session: Session, count: int = ENTRIES) -> list[AuditEntry]:
    written = [
        audit.record(
            session,
            action="certificate.revoke",
            entity="certificate",
            key=f"PX2026-{number:05d}",
            before={"status": "valid"},
            after={"status": "revoked", "reason": f"理由 {number}"},
            actor=f"trainer{number}",
        )
        for number in range(1, count + 1)
    ]
    session.commit()
    return written


def entry(session: Session, number: int) -> AuditEntry:
    """The ``number``-th entry (1-based) in id order."""
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).offset(number - 1).limit(1)).one()


def set_id(session: Session, current: int, new: int) -> None:
    session.execute(text("UPDATE auditentry SET id = :new WHERE id = :current"), {"new": new, "current": current})


def forge(session: Session, *, previous_hash: str, entry_id: int, rehash: bool = True) -> AuditEntry:
    forged = AuditEntry(
        id=entry_id,
        actor="intruder",
        action="certificate.issue",
        entity="certificate",
        entity_key="PX2026-99999",
        before=None,
        after={"holder_name": "冒名"},
        previous_hash=previous_hash,
        entry_hash="f" * 64,
    )
    if rehash:
        forged.entry_hash = audit.entry_digest(previous_hash, forged)
    session.add(forged)
    return forged


def edit_before(session: Session, ids: list[int]) -> tuple[int, str]:
    entry(session, 3).before = {"status": "expired"}
    return ids[2], "altered"


def edit_after(session: Session, ids: list[int]) -> tuple[int, str]:
    entry(session, 2).after = {"status": "revoked", "reason": "改过的理由"}
    return ids[1], "altered"


def edit_actor(session: Session, ids: list[int]) -> tuple[int, str]:
    entry(session, 4).actor = "someone-else"
    return ids[3], "altered"


def edit_time(session: Session, ids: list[int]) -> tuple[int, str]:
    row = entry(session, 5)
    row.at = row.at - dt.timedelta(days=1)
    return ids[4], "altered"


def edit_action(session: Session, ids: list[int]) -> tuple[int, str]:
    entry(session, 1).action = "certificate.issue"
    return ids[0], "altered"


def edit_and_rehash(session: Session, ids: list[int]) -> tuple[int, str]:
    """The edited entry's own hash recomputed: the next entry no longer follows it."""
    row = entry(session, 3)
    row.after = {"status": "valid"}
    row.entry_hash = audit.entry_digest(row.previous_hash, row)
    return ids[3], "deleted"


def delete_middle(session: Session, ids: list[int]) -> tuple[int, str]:
    session.delete(entry(session, 3))
    return ids[3], "deleted"


def delete_first(session: Session, ids: list[int]) -> tuple[int, str]:
    session.delete(entry(session, 1))
    return ids[1], "deleted"


def swap_two(session: Session, ids: list[int]) -> tuple[int, str]:
    """Entries 3 and 4 trade places (their ids swapped through a free one)."""
    set_id(session, ids[2], 1000)
    set_id(session, ids[3], ids[2])
    set_id(session, 1000, ids[3])
    return ids[2], "reordered"


def move_to_end(session: Session, ids: list[int]) -> tuple[int, str]:
    set_id(session, ids[1], 1000)
    return ids[2], "reordered"


def insert_forged_linked(session: Session, ids: list[int]) -> tuple[int, str]:
    """A forged entry with a correct hash, chained to entry 2, slipped in before entry 3 (ids moved up to make room)."""
    for current in reversed(ids[2:]):
        set_id(session, current, current + 100)
    forge(session, previous_hash=entry(session, 2).entry_hash, entry_id=ids[2])
    return ids[2], "inserted"


def insert_forged_genesis(session: Session, ids: list[int]) -> tuple[int, str]:
    """A forged entry that claims to start the log, given a free id below the others."""
    forge(session, previous_hash=audit.GENESIS, entry_id=0)
    return 0, "inserted"


def insert_forged_bad_hash(session: Session, ids: list[int]) -> tuple[int, str]:
    for current in reversed(ids[4:]):
        set_id(session, current, current + 100)
    forge(session, previous_hash=entry(session, 4).entry_hash, entry_id=ids[4], rehash=False)
    return ids[4], "altered"


def append_forged_branch(session: Session, ids: list[int]) -> tuple[int, str]:
    """A forged entry with a correct hash added at the end, chained to entry 2 rather than to the newest."""
    forge(session, previous_hash=entry(session, 2).entry_hash, entry_id=ids[-1] + 1)
    return ids[-1] + 1, "inserted"


TAMPERING: list[Callable[[Session, list[int]], tuple[int, str]]] = [
    edit_before,
    edit_after,
    edit_actor,
    edit_time,
    edit_action,
    edit_and_rehash,
    delete_middle,
    delete_first,
    swap_two,
    move_to_end,
    insert_forged_linked,
    insert_forged_genesis,
    insert_forged_bad_hash,
    append_forged_branch,
]


def test_an_untouched_log_verifies_and_reports_its_head(session: Session) -> None:
    empty = audit.verify(session)
    assert empty.intact and empty.checked == 0 and empty.head == audit.GENESIS
    written = write_entries(session)
    report = audit.verify(session)
    assert report.intact and report.checked == ENTRIES
    assert report.head == written[-1].entry_hash
    assert report.broken_id is None and report.reason is None


@pytest.mark.parametrize("tamper", TAMPERING, ids=[t.__name__ for t in TAMPERING])
def test_each_kind_of_tampering_is_caught_at_the_first_broken_entry(
    session: Session, tamper: Callable[[Session, list[int]], tuple[int, str]]
) -> None:
    ids = [row.id or 0 for row in write_entries(session)]
    broken_id, problem = tamper(session, ids)
    session.commit()
    session.expire_all()
    report = audit.verify(session)
    assert not report.intact
    assert (report.broken_id, report.problem) == (broken_id, problem), report.reason
    assert report.reason and f"entry {broken_id}" in report.reason and "\n" not in report.reason


def test_a_log_cut_short_is_caught_against_the_head_noted_before(session: Session) -> None:
    write_entries(session)
    noted = audit.verify(session).head
    session.delete(entry(session, ENTRIES))  # the newest entry: the chain itself still holds
    session.commit()
    assert audit.verify(session).intact
    report = audit.verify(session, known_head=noted)
    assert not report.intact and report.problem == "truncated"
    assert report.reason and noted[:12] in report.reason
    assert audit.verify(session, known_head=entry(session, 2).entry_hash).intact  # an older head is still in it


def test_times_read_back_from_the_database_hash_as_they_were_written(db_url: str) -> None:
    """Also on a PostgreSQL server whose time zone is China's: times are stored and read back in UTC."""
    engine = make_engine(db_url)
    upgrade_schema(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            database = connection.execute(text("SELECT current_database()")).scalar()
            connection.execute(text(f"ALTER DATABASE \"{database}\" SET timezone = 'Asia/Shanghai'"))
            connection.commit()
        engine.dispose()
    written_at = dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        hashes = [row.entry_hash for row in write_entries(session, 2)]
    engine.dispose()
    with Session(engine) as fresh:
        rows = fresh.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
        previous = audit.GENESIS
        for row, expected in zip(rows, hashes, strict=True):
            assert audit.entry_digest(previous, row) == expected
            assert abs(row.at.replace(tzinfo=dt.UTC) - written_at) < dt.timedelta(minutes=5)
            previous = row.entry_hash
        assert audit.verify(fresh).intact
    engine.dispose()


def test_entries_of_one_entity_newest_first(session: Session) -> None:
    write_entries(session, 3)
    audit.record(session, action="obligation.edit", entity="obligation", key="1/OB-1", before={}, after={"min_days": 3})
    session.commit()
    assert [row.entity_key for row in audit.entries(session, entity="certificate", limit=2)] == [
        "PX2026-00003",
        "PX2026-00002",
    ]
    assert [row.action for row in audit.entries(session, entity="obligation")] == ["obligation.edit"]
    assert [row.entity_key for row in audit.entries(session, entity="certificate:PX2026-00001")] == ["PX2026-00001"]


# --- the commands ---------------------------------------------------------------------------------------------------


def test_audit_verify_exits_0_when_intact_and_1_naming_the_entry(cli, session: Session) -> None:  # type: ignore[no-untyped-def]
    written = write_entries(session)
    intact = cli("audit", "verify")
    assert intact.code == 0, intact.err
    assert f"{ENTRIES} entries" in intact.out and written[-1].entry_hash in intact.out
    as_json = json.loads(cli("audit", "verify", "--format", "json").out)
    assert as_json["intact"] is True and as_json["head"] == written[-1].entry_hash

    noted = written[-1].entry_hash
    row = entry(session, 4)
    row.after = {"status": "valid"}
    session.commit()
    broken = cli("audit", "verify")
    assert broken.code == 1 and broken.out == ""
    assert broken.err.strip().count("\n") == 0 and f"entry {row.id}" in broken.err
    failed = cli("audit", "verify", "--format", "json")
    assert failed.code == 1 and json.loads(failed.out)["broken_id"] == row.id
    assert cli("audit", "verify", "--head", noted).code == 1


def test_audit_log_lists_filters_and_limits(cli, session: Session) -> None:  # type: ignore[no-untyped-def]
    write_entries(session, 3)
    listed = cli("audit", "log", "--entity", "certificate", "--limit", "2", "--format", "json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert [row["key"] for row in rows] == ["PX2026-00003", "PX2026-00002"]
    assert rows[0]["actor"] == "trainer3" and rows[0]["after"]["status"] == "revoked"
    assert rows[0]["at"].endswith("+00:00") and len(rows[0]["hash"]) == 64
    table = cli("audit", "log")
    assert table.code == 0 and "status: valid → revoked" in table.out and "trainer1" in table.out
    assert "no audit entries" in cli("audit", "log", "--entity", "nothing").out


# --- the services that must write to the log ------------------------------------------------------------------------


def test_a_changed_planned_date_in_a_reimported_projects_file_is_audited(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library = Path(__file__).resolve().parents[2] / "courses" / "library"
    projects = Path(__file__).resolve().parents[2] / "examples" / "projects.yaml"
    assert cli("courses", "import", str(library)).code == 0
    assert cli("projects", "import", str(projects)).code == 0
    moved = tmp_path / "projects.yaml"
    shutil.copyfile(projects, moved)
    text = moved.read_text(encoding="utf-8")
    moved.write_text(text.replace("acceptance: {planned: 2026-12-01}", "acceptance: {planned: 2026-12-08}"), "utf-8")
    assert cli("projects", "import", str(moved)).code == 0
    log = json.loads(cli("audit", "log", "--entity", "milestone:P2026-WX-SHW/acceptance", "--format", "json").out)
    assert log[0]["action"] == "milestone.set_planned_date"
    assert (log[0]["before"], log[0]["after"]) == ({"planned_date": "2026-12-01"}, {"planned_date": "2026-12-08"})
    assert cli("audit", "verify").code == 0


def test_revoking_and_moving_a_milestone_on_the_demo_extend_an_intact_trail(  # type: ignore[no-untyped-def]
    demo_database: str, tmp_path: Path, cli
) -> None:
    url, drop = copy_database(demo_database, tmp_path)
    try:
        certificates = json.loads(cli("certs", "list", "--format", "json", db=url).out)
        serial = next(row["serial"] for row in certificates if row["status"] == "valid")
        assert cli("certs", "revoke", serial, "--reason", "照片有误", db=url).code == 0
        assert cli("projects", "set-date", "P2026-NJ-REC2", "acceptance", "2026-11-30", db=url).code == 0
        log = cli("audit", "log", "--limit", "500", "--format", "json", db=url)
        actions = {row["action"] for row in json.loads(log.out)}
        assert {"certificate.issue", "certificate.revoke", "milestone.set_date"} <= actions
        assert cli("audit", "verify", db=url).code == 0
    finally:
        drop()


def test_two_writers_at_once_chain_one_after_the_other(engine: Engine) -> None:
    """The second writer waits for the first to commit, then chains to its entry (no fork in the chain)."""
    import threading
    import time

    with Session(engine) as first:
        write_entries(first, 1)
        audit.record(first, action="attempt.marked", entity="attempt", key="1", before=None, after={"score": 80})
        done: list[str] = []

        def second_writer() -> None:
            with Session(engine) as second:
                audit.record(second, action="attempt.marked", entity="attempt", key="2", before=None, after={})
                second.commit()
                done.append("committed")

        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.5)  # lets the second writer reach the log while the first still holds its entry uncommitted
        first.commit()
        thread.join(timeout=60)
    assert done == ["committed"]
    with Session(engine) as session:
        report = audit.verify(session)
        assert report.intact, report.reason
        assert [row.entity_key for row in audit.entries(session)] == ["2", "1", "PX2026-00001"]
