"""``lms backup`` / ``lms restore``: a round trip gives back every row; a database with data is replaced only with
--yes; a file that is not a whole backup of ours is one line, exit 1, and the database is left as it was. Runs on
SQLite and, with LMS_TEST_DATABASE_URL, on PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pluggy
import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from lms.access import audit
from lms.db import current_revision, head_revision, make_engine, upgrade_schema
from lms.errors import LmsError
from lms.maintenance.backup import inspect_backup, restore_sqlite, run_postgres_tool
from lms.models import Organisation
from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.lms.quiz_fixtures import quiz_world


def rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order: what a round trip must give back."""
    engine = make_engine(url)
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            ordered = connection.execute(table.select().order_by(*table.primary_key.columns))
            found[table.name] = [tuple(str(value) for value in row) for row in ordered]
        found["alembic_version"] = [tuple(connection.execute(text("SELECT version_num FROM alembic_version")))]
    engine.dispose()
    return found


@pytest.fixture
def other_database(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Make more empty databases of the same kind as the test's own."""
    drops: list[Callable[[], None]] = []

    def make() -> str:
        if not POSTGRES_URL:
            return f"sqlite:///{tmp_path / f'other-{len(drops)}.db'}"
        url, drop = fresh_postgres_database(POSTGRES_URL)
        drops.append(drop)
        return url

    yield make
    for drop in drops:
        drop()


@pytest.fixture
def filled(db_url: str, pm: pluggy.PluginManager, tmp_path: Path) -> str:
    engine = make_engine(db_url)
    upgrade_schema(engine)
    with Session(engine) as session:
        quiz_world(session, pm, tmp_path)
        audit.record(session, action="obligation.edit", entity="obligation", key="1/OB-1", before={"a": 1}, after={})
        session.commit()
    engine.dispose()
    return db_url


def add_buyer(url: str, code: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(Organisation(code=code, kind="buyer", name_zh="后加", name_en="Added later"))
        session.commit()
    engine.dispose()


def one_line_error(result: Any) -> None:
    assert result.code == 1
    assert result.err.startswith("lms: ") and result.err.strip().count("\n") == 0, result.err


def test_a_backup_restores_every_row_into_an_empty_database(cli, filled: str, other_database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    original = rows(filled)
    backup = tmp_path / "backups" / "lms.backup"
    made = cli("backup", str(backup), db=filled)
    assert made.code == 0, made.err
    assert str(backup) in made.out and backup.stat().st_size > 0
    assert not list(backup.parent.glob(".*.part"))
    assert inspect_backup(backup).revision == head_revision()

    target = other_database()
    restored = cli("restore", str(backup), db=target)
    assert restored.code == 0, restored.err
    assert rows(target) == original
    assert cli("audit", "verify", db=target).code == 0


def test_a_database_with_data_is_replaced_only_with_yes(cli, filled: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backup = tmp_path / "lms.backup"
    assert cli("backup", str(backup), db=filled).code == 0
    original = rows(filled)
    add_buyer(filled, "LATER")
    changed = rows(filled)
    refused = cli("restore", str(backup), db=filled)
    one_line_error(refused)
    assert "--yes" in refused.err
    assert rows(filled) == changed
    replaced = cli("restore", str(backup), "--yes", db=filled)
    assert replaced.code == 0, replaced.err
    assert rows(filled) == original


def test_an_older_backup_is_restored_and_brought_up_to_date(
    cli, empty_db_url: str, other_database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(empty_db_url)
    upgrade_schema(engine, "0004")
    with engine.begin() as connection:  # a row as schema 0004 knew it: the models have grown since
        connection.execute(
            text("INSERT INTO organisation (code, kind, name_zh, name_en) VALUES ('OLD', 'buyer', '旧', 'Old')")
        )
    engine.dispose()
    backup = tmp_path / "old.backup"
    assert cli("backup", str(backup), db=empty_db_url).code == 0
    assert inspect_backup(backup).revision == "0004"
    target = other_database()
    assert cli("restore", str(backup), db=target).code == 0
    engine = make_engine(target)
    assert current_revision(engine) == head_revision()
    with Session(engine) as session:
        assert session.exec(select(Organisation.code)).all() == ["OLD"]
    engine.dispose()


def sqlite_not_ours(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('shopping list')")
        connection.commit()
    return path


def damaged_copy(path: Path, target: Path) -> Path:
    data = bytearray(path.read_bytes())
    if data.startswith(b"SQLite format 3"):
        data[4096 : 4096 * 3] = b"\xa5" * (4096 * 2)  # the pages after the schema: garbage
    else:
        data = data[: len(data) // 2]  # a pg_dump archive cut off half way
    target.write_bytes(bytes(data))
    return target


def unknown_revision(path: Path, target: Path) -> Path | None:
    if not path.read_bytes().startswith(b"SQLite format 3"):
        return None
    target.write_bytes(path.read_bytes())
    with closing(sqlite3.connect(target)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    return target


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "cannot read the backup"),
        ("empty", "not an lms backup"),
        ("text", "not an lms backup"),
        ("sqlite_not_ours", "no schema revision table"),
        ("damaged", ""),
        ("unknown_revision", "unknown to this version"),
    ],
)
def test_a_bad_file_is_one_line_exit_1_and_nothing_changes(  # type: ignore[no-untyped-def]
    cli, filled: str, tmp_path: Path, case: str, message: str
) -> None:
    good = tmp_path / "good.backup"
    assert cli("backup", str(good), db=filled).code == 0
    bad = tmp_path / f"{case}.backup"
    if case == "empty":
        bad.write_bytes(b"")
    elif case == "text":
        bad.write_text("PGDMX and some text\n", encoding="utf-8")
    elif case == "sqlite_not_ours":
        sqlite_not_ours(bad)
    elif case == "damaged":
        damaged_copy(good, bad)
    elif case == "unknown_revision" and unknown_revision(good, bad) is None:
        pytest.skip("a pg_dump archive cannot be edited in place")
    add_buyer(filled, "LATER")
    before = rows(filled)
    result = cli("restore", str(bad), "--yes", db=filled)
    one_line_error(result)
    assert message in result.err and str(bad) in result.err
    assert rows(filled) == before
    assert not list(tmp_path.glob(".*.part"))


def test_a_backup_of_the_other_kind_of_database_is_refused(cli, filled: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backup = tmp_path / "lms.backup"
    assert cli("backup", str(backup), db=filled).code == 0
    other = "postgresql://nobody@127.0.0.1:1/none" if filled.startswith("sqlite") else f"sqlite:///{tmp_path / 'x.db'}"
    result = cli("restore", str(backup), db=other)
    one_line_error(result)
    assert "restore it into a" in result.err


def test_a_database_that_is_not_ours_or_not_there_is_not_backed_up(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = cli("backup", str(tmp_path / "b"), db=f"sqlite:///{tmp_path / 'none.db'}")
    one_line_error(missing)
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b").exists()
    foreign = cli("backup", str(tmp_path / "b"), db=f"sqlite:///{sqlite_not_ours(tmp_path / 'notes.db')}")
    one_line_error(foreign)
    assert "no lms schema" in foreign.err


def test_sqlite_restore_under_an_open_connection_is_seen_whole(  # type: ignore[no-untyped-def]
    cli, filled: str, tmp_path: Path
) -> None:
    if not filled.startswith("sqlite"):
        pytest.skip("the SQLite file replacement")
    backup = tmp_path / "lms.backup"
    assert cli("backup", str(backup), db=filled).code == 0
    add_buyer(filled, "LATER")
    engine = make_engine(filled)  # a TUI left open on the database
    with Session(engine) as session:
        assert "LATER" in session.exec(select(Organisation.code)).all()
    assert cli("restore", str(backup), "--yes", db=filled).code == 0
    with Session(engine) as session:
        assert "LATER" not in session.exec(select(Organisation.code)).all()
        assert session.connection().execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert session.connection().execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_inspect_names_what_the_backup_holds(cli, filled: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backup = tmp_path / "lms.backup"
    assert cli("backup", str(backup), db=filled).code == 0
    info = inspect_backup(backup)
    assert info.kind == ("postgresql" if filled.startswith("postgresql") else "sqlite")
    assert info.size == backup.stat().st_size
    with pytest.raises(LmsError, match="not an lms backup"):
        inspect_backup(sqlite_not_ours(tmp_path / "notes.db"))


def test_only_an_administrator_backs_up_and_restores(  # type: ignore[no-untyped-def]
    cli, filled: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "lms.backup"
    assert cli("backup", str(backup), db=filled).code == 0
    monkeypatch.setenv("LMS_ROLE", "trainer")
    for args in (["backup", str(tmp_path / "again.backup")], ["restore", str(backup), "--yes"]):
        refused = cli(*args, db=filled)
        one_line_error(refused)
        assert "trainer" in refused.err
    assert not (tmp_path / "again.backup").exists()


# What the probe did: an attempt stored as failed comes out passed, and a certificate follows.
SQLITE_TRIGGER = """
CREATE TRIGGER pass_everyone AFTER UPDATE OF score ON attempt
BEGIN UPDATE attempt SET passed = 1 WHERE id = NEW.id; END
"""
POSTGRES_TRIGGER = """
CREATE FUNCTION pass_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.passed := true; RETURN NEW; END $$;
CREATE TRIGGER pass_everyone BEFORE UPDATE ON attempt FOR EACH ROW EXECUTE FUNCTION pass_everyone();
"""
SQLITE_OBJECTS = {
    "trigger": SQLITE_TRIGGER,
    "view": "CREATE VIEW everyone AS SELECT * FROM person",
    "table": "CREATE TABLE notes (body TEXT)",
    "index": "CREATE INDEX ix_sneaky ON person (name)",
}

SQLITE_DROPS = [("TRIGGER", "pass_everyone"), ("VIEW", "everyone"), ("TABLE", "notes"), ("INDEX", "ix_sneaky")]


def add_objects(url: str, sql: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.connection.driver_connection.executescript(sql)  # type: ignore[union-attr]
        else:
            connection.exec_driver_sql(sql)
    engine.dispose()


def crafted_backup(url: str, sql: str, path: Path) -> Path:
    """A whole backup of ``url`` with an object of the attacker's in it, made as ``lms backup`` makes one but
    without its read-back check (which refuses such a database, see below); the live database stays clean."""
    add_objects(url, sql)
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as live, closing(sqlite3.connect(path)) as copy:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            live.executescript("".join(f"DROP {kind} IF EXISTS {name};" for kind, name in SQLITE_DROPS))
    else:
        run_postgres_tool("pg_dump", url, ["--format=custom", "--no-owner", f"--file={path}"])
        add_objects(url, "DROP TRIGGER pass_everyone ON attempt; DROP FUNCTION pass_everyone();")
    return path


@pytest.mark.parametrize("kind", list(SQLITE_OBJECTS))
def test_a_backup_with_objects_of_its_own_is_refused_and_nothing_changes(  # type: ignore[no-untyped-def]
    cli, filled: str, tmp_path: Path, kind: str
) -> None:
    on_sqlite = filled.startswith("sqlite")
    if not on_sqlite and kind != "trigger":
        pytest.skip("on PostgreSQL one crafted archive (a function and its trigger) stands for all")
    crafted = crafted_backup(filled, SQLITE_OBJECTS[kind] if on_sqlite else POSTGRES_TRIGGER, tmp_path / "x.backup")
    add_buyer(filled, "LATER")
    before = rows(filled)
    result = cli("restore", str(crafted), "--yes", db=filled)
    one_line_error(result)
    assert "does not create" in result.err and str(crafted) in result.err
    assert rows(filled) == before
    assert not list(tmp_path.glob(".*.part"))


def test_a_database_with_objects_of_its_own_is_not_backed_up_as_if_restorable(cli, filled: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_objects(filled, SQLITE_TRIGGER if filled.startswith("sqlite") else POSTGRES_TRIGGER)
    result = cli("backup", str(tmp_path / "b.backup"), db=filled)
    one_line_error(result)
    assert "pass_everyone" in result.err and not (tmp_path / "b.backup").exists()


def test_the_sqlite_copy_is_checked_again_before_it_replaces_the_database(tmp_path: Path) -> None:
    """Checked when inspected, and once more on the private copy that is restored (the file may change between)."""
    target = tmp_path / "live.db"
    engine = make_engine(f"sqlite:///{target}")
    upgrade_schema(engine)
    engine.dispose()
    crafted = tmp_path / "crafted.db"
    shutil.copyfile(target, crafted)
    with closing(sqlite3.connect(crafted)) as connection:
        connection.executescript(SQLITE_TRIGGER)
    before = target.read_bytes()
    with pytest.raises(LmsError, match="trigger pass_everyone"):
        restore_sqlite(target, crafted)
    assert target.read_bytes() == before
