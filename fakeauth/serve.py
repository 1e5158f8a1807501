"""Running a fakeauth server until it is told to stop: the only code that starts a site."""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable

from aiohttp import web

from fakeauth.core.fake import FakeAuth
from fakeauth.core.namespaces import Namespaces
from fakeauth.web.app import create_app
from fakeauth.web.http_errors import quiet_protocol_errors
from fakeauth.web.limits import SERVER_OPTIONS

SHUTDOWN_SECONDS = 0.25


def base_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"  # a wildcard bind is reachable on loopback
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def serve(
    fake: FakeAuth,
    *,
    stop: asyncio.Event,
    ready: Callable[[str], None] = lambda url: None,
    namespaces: Namespaces | None = None,
) -> None:
    """Serve until ``stop`` is set; call ``ready`` with the base URL once it accepts connections.

    ``fake`` is the default namespace; ``namespaces``, when given, holds the named ones.
    """
    quiet_protocol_errors()
    runner = web.AppRunner(
        create_app(fake, namespaces=namespaces),
        handle_signals=False,
        access_log=None,
        # Requests still waiting on a fault's delay or --latency are cut short, so a
        # stop takes well under a second, as the README promises.
        shutdown_timeout=SHUTDOWN_SECONDS,
        **SERVER_OPTIONS,
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, fake.config.host, fake.config.port)
        await site.start()
        host, port = runner.addresses[0][:2]
        ready(base_url(host, port))
        await stop.wait()
    finally:
        await runner.cleanup()


def run(fake: FakeAuth, ready: Callable[[str], None]) -> None:
    """Serve in the foreground until SIGINT or SIGTERM."""

    def started(url: str) -> None:
        # What start-up built lives as long as the process: keep it out of the
        # collector's sight (it cut p99 latency about 3x), then let the
        # collector run again if the CLI paused it for a faster start.
        gc.freeze()
        gc.enable()
        ready(url)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(fake, stop=stop, ready=started)

    asyncio.run(main())
