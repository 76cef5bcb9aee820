"""What the TUI tests share: a demo database each test may change, the app on it, and a way to wait until the
workers and the timers they start have settled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import Engine

from lms.db import make_engine
from scheduler_tui.app import LmsApp, make_app
from tests.conftest import DEMO_TODAY, copy_database

ScreenT = TypeVar("ScreenT")


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the shared demo database (loading a fresh demo takes seconds; copying, milliseconds;
    PostgreSQL copies it as a template)."""
    url, drop = copy_database(demo_database, tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop()


@pytest.fixture
def app(demo_copy: Engine, pm: Any) -> LmsApp:
    return make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)


async def settle(pilot: Any, seconds: float = 0.0) -> None:
    """Wait for workers, and for what they post and start in turn (the editor checks after 0.3 s of quiet)."""
    if seconds:
        await pilot.pause(seconds)
    for _round in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_screen(pilot: Any, key: str, kind: type[ScreenT]) -> ScreenT:
    """The app settled, the place's number ``key`` pressed and settled again: its screen, which must be a ``kind``."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


def screen_text(app: Any) -> str:
    """The screen as plain text, line by line (what a trainer would read)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def until(pilot: Any, ready: Any, timeout: float = 10.0) -> None:
    """Wait until ``ready()`` holds (timers and workers take their time on a busy machine)."""
    waited = 0.0
    while not ready():
        if waited > timeout:
            raise AssertionError("the app did not get there in time")
        await pilot.pause(0.05)
        waited += 0.05
    await settle(pilot)


async def rechecked(pilot: Any, editor: Any) -> None:
    """Wait for the session editor's next check of the form against the schedule."""
    previous = editor.last_check
    await until(pilot, lambda: editor.last_check is not previous)


@pytest.fixture(scope="session")
def vendor_database(tmp_path_factory: pytest.TempPathFactory, migrated_template: str) -> Iterator[str]:
    """The small vendor of ``vendor_world``, built once from an empty database with commands (read it through
    ``vendor_copy``)."""
    from tests.scheduler_tui.vendor_world import fill

    url, drop = copy_database(migrated_template, tmp_path_factory.mktemp("vendor"))
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("vendor-files")
        patch.setenv("LMS_CONFIG", str(folder / "no-config.yaml"))
        patch.setenv("LMS_FILES_DIR", str(folder / "files"))
        patch.setenv("LMS_ISSUER_KEY", str(folder / "issuer-ed25519.pem"))
        for variable in ("LMS_DATABASE_URL", "LMS_ROLE", "LMS_TODAY"):
            patch.delenv(variable, raising=False)
        fill(url)
    if url.startswith("sqlite:///"):  # the commands' engines may still hold the write-ahead log: fold it in
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
    yield url
    drop()


@pytest.fixture
def vendor_copy(vendor_database: str, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the vendor's database, for a test that changes it or whose screens write (held sessions)."""
    url, drop = copy_database(vendor_database, tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop()
