"""Start fakeauth the way a user does: ``python -m fakeauth serve`` in a subprocess.

The client proofs (Apollo Client, headless Chromium) talk to a real server
process over real sockets, so this helper starts one on a free port of
127.0.0.1, waits for its first stdout line::

    fakeauth listening on http://127.0.0.1:PORT/graphql

checks ``GET /health``, hands out the base URL, and always stops the process.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

#: The documented login instant, with the clock frozen there: john's tokens
#: then start with the same two segments as the documented example.
FROZEN_ARGS: tuple[str, ...] = ("--now", "2023-01-03T20:44:43Z", "--frozen")

LISTENING_RE = re.compile(r"fakeauth listening on (http://127\.0\.0\.1:[1-9][0-9]*)/graphql")

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

# Never go through a proxy to reach 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def missing_tool(reason: str) -> NoReturn:
    """Skip for a missing client tool (node, Chromium, Playwright), except in CI.

    With ``CI`` set (``.ci/run`` runs with ``CI=true``) a missing tool is a
    failed install step, so the test fails instead of quietly skipping.
    """
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


class FakeauthProcessError(RuntimeError):
    """fakeauth did not start, or died while a test was using it."""


class _Drain(threading.Thread):
    """Reads a pipe to its end, so that the server never blocks on a full pipe."""

    def __init__(self, pipe: IO[bytes], already: bytes) -> None:
        super().__init__(name="fakeauth-stdout", daemon=True)
        self._pipe = pipe
        self.data = bytearray(already)

    def run(self) -> None:
        fd = self._pipe.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.data += chunk
            del self.data[:-65536]  # keep the tail only


def _read_first_line(proc: subprocess.Popen[bytes], deadline: float) -> tuple[str, bytes]:
    """The first stdout line (without its newline) and any bytes read past it."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    buf = b""
    try:
        while b"\n" not in buf:
            if time.monotonic() > deadline:
                raise FakeauthProcessError(
                    f"no 'fakeauth listening on ...' line within {START_TIMEOUT:g} s"
                    " (is stdout flushed after that line when it is a pipe?);"
                    f" stdout so far: {buf!r}"
                )
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                if proc.poll() is not None:
                    raise FakeauthProcessError(
                        f"fakeauth exited with code {proc.returncode} before listening;"
                        f" stdout: {buf!r}"
                    ) from None
                # Bounded poll: the deadline above ends it.
                time.sleep(0.02)
                continue
            if not chunk:
                raise FakeauthProcessError(
                    f"fakeauth closed stdout before a full line (exit code {proc.poll()});"
                    f" stdout: {buf!r}"
                )
            buf += chunk
    finally:
        os.set_blocking(fd, True)
    line, _, rest = buf.partition(b"\n")
    return line.decode("utf-8", "replace").rstrip("\r"), rest


def _wait_healthy(base_url: str, proc: subprocess.Popen[bytes], deadline: float) -> None:
    last: object = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise FakeauthProcessError(f"fakeauth exited with code {proc.returncode}")
        try:
            with _OPENER.open(f"{base_url}/health", timeout=5) as response:
                if response.status == 200:
                    return
                last = response.status
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.05)
    raise FakeauthProcessError(f"GET {base_url}/health never answered 200: {last!r}")


@contextlib.contextmanager
def running_server(*args: str) -> Iterator[str]:
    """Run ``python -m fakeauth serve --host 127.0.0.1 --port 0 *args``.

    Yields the base URL, ``http://127.0.0.1:PORT`` (GraphQL is at
    ``{base_url}/graphql``). The process is terminated on exit, killed if it
    does not stop within ``STOP_TIMEOUT``; a server that died while in use is
    reported as an error, with its stderr.
    """
    command = [
        sys.executable,
        "-m",
        "fakeauth",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        *args,
    ]
    # As a user's shell would: stdout is a pipe and Python buffers it unless the
    # server flushes its "listening" line, so that is tested the same everywhere.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
        drain: _Drain | None = None

        def stderr_text() -> str:
            stderr.seek(0)
            return stderr.read().decode("utf-8", "replace")[-4000:]

        try:
            try:
                deadline = time.monotonic() + START_TIMEOUT
                line, rest = _read_first_line(proc, deadline)
                assert proc.stdout is not None
                drain = _Drain(proc.stdout, rest)
                drain.start()
                match = LISTENING_RE.fullmatch(line)
                if match is None:
                    raise FakeauthProcessError(
                        "first stdout line is not 'fakeauth listening on"
                        f" http://127.0.0.1:PORT/graphql': {line!r}"
                    )
                base_url = match.group(1)
                _wait_healthy(base_url, proc, deadline)
            except FakeauthProcessError as exc:
                raise FakeauthProcessError(
                    f"{exc}\ncommand: {command}\nstderr:\n{stderr_text()}"
                ) from None
            yield base_url
            if proc.poll() is not None:
                raise FakeauthProcessError(
                    f"fakeauth died while in use (exit code {proc.returncode})"
                    f"\nstderr:\n{stderr_text()}"
                )
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if drain is not None:
                drain.join(timeout=STOP_TIMEOUT)
            assert proc.stdout is not None
            proc.stdout.close()
