"""Backups of the whole database to one file, and restoring them.

SQLite is copied with its online backup API (consistent while trainees keep writing); PostgreSQL with ``pg_dump
-Fc`` / ``pg_restore`` of the server's own version, the password passed through ``PGPASSWORD``. A backup is
written to a temporary name and renamed, so a crash never leaves a half-written file under the real name.

A restore checks the file first — one of our databases (it has Alembic's revision table at a revision this program
knows, and no schema object that revision does not create: ``lms.maintenance.backup_schema``), not damaged — and
refuses to overwrite a database that has rows unless told to. SQLite restores into a
temporary file first and then copies it over the live database in one transaction of the backup API, so other
connections (a TUI left open) see the old database or the new one, never a mixture; PostgreSQL restores in a single
transaction. Evidence files and the issuer key live outside the database (``LMS_FILES_DIR``): back them up too.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError

from lms.access.roles import Permission, require
from lms.config import database_url
from lms.db import make_engine, table_names
from lms.errors import LmsError
from lms.i18n import _
from lms.maintenance.backup_schema import check_postgres_listing, check_sqlite_objects, reference_tables

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
REVISION_TABLE = "alembic_version"
POSTGRES_BINARIES = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: ``kind`` is ``sqlite`` or ``postgresql``; ``revision`` the schema revision."""

    path: Path
    kind: str
    revision: str
    size: int


def backend(url: str) -> str:
    return make_url(database_url(url)).get_backend_name()


def sqlite_file(url: str) -> Path:
    database = make_url(database_url(url)).database or ""
    if database in ("", ":memory:"):
        raise LmsError(_("an in-memory database cannot be backed up or restored"), field="--db")
    return Path(database).expanduser()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from lms.db import alembic_config

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@contextmanager
def temporary_beside(target: Path, suffix: str = ".part") -> Iterator[Path]:
    """A temporary file name in ``target``'s folder (so a rename is atomic), removed unless renamed away."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def backup(url: str, target: Path) -> BackupInfo:
    """Write the database at ``url`` to ``target`` (replaced whole when it exists)."""
    require(Permission.administer)
    kind = backend(url)
    database_revision(url)
    with temporary_beside(target) as partial:
        if kind == "sqlite":
            with closing(sqlite3.connect(sqlite_file(url), timeout=15)) as live:
                with closing(sqlite3.connect(partial)) as copy:
                    live.backup(copy)
                    copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        elif kind == "postgresql":
            run_postgres_tool("pg_dump", url, ["--format=custom", "--no-owner", f"--file={partial}"])
        else:
            raise LmsError(_("backups are made of SQLite and PostgreSQL databases only"), field="--db")
        checked = inspect_backup(partial)  # read back: a backup that could not be restored is no backup
        os.replace(partial, target)
    return BackupInfo(target, kind, checked.revision, target.stat().st_size)


def database_revision(url: str) -> str:
    """The live database's schema revision; a database without one is not ours to back up."""
    if backend(url) == "sqlite" and not sqlite_file(url).is_file():
        raise LmsError(_("there is no database at {path}").format(path=sqlite_file(url)), field="--db")
    with connected(url) as engine:
        if REVISION_TABLE not in table_names(engine):
            raise LmsError(_("this database has no lms schema: nothing to back up"), field="--db")
        with engine.connect() as connection:
            return str(connection.execute(text(f"SELECT version_num FROM {REVISION_TABLE}")).scalar() or "")


@contextmanager
def connected(url: str) -> Iterator[Engine]:
    """An engine for ``url`` (schema left as it is); a database that cannot be opened is a one-line error."""
    engine = make_engine(url)
    try:
        yield engine
    except (OperationalError, DatabaseError) as error:
        reason = str(error.orig).splitlines()[0] if error.orig else str(error)
        shown = make_url(database_url(url)).render_as_string(hide_password=True)
        raise LmsError(_("cannot open database {url}: {reason}").format(url=shown, reason=reason)) from None
    finally:
        engine.dispose()


def inspect_backup(path: Path) -> BackupInfo:
    """Check that ``path`` is a whole backup of an lms database this program can read; say what it holds."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise LmsError(
            _("cannot read the backup: {reason}").format(reason=error.strerror or error), file=path
        ) from None
    if head.startswith(SQLITE_MAGIC):
        kind, revision = "sqlite", sqlite_backup_revision(path)
    elif head.startswith(PG_DUMP_MAGIC):
        kind, revision = "postgresql", postgres_backup_revision(path)
    else:
        raise LmsError(_("not an lms backup (neither an SQLite file nor a pg_dump archive)"), file=path)
    if revision not in known_revisions():
        message = _("the backup's schema ({revision}) is unknown to this version of lms; upgrade lms first")
        raise LmsError(message.format(revision=revision), file=path)
    if kind == "sqlite":
        with closing(read_only(path)) as connection:
            check_sqlite_objects(connection, revision, path)
    else:
        listing = run_tool(postgres_tool("pg_restore", None), ["--list", str(path)], path=path)
        check_postgres_listing(listing, reference_tables(revision), path)
    return BackupInfo(path, kind, revision, path.stat().st_size)


def read_only(path: Path) -> sqlite3.Connection:
    """A backup file opened for reading only; ``immutable`` because nothing else writes to it (no -wal, no lock)."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)


