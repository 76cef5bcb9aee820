"""``make_web_app``: the Starlette application ``lms web`` serves and the tests start under uvicorn."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from lms.calendars.dates import working_timezone
from webapp.backend import Clock, WebBackend, utc_now
from webapp.guard import GuessLimiter, OriginGuard, csrf_token, origin_of

HERE = Path(__file__).parent
COOKIE = "lms_web"


@dataclass
class WebSettings:
    """What the command line and configuration decide: the secret cookies are signed with, the address phones use,
    the trainer's token and whether the pages are served over TLS (then cookies are secure)."""

    secret: str
    public_url: str | None = None
    trainer_token: str | None = None
    tls: bool = False
    extra_origins: set[str] = field(default_factory=set)

    @property
    def secure_cookies(self) -> bool:
        return self.tls or bool(self.public_url and self.public_url.lower().startswith("https://"))


def templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its suffix
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["local_time"] = lambda moment: moment.astimezone(working_timezone()).strftime("%H:%M")
    return environment


class Pages:
    """What every page handler shares: the backend, the templates, the limits and the settings."""

    def __init__(self, backend: WebBackend, settings: WebSettings) -> None:
        self.backend, self.settings = backend, settings
        self.env = templates()
        self.guesses = GuessLimiter()

    def render(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(csrf=csrf_token(request), **context)
        return HTMLResponse(html, status_code=status_code)

    def message(self, request: Request, text: str, status_code: int = 400, **context: Any) -> HTMLResponse:
        return self.render(request, "message.html.j2", status_code=status_code, text=text, **context)


def make_web_app(*, engine: Engine, pm: Any, settings: WebSettings, clock: Clock = utc_now) -> Starlette:
    from webapp import quiz_pages, trainer_pages, verify_pages

    pages = Pages(WebBackend(engine, pm, clock), settings)
    allowed = set(settings.extra_origins)
    if settings.public_url:
        allowed.add(origin_of(settings.public_url))
    routes = [
        *quiz_pages.routes(pages),
        *trainer_pages.routes(pages),
        *verify_pages.routes(pages),
        Route("/healthz", lambda request: Response("ok"), methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(OriginGuard, allowed=allowed),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret,
            session_cookie=COOKIE,
            max_age=3 * 24 * 3600,
            same_site="lax",
            https_only=settings.secure_cookies,
        ),
    ]
    return Starlette(routes=routes, middleware=middleware)
