"""The audit log's "who" is the operating-system account (and the PostgreSQL login), never just an environment
variable: ``LMS_USER`` only adds a display name after the account it belongs to."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from lms.access import audit
from lms.access.identity import login_name
from lms.models import AuditEntry


def test_an_environment_variable_cannot_choose_who_the_log_names(session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("LMS_USER", "USER", "LOGNAME"):
        monkeypatch.setenv(name, "someone-else")
    audit.record(session, action="test", entity="thing", key="1", before=None, after={"x": 1})
    session.commit()
    entry = session.exec(select(AuditEntry)).one()
    account = entry.actor.split(" ")[0].split("/")[-1]
    assert account == login_name() != "someone-else"
    assert entry.actor.endswith("(someone-else)")


def test_on_postgresql_the_database_login_is_named(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no logins")
    login = session.connection().execute(text("SELECT session_user")).scalar()
    actor = audit.current_actor(session)
    assert actor.startswith(f"{login}/") or actor == login


def test_without_a_display_name_the_account_alone_is_recorded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LMS_USER", raising=False)
    assert audit.current_actor() == login_name()
