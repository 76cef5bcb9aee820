"""Who is at the keyboard, as the audit log records it.

The actor comes from what the operating system and the database vouch for, not from an environment variable: the
operating-system account running the process (``pwd``, not ``$USER``/``$LOGNAME``, which anyone can set) and, on
PostgreSQL, the database login (the hard boundary between staff, see CONTRIBUTING.md). ``LMS_USER`` (or
``access.display_name`` in the configuration) may add a friendly name for display, in brackets after the account it
belongs to, so it can never stand in for someone else.
"""

from __future__ import annotations

import os
import pwd
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the role check at start needs the login, not the ORM
    from sqlmodel import Session

ACTOR_LENGTH = 100  # AuditEntry.actor, changed_by columns


def login_name() -> str:
    """The operating-system account running this process."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a container user with no passwd entry
        return f"uid-{uid}"


def display_name() -> str | None:
    """The name the person gave for display (``LMS_USER``, else ``access.display_name``), or None."""
    explicit = os.environ.get("LMS_USER", "").strip()
    if explicit:
        return explicit
    from lms.config import settings

    return settings().access.display_name


def database_login(session: Session | None) -> str | None:
    """The PostgreSQL login of ``session``'s connection; None on SQLite (a file has no logins)."""
    from sqlalchemy import text

    if session is None:
        return None
    bind: Any = session.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    return str(session.connection().execute(text("SELECT session_user")).scalar())


def actor(session: Session | None = None) -> str:
    """``account`` or ``db-login/account``, with ``(display name)`` when one was given and differs."""
    account = login_name()
    login = database_login(session)
    shown = f"{login}/{account}" if login and login != account else account
    display = display_name()
    if display and display != account:
        shown = f"{shown} ({display})"
    return shown[:ACTOR_LENGTH]