def sqlite_backup_revision(path: Path) -> str:
    try:
        with closing(read_only(path)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise LmsError(_("the backup is damaged (SQLite integrity check failed)"), file=path)
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (REVISION_TABLE,)
            ).fetchone()
            if found is None:
                raise LmsError(_("not an lms backup: it has no schema revision table"), file=path)
            row = connection.execute(f"SELECT version_num FROM {REVISION_TABLE}").fetchone()
    except sqlite3.DatabaseError as error:
        raise LmsError(_("the backup is damaged: {reason}").format(reason=error), file=path) from None
    return str(row[0]) if row else ""


def postgres_backup_revision(path: Path) -> str:
    """The revision recorded in a pg_dump archive, read back through ``pg_restore`` (which checks the archive)."""
    listing = run_tool(postgres_tool("pg_restore", None), ["--list", str(path)], path=path)
    if not re.search(rf"TABLE DATA \S+ {REVISION_TABLE}\b", listing):
        raise LmsError(_("not an lms backup: it has no schema revision table"), file=path)
    data = run_tool(
        postgres_tool("pg_restore", None),
        ["--data-only", f"--table={REVISION_TABLE}", "--file=-", str(path)],
        path=path,
    )
    match = re.search(rf"COPY \S*{REVISION_TABLE} \(version_num\) FROM stdin;\n(\S+)\n", data)
    return match.group(1) if match else ""


def has_rows(url: str) -> bool:
    """True when any table of the database holds a row (the schema alone is not data)."""
    with connected(url) as engine:
        names = [name for name in table_names(engine) if name != REVISION_TABLE]
        quote = engine.dialect.identifier_preparer.quote
        with engine.connect() as connection:
            return any(
                connection.execute(text(f"SELECT 1 FROM {quote(name)} LIMIT 1")).first() is not None for name in names
            )


def restore(url: str, source: Path, *, overwrite: bool = False) -> BackupInfo:
    """Replace the database at ``url`` with the backup ``source``; a database with rows needs ``overwrite``."""
    require(Permission.administer)
    info = inspect_backup(source)
    kind = backend(url)
    if info.kind != kind:
        message = _("this is a backup of a {kind} database; restore it into a {kind} database")
        raise LmsError(message.format(kind="SQLite" if info.kind == "sqlite" else "PostgreSQL"), file=source)
    exists = kind != "sqlite" or sqlite_file(url).exists()
    if exists and not overwrite and has_rows(url):
        raise LmsError(_("the database already has data; add --yes to replace it with the backup"))
    if kind == "sqlite":
        restore_sqlite(sqlite_file(url), source)
    else:
        run_postgres_tool(
            "pg_restore",
            url,
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"],
            archive=source,
        )
    return info


def restore_sqlite(target: Path, source: Path) -> None:
    """Copy the backup into a temporary file, check it there, then copy that over ``target`` in one transaction."""
    with temporary_beside(target) as staged:
        with closing(read_only(source)) as backup_file:
            with closing(sqlite3.connect(staged)) as copy:
                backup_file.backup(copy)
        revision = sqlite_backup_revision(staged)
        with closing(sqlite3.connect(staged)) as copy:
            check_sqlite_objects(copy, revision, source)  # again on the copy: the file may have changed since
        with closing(sqlite3.connect(staged)) as copy, closing(sqlite3.connect(target, timeout=15)) as live:
            copy.backup(live)  # all pages in one step: one write transaction on the live database


def postgres_tool(name: str, engine: Engine | None) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version when installed side by side (Debian keeps each
    under /usr/lib/postgresql/<version>/bin); else the newest there; else the one on PATH."""
    versions: list[int] = []
    if POSTGRES_BINARIES.is_dir():
        versions = sorted(
            int(folder.name)
            for folder in POSTGRES_BINARIES.iterdir()
            if folder.name.isdigit() and (folder / "bin" / name).exists()
        )
    if engine is not None and versions:
        with engine.connect() as connection:
            server = int(str(connection.execute(text("SHOW server_version_num")).scalar())) // 10000
        newer = [version for version in versions if version >= server]
        if newer:
            return str(POSTGRES_BINARIES / str(newer[0]) / "bin" / name)
    if versions:
        return str(POSTGRES_BINARIES / str(versions[-1]) / "bin" / name)
    found = shutil.which(name)
    if found is None:
        raise LmsError(_("{tool} is not installed (Debian: apt-get install postgresql-client)").format(tool=name))
    return found


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries the password."""
    parsed: URL = make_url(database_url(url))
    environment = dict(os.environ)
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def run_postgres_tool(name: str, url: str, arguments: list[str], *, archive: Path | None = None) -> str:
    with connected(url) as engine:
        tool = postgres_tool(name, engine)
    target, environment = libpq_target(url)
    extra = [str(archive)] if archive is not None else []
    return run_tool(tool, [f"--dbname={target}", *arguments, *extra], environment=environment)


def run_tool(
    tool: str, arguments: list[str], *, path: Path | None = None, environment: dict[str, str] | None = None
) -> str:
    """Run a PostgreSQL client program; its first line of complaint becomes the error."""
    completed = subprocess.run(
        [tool, *arguments], capture_output=True, text=True, env=environment, check=False, timeout=3600
    )
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit {completed.returncode}"
        raise LmsError(_("{tool} failed: {reason}").format(tool=Path(tool).name, reason=reason), file=path)
    return completed.stdout
