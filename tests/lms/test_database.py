"""Database: default location, WAL and foreign keys, schema upgrades that keep rows, masked ID numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from lms.config import database_url
from lms.db import current_revision, head_revision, make_engine, open_database, upgrade_schema
from lms.errors import LmsError
from lms.models import Organisation, Person, mask_id_number


def test_migrations_build_exactly_the_models(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
    assert current_revision(engine) == head_revision()


def test_default_database_is_a_file_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LMS_DATABASE_URL", raising=False)
    assert database_url().startswith("sqlite:///") and database_url().endswith("lms/lms.db")
    monkeypatch.setenv("LMS_DATABASE_URL", "postgresql://u:p@127.0.0.1/lms")
    assert database_url() == "postgresql+psycopg://u:p@127.0.0.1/lms"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with Session(engine) as session:
        session.add(Person(code="X", kind="trainer", name="无单位", organisation_id=999))
        with pytest.raises(IntegrityError):
            session.commit()


def test_reopening_an_older_database_upgrades_in_place_and_keeps_rows(empty_db_url: str) -> None:
    url = empty_db_url
    engine = make_engine(url)
    upgrade_schema(engine, "0001")
    with engine.begin() as connection:  # rows as that schema knew them: the models have grown since
        connection.execute(
            text("INSERT INTO organisation (code, kind, name_zh, name_en) VALUES ('B1', 'buyer', '买方一', 'Buyer')")
        )
    engine.dispose()
    reopened = open_database(url)
    assert current_revision(reopened) == head_revision()
    with Session(reopened) as session:
        assert session.exec(select(Organisation.name_zh)).all() == ["买方一"]


def test_unreachable_database_is_one_clear_line(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("courses", "list", db="sqlite:////proc/no-such-folder/lms.db")
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1


def test_a_file_that_is_not_a_database_is_one_clear_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"meeting notes, not a database\n" * 100)
    result = cli("sessions", "list", db=f"sqlite:///{notes}")
    assert result.code == 1 and result.out == ""
    assert result.err == f"lms: cannot open database sqlite:///{notes}: file is not a database\n"
    assert notes.read_bytes() == b"meeting notes, not a database\n" * 100  # left as it was


def test_id_numbers_are_stored_whole_and_shown_masked() -> None:
    assert mask_id_number("110101199003071234") == "1101**********1234"
    person = Person(code="P", kind="buyer_staff", name="李四", organisation_id=1, id_number="330106198805120018")
    assert person.masked_id_number == "3301**********0018"
    assert mask_id_number(None) == ""


def test_unknown_url_scheme_is_an_error() -> None:
    with pytest.raises(LmsError):
        make_engine("not a url")


def test_the_schema_head_constant_names_alembics_head() -> None:
    from lms.db import SCHEMA_HEAD, head_revision

    assert head_revision() == SCHEMA_HEAD, "a new migration was added: set lms.db.SCHEMA_HEAD to its revision"
