"""How soon a browser tab on ``lms serve`` shows the app: page, websocket, first frame, frame with the data.

Run: .venv/bin/python benchmarks/tui_serve.py [--db URL] [--tabs 3]

Starts ``lms --db URL serve`` on a free port and opens tabs as a browser does (GET /?token=... as printed at start,
which sets the login cookie, then the websocket at /ws with the terminal size and the page's Origin); textual-serve
starts one app process per tab. Times are from the GET to the first
websocket output that carries the app's title (first frame) and to the output carrying the dashboard's status line
(data painted). Without --db it serves the demo, loaded into a temporary database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

TITLE = b"Training and certification"
DATA = b"upcoming sessions"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def open_tab(port: int, token: str) -> tuple[float, float, float]:
    """Seconds to the page, to the first frame, to the data."""
    began = time.perf_counter()
    address = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        async with client.get(f"{address}/?token={token}") as page:
            await page.read()
            page.raise_for_status()
        paged = time.perf_counter() - began
        framed = 0.0
        seen = b""
        websocket_url = f"ws://127.0.0.1:{port}/ws?width=120&height=36"
        async with client.ws_connect(websocket_url, headers={"Origin": address}) as websocket:
            async for message in websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data
                if not framed and TITLE in seen:
                    framed = time.perf_counter() - began
                if DATA in seen:
                    return paged, framed, time.perf_counter() - began
    raise RuntimeError("the tab closed before the data arrived")


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    limit = time.perf_counter() + timeout
    while time.perf_counter() < limit:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError("lms serve did not start listening")


def demo_url(folder: Path) -> str:
    url = f"sqlite:///{folder / 'demo.db'}"
    subprocess.run([sys.executable, "-m", "lms", "--db", url, "demo"], check=True, capture_output=True)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db")
    parser.add_argument("--tabs", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.db or demo_url(Path(folder))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "lms", "--db", url, "serve", "--port", str(port)],
            env=os.environ | {"LMS_LANG": "en"},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            text=True,
        )
        try:
            assert server.stdout is not None
            printed = server.stdout.readline()  # "open http://...:PORT/?token=TOKEN (...)"
            token = re.search(r"token=(\S+)", printed)
            if token is None:
                raise RuntimeError(f"lms serve printed no token: {printed!r}")
            wait_for_port(port)
            results = [asyncio.run(open_tab(port, token.group(1))) for _tab in range(arguments.tabs)]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
    pages, frames, data = zip(*results, strict=True)
    print(f"tabs: {len(results)}, medians")
    print(f"page loaded              {statistics.median(pages) * 1000:7.1f} ms")
    print(f"first frame in the tab   {statistics.median(frames) * 1000:7.1f} ms   (target: under 2,000 ms)")
    print(f"first data in it         {statistics.median(data) * 1000:7.1f} ms   (the status line with the counts)")


if __name__ == "__main__":
    main()
