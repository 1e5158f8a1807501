"""Run one load point with wrk (preferred) or bench/pyload.py (fallback).

Both generators run as a child process pinned to the load core, send the
same requests over keep-alive connections, and report the same figures,
which end up in a LoadResult.
"""

from __future__ import annotations

import json
import math
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from gql import Op
from procs import LOAD_CPU, Children, pinned

BENCH_DIR = Path(__file__).resolve().parent
WRK_SCRIPT = BENCH_DIR / "wrk_gql.lua"
PYLOAD = BENCH_DIR / "pyload.py"

LIMIT_LINE = "WRK-LIMIT-REACHED"
RESULT_PREFIXES = ("WRK-RESULT ", "PYLOAD-RESULT ")
GRACE_S = 60.0  # on top of the duration, before we give up on a generator


@dataclass
class LoadResult:
    generator: str
    connections: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors + timeouts + HTTP >= 400 + GraphQL errors
    error_detail: dict[str, int]


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if not path:
        return "missing"
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).split("Copyright")[0].strip()


def choose_generator(requested: str) -> str:
    """'wrk' when asked for or available on PATH, else 'python'."""
    if requested == "wrk" and not wrk_path():
        raise SystemExit("--generator wrk: wrk is not on PATH (apt-get install wrk)")
    if requested == "auto":
        return "wrk" if wrk_path() else "python"
    return requested


def _result(generator: str, conns: int, figures: dict[str, float]) -> LoadResult:
    seconds = figures["duration_us"] / 1e6
    detail = {
        key: int(figures[key])
        for key in (
            "connect_errors",
            "read_errors",
            "write_errors",
            "timeouts",
            "status_errors",
            "graphql_errors",
        )
    }
    requests = int(figures["requests"])
    return LoadResult(
        generator=generator,
        connections=conns,
        requests=requests,
        seconds=seconds,
        rps=requests / seconds if seconds > 0 else 0.0,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=sum(detail.values()),
        error_detail=detail,
    )


def _parse(generator: str, conns: int, stdout: str, stderr: str) -> LoadResult:
    for line in stdout.splitlines():
        for prefix in RESULT_PREFIXES:
            if line.startswith(prefix):
                return _result(generator, conns, json.loads(line[len(prefix) :]))
    raise RuntimeError(f"{generator} printed no result:\n{stdout[-1500:]}\n{stderr[-1500:]}")


def _wrk_cmd(url: str, ops: Sequence[Op], conns: int, seconds: int, limit: int) -> list[str]:
    op_args: list[str] = []
    for op in ops:
        op_args += [op.body, op.auth or "-"]
    return [
        "wrk",
        "-t1",  # one thread: the load core is a single core
        f"-c{conns}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(WRK_SCRIPT),
        url,
        "--",
        str(limit),
        *op_args,
    ]


def _interrupt(proc: subprocess.Popen[str]) -> None:
    """SIGINT wrk, again if needed: it ignores SIGINT for its first instants."""
    for _ in range(10):
        if proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            continue


def _collect(stream: IO[str], sink: list[str], proc: subprocess.Popen[str]) -> None:
    """Read wrk's output; interrupt wrk once the Lua script says LIMIT was reached."""
    for line in stream:
        sink.append(line)
        if line.strip() == LIMIT_LINE:
            # In a thread of its own: this one must keep draining the pipe.
            threading.Thread(target=_interrupt, args=(proc,), daemon=True).start()


def run_wrk(
    children: Children, url: str, ops: Sequence[Op], conns: int, duration: float, limit: int
) -> LoadResult:
    # wrk takes whole seconds; with a limit, the duration is only a safety cap.
    seconds = max(1, math.ceil(duration))
    proc = children.popen(
        pinned(_wrk_cmd(url, ops, conns, seconds, limit), LOAD_CPU),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # Lua errors land in the same stream
        text=True,
    )
    out: list[str] = []
    reader = threading.Thread(target=_collect, args=(proc.stdout, out, proc), daemon=True)
    reader.start()
    try:
        proc.wait(timeout=seconds + GRACE_S)
        reader.join(timeout=10)
    finally:
        children.stop(proc)
    return _parse("wrk", conns, "".join(out), "")


def run_python(
    children: Children, url: str, ops: Sequence[Op], conns: int, duration: float, limit: int
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump([{"body": op.body, "headers": op.headers} for op in ops], spec)
    cmd = [
        sys.executable,
        str(PYLOAD),
        f"--url={url}",
        f"--spec={spec.name}",
        f"--conns={conns}",
        f"--duration={duration}",
        f"--limit={limit}",
    ]
    proc = children.popen(
        pinned(cmd, LOAD_CPU),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=duration + GRACE_S)
    finally:
        children.stop(proc)
        Path(spec.name).unlink(missing_ok=True)
    return _parse("python", conns, out, err)


def run_load(
    children: Children,
    generator: str,
    url: str,
    ops: Sequence[Op],
    conns: int,
    duration: float,
    limit: int = 0,
) -> LoadResult:
    """Send `ops` (in turn) over `conns` connections for `duration` seconds,
    or until `limit` responses when limit > 0 (the duration then caps it)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the bench only sends traffic to 127.0.0.1")
    run = run_wrk if generator == "wrk" else run_python
    return run(children, url, ops, conns, duration, limit)
