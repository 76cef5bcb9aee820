"""A real uvicorn server on a free port, serving the web app over the test database, with a clock the test moves."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pluggy
import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session

import webapp.plugin
from lms.assessment.trainee_access import IssuedCode, issue_codes
from tests.lms.quiz_fixtures import quiz_world
from webapp.app import WebSettings, make_web_app

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
QUIZ_DAY = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)


@dataclass
class Clock:
    now: dt.datetime = QUIZ_DAY

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)


@dataclass
class Site:
    url: str
    clock: Clock
    world: dict[str, Any]
    codes: list[IssuedCode]
    token: str
    engine: Engine
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self) -> httpx.Client:
        """A browser-like client: it sends its own Origin on every request, as browsers do on a form POST."""
        client = httpx.Client(base_url=self.url, headers={"Origin": self.url}, follow_redirects=True, timeout=10)
        self.clients.append(client)
        return client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(app: Any) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture
def web_pm(pm: pluggy.PluginManager) -> pluggy.PluginManager:
    pm.register(webapp.plugin, name="webapp")
    return pm


@pytest.fixture
def site(engine: Engine, web_pm: pluggy.PluginManager, tmp_path: Path) -> Iterator[Site]:
    with Session(engine, expire_on_commit=False) as session:
        world = quiz_world(session, web_pm, tmp_path)
        codes = issue_codes(session, session_id=world["session"].id, now=QUIZ_DAY - dt.timedelta(days=1))
        session.commit()
    clock = Clock()
    token = "trainer-token-for-tests-0123456789"
    settings = WebSettings(secret="test-secret-" + "x" * 32, trainer_token=token)
    app = make_web_app(engine=engine, pm=web_pm, settings=settings, clock=clock)
    for url in serve(app):
        site = Site(url, clock, world, codes, token, engine)
        yield site
        for client in site.clients:
            client.close()
