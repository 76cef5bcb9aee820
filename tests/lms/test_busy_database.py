"""A busy database is waited out and tried again where a person would lose work (a trainee's autosave), and
otherwise said in one line — never a traceback or an "internal error"."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import pluggy
import pytest
from sqlmodel import Session, select

import lms.db
from lms.db import make_engine
from lms.models import Answer
from scheduler_tui.quiz_app import QuizBackend
from tests.conftest import LIBRARY
from tests.lms.quiz_fixtures import quiz_world


def hold_write_lock(path: str, seconds: float, release: threading.Event | None = None) -> threading.Thread:
    """Another program writing: an SQLite write transaction held open for ``seconds`` or until ``release``."""
    ready = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, timeout=5)
        connection.execute("BEGIN IMMEDIATE")
        ready.set()
        if release is not None:
            release.wait(seconds)
        else:
            time.sleep(seconds)
        connection.rollback()
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    return thread


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lms.db, "SQLITE_BUSY_TIMEOUT_MS", 100)


def test_a_command_facing_a_long_writer_says_so_in_one_line(cli, db_url: str, short_busy_timeout: None) -> None:  # type: ignore[no-untyped-def]
    if not db_url.startswith("sqlite"):
        pytest.skip("the lock is held the SQLite way")
    release = threading.Event()
    holder = hold_write_lock(db_url.removeprefix("sqlite:///"), 120, release)  # held until the command is done
    result = cli("courses", "import", str(LIBRARY / "solar-hot-water.yaml"))
    release.set()
    holder.join()
    assert result.code == 1
    assert "busy" in result.err and result.err.strip().count("\n") == 0, result.err
    assert cli("courses", "list", "--format", "json").out.strip() == "[]"  # nothing half-written


def test_a_trainees_answer_is_saved_after_a_writer_lets_go(  # type: ignore[no-untyped-def]
    db_url: str, pm: pluggy.PluginManager, tmp_path: Path, short_busy_timeout: None
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the lock is held the SQLite way")
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as session:
        world = quiz_world(session, pm, tmp_path)
    backend = QuizBackend(engine, pm, clock=lambda: dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC))
    card = backend.who("S-QUIZ1", world["people"][0].id_number)
    sitting = backend.begin(card)
    question = sitting.questions[0]
    holder = hold_write_lock(db_url.removeprefix("sqlite:///"), 0.6)  # longer than one wait, shorter than the retries
    backend.save(sitting.attempt_id, question.question_id, "a")
    holder.join()
    with Session(engine) as session:
        saved = session.exec(select(Answer).where(Answer.attempt_id == sitting.attempt_id)).all()
    assert [a.question_id for a in saved] == [question.question_id]
