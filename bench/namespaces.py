"""Benchmark namespaces (issue #9): what creating one costs, and login throughput over many.

    python bench/namespaces.py [--quick] [--duration SECONDS] [--json PATH]

Run from the repository root with the project installed in the active virtualenv,
and wrk on PATH (apt-get install wrk). In one run:

1. Creating 1,000 namespaces in-process (``Namespaces.get``), with the bundled users
   and with a 10,000-user file: time per namespace (perf_counter, nothing traced) and
   Python memory per namespace (tracemalloc, a second set of 1,000).
2. The same 1,000 created over HTTP, by their first request, in a `fakeauth serve`
   with the 10,000-user file: the server's RSS growth per namespace, and the time per
   request (HTTP included).
3. Login throughput at 32 connections against one server: every request to the default
   namespace, then requests spread over 100 namespaces (/ns/nsK/graphql in turn), in
   alternating rounds; the medians and their ratio.

Targets: ≤ 1 ms and ≤ 64 KiB per namespace while its users are untouched; spread
throughput ≥ 0.9 times the default throughput.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gql import login_op
from load import _parse, wrk_path, wrk_version
from procs import (
    LOAD_CPU,
    Children,
    Server,
    free_port,
    pin_harness,
    pinned,
    pinning_available,
    rss_kib,
    wait_until,
)
from run import NOW, write_users

BENCH_DIR = Path(__file__).resolve().parent
WRK_SCRIPT = BENCH_DIR / "wrk_gql.lua"
CREATED = 1000
SPREAD = 100
CONNS = 32
MAX_MS = 1.0
MAX_KIB = 64.0
MIN_RATIO = 0.9


def in_process(users: Path | None) -> dict[str, float]:
    """Time and Python memory per namespace, created by the registry itself."""
    from fakeauth import Config, FakeAuth, Namespaces

    default = FakeAuth(Config.build(now=NOW, frozen=True, users=users))
    namespaces = Namespaces(default)
    namespaces.limit = 2 * CREATED
    gc.collect()
    started = time.perf_counter()
    for number in range(CREATED):
        namespaces.get(f"t{number}")
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(CREATED):
            namespaces.get(f"m{number}")
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return {
        "users": len(default.users),
        "ms_per_namespace": seconds * 1000 / CREATED,
        "kib_per_namespace": grown / 1024 / CREATED,
    }


def serve_cmd(port: int, users: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "fakeauth", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--now", NOW, "--frozen", "--max-namespaces", str(CREATED)]
    return cmd if users is None else [*cmd, "--users", str(users)]


def start(children: Children, users: Path | None) -> Server:
    port = free_port()
    server = children.spawn_server("fakeauth", serve_cmd(port, users), port)
    wait_until(server, healthy, 300.0)
    return server


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        get(conn, "/health")
        conn.close()
    except (OSError, http.client.HTTPException, RuntimeError):
        return False
    return True


def get(conn: http.client.HTTPConnection, path: str) -> None:
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status}")


def settled_rss(pid: int) -> int:
    gc.collect()
    time.sleep(0.5)  # let the server finish any answer in flight before reading its RSS
    return rss_kib(pid)


def over_http(children: Children, users: Path) -> dict[str, float]:
    """RSS growth per namespace of a server that creates them on their first request."""
    server = start(children, users)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        for _ in range(200):  # warm the request path before the baseline
            get(conn, "/__fakeauth/clock")
        before = settled_rss(server.proc.pid)
        started = time.perf_counter()
        for number in range(CREATED):
            get(conn, f"/ns/h{number}/__fakeauth/clock")
        seconds = time.perf_counter() - started
        after = settled_rss(server.proc.pid)
        conn.close()
    finally:
        children.stop(server.proc)
    return {
        "ms_per_request": seconds * 1000 / CREATED,
        "rss_kib_per_namespace": (after - before) / CREATED,
    }


def wrk(children: Children, port: int, paths: list[str], seconds: int) -> dict[str, Any]:
    body = login_op().body
    cmd = ["wrk", "-t1", f"-c{CONNS}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    cmd += ["-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}/graphql", "--", "0", body, "-"]
    cmd += ["--paths", *paths]
    proc = children.popen(
        pinned(cmd, LOAD_CPU), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    out, _ = proc.communicate(timeout=seconds + 60)
    children.procs.remove(proc)
    result = _parse("wrk", CONNS, out, "")
    if result.errors:
        raise RuntimeError(f"{result.errors} errors under load: {result.error_detail}")
    return {"rps": result.rps, "p50_ms": result.p50_ms, "p99_ms": result.p99_ms}


def throughput(children: Children, seconds: int, rounds: int) -> dict[str, Any]:
    server = start(children, None)
    try:
        default = ["/graphql"] * SPREAD
        spread = [f"/ns/ns{number}/graphql" for number in range(SPREAD)]
        wrk(children, server.port, spread, 2)  # creates the 100 namespaces, and warms up
        wrk(children, server.port, default, 2)
        runs: dict[str, list[dict[str, Any]]] = {"default": [], "spread": []}
        for _ in range(rounds):
            runs["default"].append(wrk(children, server.port, default, seconds))
            runs["spread"].append(wrk(children, server.port, spread, seconds))
    finally:
        children.stop(server.proc)
    medians = {kind: statistics.median(r["rps"] for r in results) for kind, results in runs.items()}
    return {"runs": runs, "median_rps": medians, "ratio": medians["spread"] / medians["default"]}


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(figures: dict[str, Any]) -> str:
    lines = [f"fakeauth namespaces bench ({figures['wrk']}, pinned: {figures['pinned']})", ""]
    lines.append(
        f"creating {CREATED} namespaces in-process (targets ≤ {MAX_MS} ms, ≤ {MAX_KIB} KiB)"
    )
    for label, made in figures["in_process"].items():
        ms, kib = made["ms_per_namespace"], made["kib_per_namespace"]
        ok = ms <= MAX_MS and kib <= MAX_KIB
        lines.append(
            f"  {label:>13} ({made['users']:>5} users): {ms * 1000:7.1f} µs, {kib:5.2f} KiB"
            f" per namespace  {verdict(ok)}"
        )
    http_ = figures["over_http"]
    lines.append(
        f"  over HTTP, 10,000 users: {http_['ms_per_request']:.3f} ms per first request,"
        f" server RSS +{http_['rss_kib_per_namespace']:.1f} KiB per namespace"
        f"  {verdict(http_['rss_kib_per_namespace'] <= MAX_KIB)}"
    )
    spread = figures["throughput"]
    lines += [
        "",
        f"login at {CONNS} connections, medians of {len(spread['runs']['default'])} rounds",
    ]
    for kind in ("default", "spread"):
        rps = [f"{r['rps']:.0f}" for r in spread["runs"][kind]]
        lines.append(
            f"  {kind:>7}: {spread['median_rps'][kind]:8.0f} req/s  (runs: {', '.join(rps)})"
        )
    lines.append(
        f"  spread / default = {spread['ratio']:.3f}  (target ≥ {MIN_RATIO})"
        f"  {verdict(spread['ratio'] >= MIN_RATIO)}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short load runs (a smoke test)")
    parser.add_argument("--duration", type=int, default=None, help="seconds per load run")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if wrk_path() is None:
        raise SystemExit("wrk is not on PATH (apt-get install wrk)")
    seconds = args.duration or (2 if args.quick else 10)
    rounds = 1 if args.quick else 3
    pin_harness()
    with tempfile.TemporaryDirectory(prefix="fakeauth-ns-bench-") as tmp:
        children = Children(Path(tmp))
        try:
            big = Path(tmp) / "users-10000.yaml"
            write_users(big, 10_000)
            figures: dict[str, Any] = {
                "wrk": wrk_version(),
                "pinned": pinning_available(),
                "in_process": {"bundled users": in_process(None), "10,000 users": in_process(big)},
                "over_http": over_http(children, big),
                "throughput": throughput(children, seconds, rounds),
            }
        finally:
            children.stop_all()
    print(report(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
