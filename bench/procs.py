"""Child processes of the bench: spawning, CPU pinning, readiness, RSS, cleanup.

Every process the bench starts goes through Children.spawn() and is killed
by Children.stop_all() in run.py's `finally`, so a failure or Ctrl-C never
leaves a server or a wrk behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVER_CPU = 0  # the server under test gets this core to itself ...
LOAD_CPU = 1  # ... the load generator and this harness share the other one

NICENESS = -10  # for servers and generators, when running as root

READY_RE = re.compile(rb"listening on (http://\S+)")


class ServerError(RuntimeError):
    """A server exited or did not become ready in time."""


def pinning_available() -> bool:
    return shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def pin_harness() -> None:
    """Keep this process (and its unpinned children) off the server's core."""
    if pinning_available():
        os.sched_setaffinity(0, {LOAD_CPU})


def pinned(cmd: Sequence[str], cpu: int) -> list[str]:
    """`cmd` on core `cpu`, and at a higher priority when we may raise it.

    taskset and nice exec the command, so the Popen pid is the command's own
    pid: SIGTERM and /proc/PID/status reach the right process.  The priority
    (root only) keeps other work on a shared machine from starving the
    server or the load generator, which would make the figures about that
    other work instead.
    """
    prefix = ["nice", "-n", str(NICENESS)] if raise_priority() else []
    if pinning_available():
        prefix = ["taskset", "-c", str(cpu), *prefix]
    return [*prefix, *cmd]


def raise_priority() -> bool:
    return os.geteuid() == 0 and shutil.which("nice") is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    """VmRSS of a live process, in KiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise ServerError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process has used so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        # Split after the ")" ending the command name, which may contain spaces;
        # fields[0] is then field 3 (state), so utime/stime (14/15) are 11/12.
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A running server process and what we learned while starting it."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    spawned_at: float
    ready_line_at: float | None = None  # when the "listening on" line arrived
    ready_url: str | None = None
    _lines: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def rss_kib(self) -> int:
        return rss_kib(self.proc.pid)

    def log_tail(self, limit: int = 2000) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            text = ""
        out = b"".join(self._lines).decode(errors="replace")
        return (out + text)[-limit:]


def _drain_stdout(server: Server) -> None:
    """Note when the ready line arrives, and keep the pipe from filling up."""
    assert server.proc.stdout is not None
    for line in server.proc.stdout:
        if server.ready_line_at is None:
            match = READY_RE.search(line)
            if match:
                server.ready_line_at = time.perf_counter()
                server.ready_url = match.group(1).decode()
        if len(server._lines) < 50:
            server._lines.append(line)


def server_env(pycache: Path) -> dict[str, str]:
    """The environment of the servers the bench starts.

    FAKEAUTH_* variables would silently change the server's options, so they
    go.  Bytecode is written under a private prefix (not into the repo), so
    that after one priming start every start reads cached bytecode, as on a
    developer's machine, even where PYTHONDONTWRITEBYTECODE is set.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FAKEAUTH_") and key != "PYTHONDONTWRITEBYTECODE"
    }
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


class Children:
    """Registry of every process the bench started."""

    def __init__(self, work_dir: Path) -> None:
        self.log_dir = work_dir
        self.env = server_env(work_dir / "pycache")
        self.procs: list[subprocess.Popen[Any]] = []
        self._count = 0

    def popen(self, cmd: Sequence[str], **kwargs: Any) -> subprocess.Popen[Any]:
        proc: subprocess.Popen[Any] = subprocess.Popen(list(cmd), **kwargs)
        self.procs.append(proc)
        return proc

    def spawn_server(self, name: str, cmd: Sequence[str], port: int) -> Server:
        """Start a server pinned to SERVER_CPU; stderr goes to a log file."""
        self._count += 1
        log = self.log_dir / f"{self._count:02d}-{name}.log"
        with open(log, "wb") as log_file:
            spawned_at = time.perf_counter()
            proc = self.popen(
                pinned(cmd, SERVER_CPU),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log_file,
                env=self.env,
            )
        server = Server(name, proc, port, log, spawned_at)
        threading.Thread(target=_drain_stdout, args=(server,), daemon=True).start()
        return server

    def stop(self, proc: subprocess.Popen[Any], grace: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds."""
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=grace)
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self.procs):
            try:
                self.stop(proc, grace=3.0)
            except Exception:
                proc.kill()


def wait_until(
    server: Server, probe: Callable[[int], bool], timeout: float, pause: float = 0.0005
) -> float:
    """Poll `probe(port)` in a tight loop until it is true.

    Returns seconds from spawning the process to the first successful probe.
    Bounded by `timeout`; fails fast if the process exits.  The short pause
    keeps the loop from hogging a core when pinning is unavailable.
    """
    deadline = server.spawned_at + timeout
    while time.perf_counter() < deadline:
        if probe(server.port):
            return time.perf_counter() - server.spawned_at
        if server.proc.poll() is not None:
            raise ServerError(
                f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}"
            )
        time.sleep(pause)
    raise ServerError(f"{server.name} not ready after {timeout:.0f} s:\n{server.log_tail()}")
