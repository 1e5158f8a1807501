"""Benchmark fakeauth against the aiohttp ceiling, in one run.

    python bench/run.py [--quick] [--duration SECONDS] [--json PATH]

Run from the repository root with the project installed in the active
virtualenv.  See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

# Let `python bench/run.py` and `python -m bench.run` both find the sibling modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gql import (
    Op,
    Tokens,
    ceiling_answers,
    login_op,
    products_op,
    profile_op,
    refresh_op,
    run_op,
    tokens_of,
    try_login,
)
from load import LoadResult, choose_generator, run_load, wrk_version
from procs import (
    LOAD_CPU,
    SERVER_CPU,
    Children,
    Server,
    ServerError,
    cpu_seconds,
    free_port,
    pin_harness,
    pinning_available,
    rss_kib,
    wait_until,
)

BENCH_DIR = Path(__file__).resolve().parent
NOW = "2023-01-03T20:44:43Z"  # the reference's example time; --frozen keeps tokens valid
CONNS = (32, 1)
MIB = 1024  # KiB per MiB
START_TIMEOUT_S = 300.0  # generous: 100,000 users may take a while to load

# Below this CPU share at 32 connections, a server was not the bottleneck of its point;
# such a point is run again, at most RETRIES more times, keeping the best-fed run.
SATURATED_CPU = 0.9
RETRIES = 2

# Targets from issue #5.
LOGIN_RATIO_MIN = 0.15
LOGIN_RATIO_STRETCH = 0.25
PROFILE_P50_RATIO_MAX = 3.0
START_MS_MAX = 350.0
USERS_10K_EXTRA_MS_MAX = 300.0
IDLE_RSS_MIB_MAX = 50.0
SOAK_GROWTH_MIB_MAX = 5.0  # "no growth beyond a few MiB"
# Targets from the catalogue issue.
PRODUCTS_RATIO_MIN = 0.10
PRODUCTS_P50_RATIO_MAX = 5.0
CATALOG_EXTRA_MS_MAX = 20.0
EMPTY_CATALOG = "categories: []\nproducts: []\n"


@dataclass(frozen=True)
class Settings:
    generator: str
    duration: float  # seconds per load point
    warmup: float  # seconds of load per operation before measuring it; 0 = none
    starts: int  # cold starts with the default users
    user_files: tuple[tuple[int, int], ...]  # (users in the file, starts with it)
    soak_warmup: int  # requests before the idle RSS is read
    soak_requests: int
    soak_conns: int = 32
    quick: bool = False


def settings_from(args: argparse.Namespace) -> Settings:
    generator = choose_generator(args.generator)
    if args.quick:
        return Settings(
            generator=generator,
            duration=args.duration or 1.0,
            warmup=0.0,
            starts=3,
            user_files=((10_000, 1),),
            soak_warmup=1_000,
            soak_requests=4_000,
            quick=True,
        )
    return Settings(
        generator=generator,
        duration=args.duration or 10.0,
        warmup=2.0,
        starts=7,
        # 100,000 users only show how loading scales (no target): one start will do.
        user_files=((10_000, 3), (100_000, 1)),
        soak_warmup=10_000,
        soak_requests=100_000,
    )


# --------------------------------------------------------------------------
# Results


@dataclass
class OpRow:
    name: str
    connections: int
    result: LoadResult | None = None
    server_cpu: float = 0.0  # server CPU seconds per second of load (1.0 = its whole core)
    runs: int = 1
    failure: str | None = None  # why the operation was not measured


@dataclass
class StartSamples:
    label: str
    users: int | None  # None: the bundled default users
    file_bytes: int = 0
    catalog: str | None = None  # a catalogue file; None: the bundled one
    seconds: list[float] = field(default_factory=list)  # spawn -> first login
    ready_line: list[float] = field(default_factory=list)  # spawn -> stdout line
    rss_kib: list[int] = field(default_factory=list)  # right after first login

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def rss_mib(self) -> float:
        return statistics.median(self.rss_kib) / MIB


@dataclass
class Soak:
    requests: int
    idle_rss_kib: int
    rss_kib: list[int]  # before, after half, after all
    peak_kib: int
    loads: list[LoadResult]
    server_cpu: list[float]

    @property
    def growth_mib(self) -> float:
        return (self.rss_kib[-1] - self.rss_kib[0]) / MIB


@dataclass
class Report:
    settings: Settings
    environment: dict[str, str]
    ops: list[OpRow] = field(default_factory=list)
    starts: list[StartSamples] = field(default_factory=list)
    soak: Soak | None = None
    notes: list[str] = field(default_factory=list)

    def row(self, name: str, conns: int) -> OpRow | None:
        for row in self.ops:
            if row.name == name and row.connections == conns:
                return row
        return None


# --------------------------------------------------------------------------
# Servers


def fakeauth_cmd(port: int, users: Path | None = None, catalog: Path | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "fakeauth", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--now", NOW, "--frozen"]
    if users is not None:
        cmd += ["--users", str(users)]
    if catalog is not None:
        cmd += ["--catalog", str(catalog)]
    return cmd


def ceiling_cmd(port: int) -> list[str]:
    return [sys.executable, str(BENCH_DIR / "ceiling.py"), "--port", str(port)]


@dataclass
class Started:
    server: Server
    seconds: float  # spawn -> first successful probe
    tokens: Tokens | None = None


def start_fakeauth(
    children: Children,
    users: Path | None = None,
    login: Op | None = None,
    catalog: Path | None = None,
) -> Started:
    """Spawn fakeauth and poll logins until one returns tokens.

    We pick the port ourselves instead of passing --port 0: with port 0 the
    port is only known from the stdout line, and the issue asks for the time
    to the first successful login, polled from the moment of spawning.
    """
    login = login or login_op()
    got: list[Tokens] = []

    def logged_in(port: int) -> bool:
        tokens = try_login(port, login)
        if tokens:
            got.append(tokens)
        return tokens is not None

    port = free_port()
    server = children.spawn_server("fakeauth", fakeauth_cmd(port, users, catalog), port)
    seconds = wait_until(server, logged_in, START_TIMEOUT_S)
    return Started(server, seconds, got[0])


def start_ceiling(children: Children) -> Started:
    port = free_port()
    server = children.spawn_server("ceiling", ceiling_cmd(port), port)
    return Started(server, wait_until(server, ceiling_answers, 30.0))


def load_on(
    children: Children,
    s: Settings,
    server: Server,
    ops: list[Op],
    conns: int,
    duration: float,
    limit: int = 0,
) -> tuple[LoadResult, float]:
    """One load point, plus the server's CPU share during it.

    At 32 connections a server that is the bottleneck uses ~100% of its core;
    much less means another process took the core (the machine is shared)
    or the generator could not keep up: either way, a figure to distrust.
    """
    before = cpu_seconds(server.proc.pid)
    result = run_load(children, s.generator, server.url, ops, conns, duration, limit)
    used = cpu_seconds(server.proc.pid) - before
    return result, used / result.seconds if result.seconds else 0.0


def point(
    children: Children, s: Settings, server: Server, op: Op, conns: int
) -> tuple[LoadResult, float, int]:
    """A measured load point: (result, server CPU share, runs).

    The machine may be shared: when the server did not get its core at full
    load, the point is run again and the best-fed run kept.
    """
    result, cpu = load_on(children, s, server, [op], conns, s.duration)
    runs = 1
    # Only with wrk: the Python generator cannot saturate the ceiling anyway.
    retry = s.generator == "wrk" and conns == CONNS[0]
    while retry and cpu < SATURATED_CPU and runs <= RETRIES:
        again, again_cpu = load_on(children, s, server, [op], conns, s.duration)
        runs += 1
        if again_cpu > cpu:
            result, cpu = again, again_cpu
    return result, cpu, runs


@contextmanager
def running(children: Children, started: Started) -> Iterator[Started]:
    try:
        yield started
    finally:
        children.stop(started.server.proc)


# --------------------------------------------------------------------------
# Measurements


def measure_ceiling(children: Children, s: Settings, report: Report) -> None:
    with running(children, start_ceiling(children)) as ceiling:
        # Same request as the login point: the ceiling pays the same parsing of the POST.
        op = Op("ceiling", login_op().body)
        if s.warmup:
            run_load(children, s.generator, ceiling.server.url, [op], CONNS[0], s.warmup)
        for conns in CONNS:
            report.ops.append(
                OpRow("ceiling", conns, *point(children, s, ceiling.server, op, conns))
            )


def checked_ops(port: int, tokens: Tokens) -> tuple[list[Op], dict[str, str]]:
    """The operations, each sent once first: a failing one is reported, not measured."""
    ops, failures = [], {}
    for op in (login_op(), profile_op(tokens), refresh_op(tokens), products_op()):
        try:
            result = run_op(port, op)
            if op.name in ("login", "refreshToken"):
                tokens_of(result)
            ops.append(op)
        except (OSError, ValueError) as error:
            failures[op.name] = str(error)
    return ops, failures


def measure_fakeauth_ops(children: Children, s: Settings, report: Report) -> None:
    with running(children, start_fakeauth(children)) as fake:
        assert fake.tokens is not None
        ops, failures = checked_ops(fake.server.port, fake.tokens)
        for op in ops:
            if s.warmup:
                run_load(children, s.generator, fake.server.url, [op], CONNS[0], s.warmup)
        for conns in CONNS:
            for name in ("login", "myProfile", "refreshToken", "products"):
                if name in failures:
                    report.ops.append(OpRow(name, conns, failure=failures[name]))
                    continue
                op = next(op for op in ops if op.name == name)
                report.ops.append(OpRow(name, conns, *point(children, s, fake.server, op, conns)))


def sample_start(children: Children, samples: StartSamples, users: Path | None, login: Op) -> None:
    catalog = None if samples.catalog is None else Path(samples.catalog)
    with running(children, start_fakeauth(children, users, login, catalog)) as fake:
        samples.seconds.append(fake.seconds)
        samples.rss_kib.append(fake.server.rss_kib())
        # The stdout line normally came first; give the reader thread a moment.
        deadline = time.perf_counter() + 1.0
        while fake.server.ready_line_at is None and time.perf_counter() < deadline:
            time.sleep(0.001)
        if fake.server.ready_line_at is not None:
            samples.ready_line.append(fake.server.ready_line_at - fake.server.spawned_at)


def measure_cold_starts(children: Children, s: Settings, report: Report) -> StartSamples:
    samples = StartSamples("default (3 users)", users=None)
    # Discarded: the first start of a run compiles and caches the bytecode.
    sample_start(children, StartSamples("priming", users=None), None, login_op())
    for _ in range(s.starts):
        sample_start(children, samples, None, login_op())
    report.starts.append(samples)
    return samples


def measure_catalog_start(children: Children, s: Settings, report: Report, tmp: Path) -> None:
    """Starts with an empty catalogue: what the bundled one adds is the difference."""
    path = tmp / "empty-catalog.yaml"
    path.write_text(EMPTY_CATALOG, encoding="utf-8")
    samples = StartSamples("empty catalogue", users=None, catalog=str(path))
    for _ in range(s.starts):
        sample_start(children, samples, None, login_op())
    report.starts.append(samples)


def write_users(path: Path, count: int) -> None:
    """A users file in the fixtures' format; every 50th user is an admin."""
    lines = ["users:"]
    for i in range(1, count + 1):
        role = "admin" if i % 50 == 0 else "customer"
        lines += [
            f"  - id: {i}",
            f"    email: user{i}@mail.com",
            f"    password: pass{i}",
            f"    name: User {i}",
            f"    role: {role}",
            f"    avatar: https://example.com/a{i}.png",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure_user_files(children: Children, s: Settings, report: Report, tmp: Path) -> None:
    for count, starts in s.user_files:
        path = tmp / f"users-{count}.yaml"
        write_users(path, count)
        samples = StartSamples(f"{count:,} users", users=count, file_bytes=path.stat().st_size)
        # Log in as the last user: it proves the whole file was loaded.
        login = login_op(f"user{count}@mail.com", f"pass{count}")
        for _ in range(starts):
            sample_start(children, samples, path, login)
        report.starts.append(samples)


def peak_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def settled_rss(pid: int) -> int:
    # Let in-flight work and closed connections be released before reading.
    time.sleep(1.0)
    return rss_kib(pid)


def measure_soak(children: Children, s: Settings, report: Report) -> None:
    with running(children, start_fakeauth(children)) as fake:
        assert fake.tokens is not None
        ops, failures = checked_ops(fake.server.port, fake.tokens)
        if failures:
            report.notes.append(f"soak without {', '.join(failures)} (failed the check)")
        pid = fake.server.proc.pid
        # A cap on time for each half; the request count ends it long before.
        cap = max(60.0, s.soak_requests / 100)

        load_on(children, s, fake.server, ops, s.soak_conns, cap, limit=s.soak_warmup)
        idle = settled_rss(pid)
        rss, loads, cpu = [idle], [], []
        for half in (s.soak_requests // 2, s.soak_requests - s.soak_requests // 2):
            result, share = load_on(children, s, fake.server, ops, s.soak_conns, cap, half)
            loads.append(result)
            cpu.append(share)
            rss.append(settled_rss(pid))
        report.soak = Soak(s.soak_requests, idle, rss, peak_kib(pid), loads, cpu)


# --------------------------------------------------------------------------
# Output


def table(rows: list[list[str]], indent: str = "  ") -> str:
    """Left-align the first column, right-align the others."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append(indent + "  ".join(cells).rstrip())
    return "\n".join(lines)


def ratios(report: Report, row: OpRow) -> tuple[float, float] | None:
    """(throughput ratio, p50 latency ratio) of a row to the ceiling's."""
    ceiling = report.row("ceiling", row.connections)
    if not (row.result and ceiling and ceiling.result and ceiling.result.rps):
        return None
    c = ceiling.result
    return row.result.rps / c.rps, row.result.p50_ms / c.p50_ms if c.p50_ms else float("nan")


def ops_table(report: Report) -> str:
    header = ["operation", "conns", "req/s", "p50 ms", "p99 ms", "rps/ceil", "p50/ceil"]
    rows = [[*header, "errors", "srv CPU"]]
    for row in report.ops:
        if row.result is None:
            rows.append([row.name, str(row.connections), "not measured", "", "", "", "", "", ""])
            continue
        r, ratio = row.result, ratios(report, row)
        rps_ratio, p50_ratio = ratio if ratio else (float("nan"), float("nan"))
        rows.append(
            [
                row.name,
                str(row.connections),
                f"{r.rps:,.0f}",
                f"{r.p50_ms:.3f}",
                f"{r.p99_ms:.3f}",
                f"{rps_ratio:.3f}",
                f"{p50_ratio:.2f}",
                str(r.errors),
                f"{row.server_cpu:.0%}",
            ]
        )
    return table(rows)


def starts_table(report: Report) -> str:
    default = report.starts[0] if report.starts else None
    rows = [
        [
            "server start",
            "starts",
            "median ms",
            "min-max ms",
            "extra ms",
            "ready line ms",
            "RSS MiB",
        ]
    ]
    for samples in report.starts:
        ms = [x * 1000 for x in samples.seconds]
        extra = samples.median_ms - default.median_ms if default and samples.users else None
        ready = statistics.median(samples.ready_line) * 1000 if samples.ready_line else None
        label = samples.label
        if samples.file_bytes:
            label += f" ({samples.file_bytes / 1e6:.1f} MB YAML)"
        rows.append(
            [
                label,
                str(len(ms)),
                f"{samples.median_ms:.0f}",
                f"{min(ms):.0f}-{max(ms):.0f}",
                f"{extra:+.0f}" if extra is not None else "",
                f"{ready:.0f}" if ready is not None else "?",
                f"{samples.rss_mib:.1f}",
            ]
        )
    return table(rows)


def soak_text(soak: Soak) -> str:
    rss = " -> ".join(f"{kib / MIB:.1f}" for kib in soak.rss_kib)
    total = sum(load.requests for load in soak.loads)
    seconds = sum(load.seconds for load in soak.loads)
    errors = sum(load.errors for load in soak.loads)
    cpu = ", ".join(f"{share:.0%}" for share in soak.server_cpu)
    return (
        f"  idle RSS (started, warmed up):  {soak.idle_rss_kib / MIB:.1f} MiB\n"
        f"  soak: {total:,} requests (login/myProfile/refreshToken in turn, "
        f"{soak.loads[0].connections} conns) at {total / seconds:,.0f} req/s, {errors} errors, "
        f"server CPU {cpu}\n"
        f"  soak RSS before -> half -> after:  {rss} MiB  "
        f"(growth {soak.growth_mib:+.1f} MiB, peak {soak.peak_kib / MIB:.1f} MiB)"
    )


@dataclass
class Verdict:
    what: str
    value: str
    target: str
    ok: bool | None  # None: could not be measured

    @property
    def word(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.ok]


def verdicts(report: Report) -> list[Verdict]:
    out = []
    login = report.row("login", 32)
    login_ratio = ratios(report, login) if login else None
    value = f"{login_ratio[0]:.3f}" if login_ratio else "-"
    for label, limit in (("", LOGIN_RATIO_MIN), (" (stretch)", LOGIN_RATIO_STRETCH)):
        ok = login_ratio[0] >= limit if login_ratio else None
        out.append(
            Verdict(f"login throughput / ceiling, 32 conns{label}", value, f">= {limit}", ok)
        )

    profile = report.row("myProfile", 1)
    profile_ratio = ratios(report, profile) if profile else None
    out.append(
        Verdict(
            "myProfile p50 / ceiling p50, 1 conn",
            f"{profile_ratio[1]:.2f}" if profile_ratio else "-",
            f"<= {PROFILE_P50_RATIO_MAX:g}",
            profile_ratio[1] <= PROFILE_P50_RATIO_MAX if profile_ratio else None,
        )
    )

    products = report.row("products", 32)
    products_ratio = ratios(report, products) if products else None
    out.append(
        Verdict(
            "products throughput / ceiling, 32 conns",
            f"{products_ratio[0]:.3f}" if products_ratio else "-",
            f">= {PRODUCTS_RATIO_MIN}",
            products_ratio[0] >= PRODUCTS_RATIO_MIN if products_ratio else None,
        )
    )
    products_1 = report.row("products", 1)
    products_1_ratio = ratios(report, products_1) if products_1 else None
    out.append(
        Verdict(
            "products p50 / ceiling p50, 1 conn",
            f"{products_1_ratio[1]:.2f}" if products_1_ratio else "-",
            f"<= {PRODUCTS_P50_RATIO_MAX:g}",
            products_1_ratio[1] <= PRODUCTS_P50_RATIO_MAX if products_1_ratio else None,
        )
    )

    default = next((x for x in report.starts if x.users is None and x.catalog is None), None)
    empty = next((x for x in report.starts if x.catalog is not None), None)
    bundled = default.median_ms - empty.median_ms if default and empty else None
    out.append(
        Verdict(
            "bundled catalogue: extra start time",
            f"{bundled:+.0f} ms" if bundled is not None else "-",
            f"<= {CATALOG_EXTRA_MS_MAX:g} ms",
            bundled <= CATALOG_EXTRA_MS_MAX if bundled is not None else None,
        )
    )
    out.append(
        Verdict(
            "start to first successful login (median)",
            f"{default.median_ms:.0f} ms" if default else "-",
            f"<= {START_MS_MAX:g} ms",
            default.median_ms <= START_MS_MAX if default else None,
        )
    )
    users_10k = next((x for x in report.starts if x.users == 10_000), None)
    extra = users_10k.median_ms - default.median_ms if users_10k and default else None
    out.append(
        Verdict(
            "10,000 users: extra start time",
            f"{extra:+.0f} ms" if extra is not None else "-",
            f"<= {USERS_10K_EXTRA_MS_MAX:g} ms",
            extra <= USERS_10K_EXTRA_MS_MAX if extra is not None else None,
        )
    )

    soak = report.soak
    out.append(
        Verdict(
            "idle RSS",
            f"{soak.idle_rss_kib / MIB:.1f} MiB" if soak else "-",
            f"<= {IDLE_RSS_MIB_MAX:g} MiB",
            soak.idle_rss_kib / MIB <= IDLE_RSS_MIB_MAX if soak else None,
        )
    )
    out.append(
        Verdict(
            f"soak RSS growth ({soak.requests:,} requests)" if soak else "soak RSS growth",
            f"{soak.growth_mib:+.1f} MiB" if soak else "-",
            f"<= {SOAK_GROWTH_MIB_MAX:g} MiB",
            soak.growth_mib <= SOAK_GROWTH_MIB_MAX if soak else None,
        )
    )
    return out


def header(report: Report) -> str:
    s, env = report.settings, report.environment
    mode = " (--quick: a smoke run, not figures to quote)" if s.quick else ""
    warm = f", {s.warmup:g} s warm-up per operation" if s.warmup else ", no warm-up"
    busy = " (other processes busy: expect noise)" if float(env["load_average"]) > 0.5 else ""
    return (
        f"fakeauth {env['fakeauth']} bench{mode}\n"
        f"  Python {env['python']}, {env['cpus']} CPUs; {env['pinning']}\n"
        f"  load generator: {env['generator']}\n"
        f"  {s.duration:g} s per load point{warm}; "
        f"--now {NOW} --frozen\n"
        f"  1-min load average before the run: {env['load_average']}{busy}"
    )


def render(report: Report) -> str:
    parts = [
        header(report),
        "",
        "Throughput and latency (ratios against the ceiling at the same conns)",
    ]
    parts.append(ops_table(report))
    for row in report.ops:
        if row.failure and row.connections == CONNS[0]:  # same reason at every conns
            parts.append(f"  ! {row.name} not measured: {row.failure}")
        elif row.result and row.result.errors:
            detail = {k: v for k, v in row.result.error_detail.items() if v}
            parts.append(f"  ! {row.name} @{row.connections}: errors {detail}")
    retried = [f"{row.name}@{row.connections}" for row in report.ops if row.runs > 1]
    starved = [
        f"{row.name}@{row.connections}"
        for row in report.ops
        if row.result and row.connections == CONNS[0] and row.server_cpu < SATURATED_CPU
    ]
    if retried:
        parts.append(f"  ! re-run for lack of server CPU, best run kept: {', '.join(retried)}")
    if starved:
        parts.append(
            f"  ! server CPU below {SATURATED_CPU:.0%} under full load ({', '.join(starved)}): "
            "another process took its core or the generator was the limit; "
            "those figures understate the server"
        )
    parts += ["", "Start (spawn -> first login returning tokens) and memory", starts_table(report)]
    if report.soak:
        parts += ["", soak_text(report.soak)]
    parts += ["", "Targets (issue #5, and the catalogue issue's)"]
    parts.append(table([[v.what, v.value, v.target, v.word] for v in verdicts(report)]))
    parts += [f"  note: {note}" for note in report.notes]
    return "\n".join(parts)


def to_json(report: Report) -> dict[str, Any]:
    doc = asdict(report)
    doc["ratios"] = {
        f"{row.name}@{row.connections}": dict(zip(("rps", "p50"), r, strict=True))
        for row in report.ops
        if (r := ratios(report, row))
    }
    doc["start_medians_ms"] = {x.label: x.median_ms for x in report.starts}
    doc["targets"] = [asdict(v) | {"result": v.word} for v in verdicts(report)]
    return doc


# --------------------------------------------------------------------------
# Main


def load_average() -> str:
    """1-minute load average: anything well above 0 means other processes
    competed for the two cores and the figures are noisier."""
    with open("/proc/loadavg", encoding="ascii") as f:
        return f.read().split()[0]


def environment(s: Settings) -> dict[str, str]:
    # The package the servers will import (PYTHONPATH may point at another checkout).
    version = str(importlib.import_module("fakeauth").__version__)
    if s.generator == "wrk":
        generator = f"{wrk_version()}, -t1, keep-alive, Lua script bench/wrk_gql.lua"
    else:
        why = "wrk not found on PATH" if wrk_version() == "missing" else "--generator python"
        generator = f"python (bench/pyload.py, aiohttp client; {why}); it limits the ceiling"
    if pinning_available():
        pinning = f"server pinned to CPU {SERVER_CPU}, load generator and harness to CPU {LOAD_CPU}"
    else:
        pinning = "NOT pinned (needs taskset and 2 CPUs): figures are less stable"
    return {
        "load_average": load_average(),
        "fakeauth": version,
        "python": platform.python_version(),
        "cpus": str(os.cpu_count()),
        "generator": generator,
        "pinning": pinning,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark fakeauth against the aiohttp ceiling.")
    parser.add_argument("--quick", action="store_true", help="short smoke run (~30 s)")
    parser.add_argument(
        "--duration", type=float, help="seconds per load point (default 10; quick 1)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator (default: wrk when on PATH, else python)",
    )
    args = parser.parse_args(argv)
    if args.duration is not None and not 0 < args.duration <= 600:
        parser.error("--duration must be in (0, 600] seconds")
    return args


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM takes the same path as Ctrl-C, so the `finally` stops every child.
    raise KeyboardInterrupt


def run(s: Settings, report: Report, children: Children, tmp: Path) -> None:
    steps: list[tuple[str, Callable[[], object]]] = [
        ("ceiling", lambda: measure_ceiling(children, s, report)),
        ("fakeauth operations", lambda: measure_fakeauth_ops(children, s, report)),
        ("cold starts", lambda: measure_cold_starts(children, s, report)),
        ("cold starts, empty catalogue", lambda: measure_catalog_start(children, s, report, tmp)),
        ("users files", lambda: measure_user_files(children, s, report, tmp)),
        ("idle memory and soak", lambda: measure_soak(children, s, report)),
    ]
    for name, step in steps:
        started = time.perf_counter()
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        try:
            step()
        except (ServerError, RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            # One broken step should not cost the figures of the others.
            print(f"[bench] {name} FAILED: {error}", file=sys.stderr, flush=True)
            report.notes.append(f"{name} failed: {(str(error).splitlines() or [repr(error)])[0]}")
            continue
        print(
            f"[bench] {name} done in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if importlib.util.find_spec("fakeauth") is None:
        print(
            "fakeauth is not importable: run `pip install -e .` in the repo root", file=sys.stderr
        )
        return 2
    s = settings_from(args)
    pin_harness()
    signal.signal(signal.SIGTERM, _terminate)
    report = Report(s, environment(s))
    with tempfile.TemporaryDirectory(prefix="fakeauth-bench-") as tmp:
        children = Children(Path(tmp))
        try:
            run(s, report, children, Path(tmp))
        except KeyboardInterrupt:
            print("[bench] interrupted; figures so far:", file=sys.stderr)
            report.notes.append("interrupted: the run is incomplete")
            status = 130
        else:
            status = 0
        finally:
            children.stop_all()
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(to_json(report), indent=2) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
