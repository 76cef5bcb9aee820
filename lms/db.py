"""Database engines, sessions and schema upgrades (Alembic).

The default database is an SQLite file in the user's data folder, in WAL mode with foreign keys on;
``--db URL`` or ``LMS_DATABASE_URL`` selects another, PostgreSQL included.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, select

from lms import models
from lms.errors import LmsError
from lms.i18n import _

if TYPE_CHECKING:  # Alembic is imported when a schema is checked or upgraded, not at every start
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def default_database_url() -> str:
    folder = Path(platformdirs.user_data_dir("lms", appauthor=False))
    return f"sqlite:///{folder / 'lms.db'}"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``--db`` first, then ``LMS_DATABASE_URL``, then the user's data folder."""
    url = explicit or os.environ.get("LMS_DATABASE_URL") or default_database_url()
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


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
    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


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
    try:
        if upgrade and current_revision(engine) != head_revision():
            upgrade_schema(engine)
    except OperationalError as error:
        reason = str(error.orig).splitlines()[0] if error.orig else str(error)
        shown = make_url(database_url(url)).render_as_string(hide_password=True)
        raise LmsError(_("cannot open database {url}: {reason}").format(url=shown, reason=reason)) from None
    return engine


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
