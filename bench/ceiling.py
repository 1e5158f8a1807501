"""Ceiling server: the cheapest aiohttp handler we can write.

It answers every request on every path with the same small JSON body.  Its
throughput and latency are the best this stack (CPython + aiohttp on one
core) can do, so bench/run.py reports fakeauth's figures as ratios to it.

    python bench/ceiling.py --port N

prints one line once it accepts connections, like fakeauth does:

    ceiling listening on http://127.0.0.1:PORT/graphql

and stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from aiohttp import web

BODY = b'{"data":{"ok":true}}'


async def handle(request: web.Request) -> web.Response:
    # Read the body as a real handler must: the ceiling should pay for
    # receiving the same POST that fakeauth receives, only not for using it.
    await request.read()
    return web.Response(body=BODY, content_type="application/json")


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def serve(host: str, port: int) -> None:
    # No access log: logging each request would measure the logger, not the stack.
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_port = runner.addresses[0][1]  # the real port when --port 0
        print(f"ceiling listening on http://{host}:{bound_port}/graphql", flush=True)

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
