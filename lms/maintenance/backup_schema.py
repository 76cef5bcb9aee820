"""A backup may hold only the schema objects this version of lms creates at the backup's revision.

A crafted backup could carry its own trigger (certify a failed attempt on insert), view or function; restoring it
would run that code inside every later transaction, and ``audit verify`` would not notice because the trigger acts
below the audit log. So before anything changes, the backup's objects are compared with those a fresh database
migrated to the same revision has: SQLite by ``sqlite_master`` (type, name and table), PostgreSQL by
the archive's table of contents (``pg_restore --list``), which may hold only tables, their data, sequences,
defaults, constraints and indexes of our own tables.
"""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from functools import cache
from pathlib import Path

from lms.db import make_engine, upgrade_schema
from lms.errors import LmsError
from lms.i18n import _

SchemaObject = tuple[str, str, str]  # type (table, index, trigger, view), name, table
POSTGRES_ENTRY_KINDS = frozenset(
    {
        "TABLE",
        "TABLE DATA",
        "SEQUENCE",
        "SEQUENCE OWNED BY",
        "SEQUENCE SET",
        "DEFAULT",
        "CONSTRAINT",
        "FK CONSTRAINT",
        "INDEX",
    }
)


def foreign_object(kind: str, name: str, path: Path) -> LmsError:
    return LmsError(
        _("the database holds {kind} {name}, which this version of lms does not create; it cannot be restored").format(
            kind=kind, name=name
        ),
        file=path,
    )


def sqlite_objects(connection: sqlite3.Connection) -> set[SchemaObject]:
    # Names, not definitions: Alembic's batch migrations write a table's foreign keys in no fixed order.
    rows = connection.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(kind, name, table) for kind, name, table in rows}


@cache
def reference_objects(revision: str) -> frozenset[SchemaObject]:
    """What a fresh SQLite database migrated to ``revision`` holds (made once per process)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reference.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade_schema(engine, revision)
        engine.dispose()
        with closing(sqlite3.connect(path)) as connection:
            return frozenset(sqlite_objects(connection))


def check_sqlite_objects(connection: sqlite3.Connection, revision: str, path: Path) -> None:
    """Refuse, naming the first one, any object of the backup a fresh database at ``revision`` would not have."""
    expected = reference_objects(revision)
    for kind, name, _table in sorted(sqlite_objects(connection) - expected):
        raise foreign_object(kind, name, path)


def check_postgres_listing(listing: str, table_names: set[str], path: Path) -> None:
    """Refuse any entry of a pg_dump table of contents that is not a table of ours or what belongs to one."""
    for line in listing.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        # "254; 1259 16737 TABLE public answer lms_test": dump id; catalog and object oids; kind, schema, tag, owner
        entry = line.split(None, 3)[3] if len(line.split(None, 3)) == 4 else line
        kind = next((k for k in POSTGRES_KINDS_LONGEST_FIRST if entry.startswith(k + " ")), None)
        words = entry[len(kind) :].split() if kind else []
        if kind is None or len(words) < 2 or words[0] != "public":
            first, _space, rest = entry.partition(" ")
            named = rest.rsplit(" ", 1)[0] if " " in rest else rest  # without the owner
            raise foreign_object(first, named[:80], path)
        if kind in {"TABLE", "TABLE DATA"} and words[1] not in table_names:
            raise foreign_object(kind, f"public.{words[1]}", path)


POSTGRES_KINDS_LONGEST_FIRST = sorted(POSTGRES_ENTRY_KINDS, key=len, reverse=True)


def reference_tables(revision: str) -> set[str]:
    return {name for kind, name, _table in reference_objects(revision) if kind == "table"}
