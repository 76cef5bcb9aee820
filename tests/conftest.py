"""Shared fixtures: a real database (in-memory SQLite by default, PostgreSQL when LMS_TEST_DATABASE_URL says so),
a plugin manager with the built-in plugins registered, and a CLI runner that calls ``lms.cli.app.main`` in-process."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pluggy
import pytest
import sqlalchemy
from sqlalchemy.engine import Engine
from sqlmodel import Session

from lms.db import SCHEMA_HEAD, current_revision, make_engine, upgrade_schema
from lms.i18n import set_language
from lms.plugins import make_plugin_manager

DEMO_TODAY = dt.date(2026, 11, 20)
# Modules whose tests turn on "today" and calendar dates: `make pytest` runs them a second time under TZ=Asia/Shanghai
# (the whole suite runs under TZ=UTC), so a date taken from the machine's clock zone shows up in one of the two runs.
DATE_SENSITIVE = {
    "test_today",
    "test_dispatch",
    "test_skills",
    "test_verification",
    "test_certificate_chain",
    "test_ical",
    "test_workdays",
    "test_obligations",
}
LIBRARY = Path(__file__).resolve().parents[1] / "courses" / "library"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in DATE_SENSITIVE:
            item.add_marker(pytest.mark.dates)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests read English messages and never touch the user's own config or database."""
    monkeypatch.setenv("LMS_LANG", "en")
    monkeypatch.setenv("LMS_CONFIG", str(tmp_path / "no-config.yaml"))
    monkeypatch.delenv("LMS_DATABASE_URL", raising=False)
    monkeypatch.delenv("LMS_ROLE", raising=False)
    from lms.access.roles import set_role

    set_role(None)
    monkeypatch.setenv("LMS_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("LMS_CACHE_DIR", str(tmp_path / "cache"))  # the dashboard's snapshots
    monkeypatch.setenv("LMS_ISSUER_KEY", str(tmp_path / "issuer-ed25519.pem"))
    set_language(None)
    from lms.config import settings

    settings.cache_clear()
    yield
    set_language(None)
    settings.cache_clear()


@pytest.fixture
def pm() -> pluggy.PluginManager:
    import certificates.plugin
    import courses.plugin
    import scheduler_tui.plugin

    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(courses.plugin, name="courses")
    manager.register(scheduler_tui.plugin, name="scheduler_tui")
    manager.register(certificates.plugin, name="certificates")
    return manager


POSTGRES_URL = os.environ.get("LMS_TEST_DATABASE_URL")


def fresh_postgres_database(base_url: str) -> tuple[str, Callable[[], None]]:
    """A new, empty PostgreSQL database for one test, and how to drop it afterwards."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from lms.config import database_url

    base = make_url(database_url(base_url))
    name = f"lms_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


# Only client connections: an autovacuum worker in the template runs as the superuser and may not be ended by the
# test login; it finishes on its own, and CREATE DATABASE is tried again meanwhile.
CLOSE_OTHER_CONNECTIONS = sqlalchemy.text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = :name AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
)


def copy_database(url: str, tmp_path: Path) -> tuple[str, Callable[[], None]]:
    """A private, writable copy of a database: the SQLite file copied, or a PostgreSQL database made from it as a
    template. Returns its URL and how to drop it."""
    if url.startswith("sqlite:///"):
        target = tmp_path / "lms.db"
        if target.exists():
            target = tmp_path / f"copy-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(url.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}", lambda: None
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    source = make_url(url)
    name = f"lms_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(source.set(database="postgres").render_as_string(hide_password=False)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        # A template must have no other connections: close the read-only tests' idle ones (pre-ping reconnects).
        for attempt in range(20):
            connection.execute(CLOSE_OTHER_CONNECTIONS, {"name": source.database})
            try:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"'))
                break
            except sqlalchemy.exc.OperationalError:  # "being accessed by other users": autovacuum, most likely
                if attempt == 19:
                    raise
                time.sleep(0.25)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return source.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database at the current schema, migrated once per run; each test gets a copy of it."""
    drop: Callable[[], None] = lambda: None  # noqa: E731
    if POSTGRES_URL:
        url, drop = fresh_postgres_database(POSTGRES_URL)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'migrated.db'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    yield url
    drop()


@pytest.fixture
def db_url(tmp_path: Path, migrated_template: str) -> Iterator[str]:
    """The test's own database at the current schema: a copy of the migrated template (an SQLite file, or a
    PostgreSQL database made from the template when LMS_TEST_DATABASE_URL is set)."""
    url, drop = copy_database(migrated_template, tmp_path)
    yield url
    drop()


@pytest.fixture
def empty_db_url(tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, for tests of the migrations themselves."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url, drop = fresh_postgres_database(POSTGRES_URL)
    yield url
    drop()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    if current_revision(engine) != SCHEMA_HEAD:
        upgrade_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str):  # type: ignore[no-untyped-def]
    """Run ``lms ARGS`` in-process against the test database; returns exit code, stdout and stderr."""
    from lms.cli.app import main

    def run(*args: str, db: str | None = None) -> CliResult:
        capsys.readouterr()
        try:
            main(["--db", db or db_url, *args])
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One demo database for read-only tests (loading it takes a few seconds)."""
    from lms.db import session_scope
    from lms.demo.loader import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    drop: Callable[[], None] = lambda: None  # noqa: E731
    if POSTGRES_URL:
        url, drop = fresh_postgres_database(POSTGRES_URL)
    engine = make_engine(url)
    upgrade_schema(engine)
    import certificates.plugin
    import courses.plugin

    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(courses.plugin, name="courses")
    manager.register(certificates.plugin, name="certificates")
    with session_scope(engine) as session:
        load_demo(session, manager, seed=7, today=DEMO_TODAY)
    engine.dispose()
    yield url
    drop()
