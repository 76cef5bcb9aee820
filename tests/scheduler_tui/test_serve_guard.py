"""``lms serve`` behind its guard, over real HTTP: a token to get in, no font CDN on the page, websockets only from
the page's own origin, and no more app processes than the cap."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
from aiohttp import web

from scheduler_tui.serve import GuardedServer

TOKEN = "serve-token-for-tests-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_planning_app_in_a_browser_needs_the_token_and_caps_processes() -> None:
    port = free_port()
    server = GuardedServer("exec sleep 30", token=TOKEN, max_processes=1, host="127.0.0.1", port=port, title="lms")
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as anyone:
            assert (await anyone.get(f"{base}/")).status == 401
            assert (await anyone.get(f"{base}/?token=wrong")).status == 401
            assert (await anyone.get(f"{base}/static/js/textual.js")).status == 401
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as trainer:  # an IP address
            page = await trainer.get(f"{base}/?token={TOKEN}")
            text = await page.text()
            assert page.status == 200 and str(page.url) == f"{base}/"  # the token leaves the address bar
            assert "googleapis" not in text and "RobotoMono-VariableFont_wght.ttf" in text
            assert f"ws://127.0.0.1:{port}/ws" in text  # the address the browser used, never 0.0.0.0
            font = await trainer.get(f"{base}/static/fonts/RobotoMono-VariableFont_wght.ttf")
            assert font.status == 200
            try:
                await trainer.ws_connect(f"{base}/ws", origin="http://evil.example")
                raise AssertionError("a foreign origin got a websocket")
            except aiohttp.WSServerHandshakeError as refused:
                assert refused.status == 403
            first = await trainer.ws_connect(f"{base}/ws", origin=base)
            await asyncio.sleep(0.5)
            try:
                await trainer.ws_connect(f"{base}/ws", origin=base)
                raise AssertionError("a second app process beyond the cap")
            except aiohttp.WSServerHandshakeError as refused:
                assert refused.status == 503
            await first.close()
    finally:
        await runner.cleanup()
