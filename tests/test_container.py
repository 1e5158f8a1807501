"""The container image: the repository's Dockerfile, built and run here with podman.

There is no Docker engine and no registry for base images here, so
scripts/build-image.sh builds the same Dockerfile on a base made from Debian's packages.
The container runs with runc (crun fails on this host's cgroups), explicit ulimits, and
the host's network: the server binds the image's 0.0.0.0 on a free port, reached on
127.0.0.1, so no traffic leaves loopback. Each container is removed by its own id.

Build and start times, the stop time and the image size are printed in the terminal
summary (tests/conftest.py) and kept as junit properties.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import DOC_ACCESS_PREFIX, DOC_NOW, LOGIN, PROFILE, missing_tool

ROOT = Path(__file__).parent.parent
IMAGE = "localhost/fakeauth:test"
BUILD_TIMEOUT = 900  # a first build makes the base too: about three minutes here
PODMAN_RUN = (
    "run",
    "--detach",
    "--runtime",
    "runc",
    "--ulimit",
    "nofile=4096:4096",
    "--ulimit",
    "nproc=4096:4096",
    "--network",
    "host",
)
# Never through a proxy to reach 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
Record = Callable[[str, object], None]


def podman(*args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["podman", *args], capture_output=True, text=True, timeout=timeout, check=check
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def call(url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """Status and JSON of one request; an HTTP error status is an answer too."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data, {"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def is_running(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting for conmon to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def image() -> dict[str, object]:
    """The image, built by scripts/build-image.sh; what the build took and made."""
    missing = [tool for tool in ("podman", "runc", "mmdebstrap") if shutil.which(tool) is None]
    if missing:
        missing_tool(
            f"{', '.join(missing)} missing: the image test needs them"
            " (Debian: apt-get install podman runc mmdebstrap; .ci/run installs them)"
        )
    if os.geteuid() != 0:
        missing_tool("the image test needs root: mmdebstrap and podman's storage")
    started = time.monotonic()
    build = subprocess.run(
        [str(ROOT / "scripts" / "build-image.sh"), IMAGE],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    seconds = time.monotonic() - started
    size = int(podman("image", "inspect", IMAGE, "--format", "{{.Size}}").stdout)
    return {"build_seconds": seconds, "size_bytes": size}


@pytest.fixture
def run_container(image: dict[str, object]) -> Iterator[Callable[..., tuple[str, str, float]]]:
    """Start the image with these FAKEAUTH_* variables on a free port: (id, base URL,
    seconds from `podman run` to a healthy /health). Removed after the test, by id."""
    started: list[str] = []

    def run(**variables: str) -> tuple[str, str, float]:
        port = free_port()
        env = {"FAKEAUTH_PORT": str(port), **variables}
        flags = [f"--env={name}={value}" for name, value in env.items()]
        began = time.monotonic()
        container = podman(*PODMAN_RUN, *flags, IMAGE).stdout.strip().splitlines()[-1]
        started.append(container)
        base = f"http://127.0.0.1:{port}"
        deadline = began + 30
        while True:
            try:
                if call(f"{base}/health")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                logs = podman("logs", container, check=False)
                pytest.fail(f"the container never got healthy:\n{logs.stdout}{logs.stderr}")
            time.sleep(0.05)  # polling a starting server, with a deadline
        return container, base, time.monotonic() - began

    yield run
    for container in started:
        podman("rm", "--force", "--time", "0", container, check=False)


def test_the_image_is_built_small_and_without_root(
    image: dict[str, object], record_property: Record
) -> None:
    config = json.loads(podman("image", "inspect", IMAGE).stdout)[0]["Config"]
    size = image["size_bytes"]
    assert isinstance(size, int)
    record_property("container_image_size_mb", round(size / 1e6, 1))
    record_property("container_build_seconds", round(float(str(image["build_seconds"])), 1))
    # The local base alone is about 176 MB (python:3.11-slim: about 130 MB).
    assert size < 300e6, f"the image is {size / 1e6:.0f} MB"
    assert config["User"] == "10001:10001"
    assert config["Entrypoint"] == ["fakeauth"]
    assert config["Cmd"] == ["serve"]
    assert "3001/tcp" in config["ExposedPorts"]
    env = dict(entry.split("=", 1) for entry in config["Env"])
    assert env["FAKEAUTH_HOST"] == "0.0.0.0"
    assert env["FAKEAUTH_PORT"] == "3001"
    assert env["FAKEAUTH_CONTROL_CLOSED"] == "1"


def test_the_container_serves_reports_healthy_and_stops_on_sigterm(
    run_container: Callable[..., tuple[str, str, float]], record_property: Record
) -> None:
    token = secrets.token_urlsafe(16)
    container, base, start_seconds = run_container(
        FAKEAUTH_NOW=DOC_NOW,
        FAKEAUTH_FROZEN="1",
        FAKEAUTH_CONTROL_TOKEN=token,
        FAKEAUTH_ALLOWED_HOSTS="fakeauth",
    )
    record_property("container_start_seconds", round(start_seconds, 2))

    # The image's own HEALTHCHECK (`fakeauth wait`), run as the engine runs it.
    assert podman("healthcheck", "run", container, check=False).returncode == 0
    health = podman("inspect", container, "--format", "{{.State.Health.Status}}")
    assert health.stdout.strip() == "healthy"

    status, answer = call(f"{base}/health")
    assert (status, answer["status"]) == (200, "ok")
    status, answer = call(f"{base}/graphql", {"query": LOGIN})
    access = answer["data"]["login"]["access_token"]
    # FAKEAUTH_NOW and FAKEAUTH_FROZEN: john's documented token, header and payload alike.
    assert access.startswith(DOC_ACCESS_PREFIX + ".")
    status, answer = call(
        f"{base}/graphql", {"query": PROFILE}, {"Authorization": f"Bearer {access}"}
    )
    assert answer["data"]["myProfile"]["name"] == "Jhon"

    # The control API wants FAKEAUTH_CONTROL_TOKEN; with it, the clock FAKEAUTH_NOW set.
    assert call(f"{base}/__fakeauth/clock")[0] == 401
    status, clock = call(f"{base}/__fakeauth/clock", headers={"X-Fakeauth-Control-Token": token})
    assert (status, clock) == (
        200,
        {"now": "2023-01-03T20:44:43.000Z", "timestamp": 1672778683, "frozen": True},
    )
    # Another container of the job reaches it by its service name (FAKEAUTH_ALLOWED_HOSTS);
    # a name it was not told of is refused (DNS rebinding).
    assert call(f"{base}/health", headers={"Host": "fakeauth:3001"})[0] == 200
    assert call(f"{base}/health", headers={"Host": "rebound.example"})[0] == 421

    # PID 1 is the server itself, not a shell, and runs as the image's user, not root.
    status_file = podman("exec", container, "cat", "/proc/1/status").stdout
    uids = next(line.split()[1:] for line in status_file.splitlines() if line.startswith("Uid:"))
    assert uids == ["10001"] * 4
    cmdline = podman("exec", container, "cat", "/proc/1/cmdline").stdout.split("\0")
    assert cmdline[-3:] == ["/opt/fakeauth/bin/fakeauth", "serve", ""]

    # SIGTERM to the container's PID 1, as `docker stop` sends it, straight from here: the
    # time until the process is gone is the server's own, without podman's start-up in it.
    pid = int(podman("inspect", container, "--format", "{{.State.Pid}}").stdout)
    began = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    while is_running(pid):
        assert time.monotonic() - began < 10, "the server outlived SIGTERM by 10 s"
        time.sleep(0.005)  # polling a process that is stopping, with a bound
    stop_seconds = time.monotonic() - began
    record_property("container_stop_seconds", round(stop_seconds, 3))
    exit_code = podman("wait", container, timeout=10).stdout.strip()
    assert exit_code == "0"
    assert stop_seconds < 1.0, f"SIGTERM took {stop_seconds:.2f} s"
    logs = podman("logs", container)
    assert logs.stdout.startswith("fakeauth listening on http://127.0.0.1:")
    assert "beyond this machine" in logs.stderr  # 0.0.0.0: the exposure warning


def test_the_control_api_is_closed_unless_opened(
    run_container: Callable[..., tuple[str, str, float]],
) -> None:
    # Neither FAKEAUTH_CONTROL_TOKEN nor FAKEAUTH_CONTROL_OPEN: the API works, control doesn't.
    _, base, _ = run_container()
    status, answer = call(f"{base}/graphql", {"query": LOGIN})
    assert answer["data"]["login"]["access_token"].startswith("eyJ")
    status, answer = call(f"{base}/__fakeauth/clock")
    assert status == 403
    assert "The control API is closed" in answer["message"]
    # The README's recipe opens it on purpose.
    _, base, _ = run_container(FAKEAUTH_CONTROL_OPEN="1")
    status, clock = call(f"{base}/__fakeauth/clock")
    assert status == 200
    assert clock["frozen"] is False


async def test_control_closed_starts_a_wildcard_host_with_the_control_api_closed(
    monkeypatch: pytest.MonkeyPatch, aiohttp_client: Any
) -> None:
    # What the image's FAKEAUTH_CONTROL_CLOSED=1 does, without a container or a socket:
    # `serve` stops short of listening, and the app it would serve is asked in-process.
    import gc

    from click.testing import CliRunner

    import fakeauth.serve
    from fakeauth.cli import main
    from fakeauth.web.app import create_app

    served: list[Any] = []

    def run(fake: Any, ready: Callable[[str], None]) -> None:
        gc.enable()  # the real run re-enables the collector that `serve` paused
        served.append(fake)

    monkeypatch.setattr(fakeauth.serve, "run", run)
    runner = CliRunner()
    refused = runner.invoke(main, ["serve"], env={"FAKEAUTH_HOST": "0.0.0.0"})
    gc.enable()
    assert refused.exit_code == 2
    assert "--control-token TOKEN" in refused.output
    assert served == []

    env = {"FAKEAUTH_HOST": "0.0.0.0", "FAKEAUTH_CONTROL_CLOSED": "1"}
    started = runner.invoke(main, ["serve"], env=env)
    assert started.exit_code == 0, started.output
    [fake] = served
    assert (fake.config.control, fake.config.control_open, fake.config.control_token) == (
        True,
        False,
        None,
    )
    client = await aiohttp_client(create_app(fake))
    assert (await client.get("/health")).status == 200
    closed = await client.get("/__fakeauth/clock")
    assert closed.status == 403
    assert "The control API is closed" in (await closed.json())["message"]
