"""Database engines, sessions and schema upgrades (Alembic).

The default database is an SQLite file in the user's data folder, in WAL mode with foreign keys on;
``--db URL`` or ``LMS_DATABASE_URL`` selects another, PostgreSQL included.

Many trainees write to one SQLite file at once (autosave, submit). SQLite lets one writer in at a time and waits
for the lock up to the busy timeout, but only when a transaction *starts* by writing: one that read first and then
writes fails at once with "database is locked" if someone else committed in between. pysqlite begins transactions
at the first INSERT/UPDATE/DELETE, so plain units of work start by writing; the places that read first inside a
transaction — a SAVEPOINT opened before any write, ``write_lock`` and ``begin_write`` — begin with ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Executable
from sqlmodel import Session, create_engine, select

from lms import models
from lms.config import database_url
from lms.errors import LmsError
from lms.i18n import _

if TYPE_CHECKING:  # Alembic is imported when a schema is checked or upgraded, not at every start
    from alembic.config import Config

T = TypeVar("T")
IDS_PER_QUERY = 500  # values per IN (...): well under SQLite's and PostgreSQL's parameter limits
MIGRATIONS = Path(__file__).parent / "migrations"
# How long one statement waits for another writer's lock. Writers keep their transactions short (imports commit in
# chunks), so a few seconds is plenty; ``LMS_SQLITE_BUSY_TIMEOUT_MS`` changes it (the busy-database tests shorten it).
SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("LMS_SQLITE_BUSY_TIMEOUT_MS", "15000"))
BUSY_RETRIES = 3  # whole units of work tried again when the database stayed busy (with the wait above each time)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A 64 MB page cache and memory-mapped reads: whole-schedule queries (conflicts over 100k sessions) are
    # dominated by page misses with SQLite's 2 MB default.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _begin_immediately(connection: Any) -> None:
    """Start an SQLite write transaction now, waiting for the lock, unless one is already open."""
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _savepoint_in_write_transaction(connection: Any, _name: str) -> None:
    # A SAVEPOINT outside a transaction would open a deferred one whose reads make its first write fail when busy.
    _begin_immediately(connection)


def begin_write(session: Session) -> None:
    """On SQLite, start the session's write transaction now (waiting for the lock), so that what it reads next is
    the latest and stays so until it commits; nothing on PostgreSQL, where rows are locked one by one."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _begin_immediately(connection)


def write_lock(session: Session, key: int) -> None:
    """Hold the database's write lock for ``key`` until the session's transaction ends (read-then-append work such
    as a hash chain): an advisory lock on PostgreSQL, the single writer's lock on SQLite."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif connection.dialect.name == "sqlite":
        _begin_immediately(connection)


def make_engine(url: str | None = None) -> Engine:
    """Create an engine; SQLite files get their folder, WAL, a busy timeout and foreign keys."""
    url = database_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise LmsError(_("not a database URL: {url}").format(url=url), field="--db") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise LmsError(
                    _("cannot create the database folder: {reason}").format(reason=error.strerror or error),
                    file=Path(database).parent,
                ) from None
            kwargs.update(connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    else:
        kwargs.update(pool_pre_ping=True)
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _savepoint_in_write_transaction)
    return engine


# The newest migration's revision id; tests/lms/test_database.py checks it against Alembic's own head.
SCHEMA_HEAD = "0008"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision a database is at (None when it has none), read without importing Alembic."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema in place; existing rows are kept."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_database(url: str | None = None, *, upgrade: bool = True) -> Engine:
    """Engine for ``url`` with its schema brought up to date; unreachable databases are a clear error."""
    engine = make_engine(url)
    # SCHEMA_HEAD saves importing Alembic (~0.3 s) on every start when the schema is current.
    if upgrade and schema_revision(engine, url) != SCHEMA_HEAD:
        try:
            upgrade_schema(engine)
        except OperationalError as error:
            raise cannot_open(error, url) from None
    return engine


def schema_revision(engine: Engine, url: str | None = None) -> str | None:
    """The schema revision of the database ``engine`` opens, or an LmsError saying why it cannot be opened:
    unreachable, refused, or a file that is not a database."""
    try:
        return current_revision(engine)
    except DatabaseError as error:
        raise cannot_open(error, url) from None


def cannot_open(error: DBAPIError, url: str | None) -> LmsError:
    """One line: which database (without its password) and the driver's first line of why."""
    reason = str(error.orig).splitlines()[0] if error.orig else str(error)
    shown = make_url(database_url(url)).render_as_string(hide_password=True)
    return LmsError(_("cannot open database {url}: {reason}").format(url=shown, reason=reason))


class DatabaseBusy(LmsError):
    """Another writer held the database for longer than we waited; nothing of this unit of work was written."""


def is_busy(error: BaseException) -> bool:
    """True for SQLite's "database is locked"/"busy" and PostgreSQL's lock and serialization timeouts."""
    if not isinstance(error, OperationalError | DBAPIError):
        return False
    text_ = str(getattr(error, "orig", error)).lower()
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    return "database is locked" in text_ or "database is busy" in text_ or code in {"55P03", "40001", "40P01"}


def retry_when_busy(work: Callable[[], T], *, retries: int = BUSY_RETRIES, pause: float = 0.2) -> T:
    """Run ``work`` (one whole unit of work with its own transaction) again when the database is busy.

    Raises:
        DatabaseBusy: still busy after ``retries`` more tries; one line that says so.
    """
    for attempt in range(retries + 1):
        try:
            return work()
        except (OperationalError, DBAPIError) as error:
            if not is_busy(error):
                raise
            if attempt == retries:
                raise DatabaseBusy(
                    _("the database is busy: someone else is writing to it; nothing was changed, try again")
                ) from None
            time.sleep(pause * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def is_empty(session: Session) -> bool:
    """True when the database holds no organisations and no courses (nothing a user entered)."""
    return (
        session.exec(select(models.Organisation.id).limit(1)).first() is None
        and session.exec(select(models.Course.id).limit(1)).first() is None
    )


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def chunks(items: Iterable[T], size: int = IDS_PER_QUERY) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``: for ``IN (...)`` over more values than one statement may bind, and
    for writes committed in bounded parts."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def plain_rows(session: Session, statement: Executable) -> list[Any]:
    """The rows of a column-only ``statement`` as the driver gives them, through the session's connection (after
    flushing, as the ORM's own queries do): for thousands of rows the ORM's row processing costs more than the
    query."""
    if session.autoflush:
        session.flush()
    return list(session.connection().execute(statement).all())
