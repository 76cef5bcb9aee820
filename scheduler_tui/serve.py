"""``lms serve``: the planning app in a browser through textual-serve, behind a login, with a cap on app processes,
fonts served locally and websocket addresses taken from the address the browser used.

textual-serve starts one app process per browser tab and lets anyone who reaches the port in; its page links a font
CDN that is blocked in China and absent offline, and with ``--host 0.0.0.0`` it sends browsers to ``ws://0.0.0.0``.
"""

from __future__ import annotations

import hmac
import re
from importlib.resources import files
from typing import Any

import jinja2
from aiohttp import web
from textual_serve.server import Server

COOKIE = "lms_serve"
FONT_CDN = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.S)
LOCAL_FONT = """<style>
@font-face { font-family: "Roboto Mono"; src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf"); }
</style>"""


def local_page() -> str:
    """textual-serve's page with the font CDN link replaced by its own bundled Roboto Mono."""
    page = (files("textual_serve") / "templates" / "app_index.html").read_text(encoding="utf-8")
    return FONT_CDN.sub(LOCAL_FONT, page)


class GuardedServer(Server):
    """A textual-serve server that asks for a token, checks the websocket's Origin and caps app processes."""

    def __init__(self, command: str, *, token: str, max_processes: int, public_url: str | None = None, **kw: Any):
        super().__init__(command, public_url=public_url, **kw)
        self.token, self.max_processes, self.fixed_url = token, max_processes, public_url
        self.running = 0

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        import aiohttp_jinja2

        aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"app_index.html": local_page()}))
        app.middlewares.append(self.guard)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        given = request.query.get("token", "")
        if given and hmac.compare_digest(given, self.token):
            response = web.HTTPSeeOther(request.path)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", secure=request.secure)
            raise response
        if not hmac.compare_digest(request.cookies.get(COOKIE, ""), self.token):
            return web.Response(status=401, text="lms serve: open the address with ?token=... (printed at start)")
        if request.path == "/ws":
            origin = request.headers.get("Origin", "")
            if origin.lower() != f"{request.scheme}://{request.host}".lower() and origin != self.fixed_url:
                return web.Response(status=403, text="cross-origin websocket refused")
        return await handler(request)  # type: ignore[no-any-return]

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        # The websocket goes back to the address the browser used, not to the address bound (0.0.0.0).
        self.public_url = self.fixed_url or f"{request.scheme}://{request.host}"
        response: web.StreamResponse = await super().handle_index(request)
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if self.running >= self.max_processes:
            return web.Response(status=503, text=f"lms serve: {self.max_processes} app windows are open already")
        self.running += 1
        try:
            response: web.StreamResponse = await super().handle_websocket(request)
            return response
        finally:
            self.running -= 1
