"""Pure-Python load generator: the fallback when `wrk` is not installed.

Runs as its own process (so bench/run.py can pin it to the load core, like
wrk) and prints one line with the same keys as wrk_gql.lua's done() hook:

    PYLOAD-RESULT {"requests": ..., "p50_us": ..., ...}

Each of CONNS workers owns one keep-alive connection and sends requests back
to back, cycling through the requests in the spec file, until the duration
ends or LIMIT responses arrived.  Being Python, it is far slower than wrk
and competes with nothing but itself on its core; it still gives usable
ratios because the ceiling is measured with the same generator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field

import aiohttp


@dataclass
class Tally:
    """What all workers observed; asyncio is single-threaded, so no locks."""

    limit: int
    started: int = 0
    latencies_us: list[float] = field(default_factory=list)
    socket_errors: int = 0
    timeouts: int = 0
    status_errors: int = 0
    graphql_errors: int = 0

    def claim(self) -> bool:
        """Reserve one request slot; False once LIMIT requests were started."""
        if self.limit and self.started >= self.limit:
            return False
        self.started += 1
        return True


@dataclass(frozen=True)
class Request:
    body: bytes
    headers: dict[str, str]


def load_spec(path: str) -> list[Request]:
    with open(path, encoding="utf-8") as f:
        items = json.load(f)
    return [Request(item["body"].encode(), dict(item["headers"])) for item in items]


async def one_request(session: aiohttp.ClientSession, url: str, req: Request, tally: Tally) -> None:
    start = time.perf_counter()
    try:
        async with session.post(url, data=req.body, headers=req.headers) as resp:
            body = await resp.read()
    except TimeoutError:
        tally.timeouts += 1
        return
    except aiohttp.ClientError:
        tally.socket_errors += 1
        return
    tally.latencies_us.append((time.perf_counter() - start) * 1e6)
    if resp.status > 399:
        tally.status_errors += 1
    elif b'"errors"' in body:
        tally.graphql_errors += 1


async def worker(
    session: aiohttp.ClientSession,
    url: str,
    requests: list[Request],
    deadline: float,
    tally: Tally,
) -> None:
    turn = 0
    # Bounded twice: by the deadline and by the shared request limit.
    while time.perf_counter() < deadline and tally.claim():
        await one_request(session, url, requests[turn % len(requests)], tally)
        turn += 1


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, int(len(sorted_values) * pct / 100))
    return sorted_values[index]


async def run(
    url: str, requests: list[Request], conns: int, duration: float, limit: int
) -> dict[str, float]:
    tally = Tally(limit=limit)
    # One connection per worker, kept alive; a timeout so no request hangs forever.
    connector = aiohttp.TCPConnector(limit=conns)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()
        deadline = start + duration
        await asyncio.gather(
            *(worker(session, url, requests, deadline, tally) for _ in range(conns))
        )
        elapsed = time.perf_counter() - start
    lat = sorted(tally.latencies_us)
    return {
        "requests": len(lat),
        "duration_us": elapsed * 1e6,
        "p50_us": statistics.median(lat) if lat else 0.0,
        "p99_us": percentile(lat, 99),
        "connect_errors": tally.socket_errors,
        "read_errors": 0,
        "write_errors": 0,
        "timeouts": tally.timeouts,
        "status_errors": tally.status_errors,
        "graphql_errors": tally.graphql_errors,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--spec", required=True, help="JSON list of {body, headers}")
    parser.add_argument("--conns", type=int, required=True)
    parser.add_argument("--duration", type=float, required=True, help="seconds")
    parser.add_argument("--limit", type=int, default=0, help="0 = no limit")
    args = parser.parse_args(argv)
    if not args.url.startswith("http://127.0.0.1:"):
        parser.error("the bench only sends traffic to 127.0.0.1")
    result = asyncio.run(run(args.url, load_spec(args.spec), args.conns, args.duration, args.limit))
    print("PYLOAD-RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
