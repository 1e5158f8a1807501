"""The npm package in js/, built and used as a user would: from its lock file, packed,
and installed from the tarball into the sample app (js/examples/app/).

One module-wide build (``npm ci && npm run build && npm pack``), then the package's
``node --test`` suite against a real fakeauth, and the sample's Playwright suite on
Debian's Chromium: 4 workers, fullyParallel, every test three times, each test in a
namespace of its own (never ``playwright install``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from helpers import CHROMIUM, OPENER, base_of, missing_tool, serving

from fakeauth.web.openapi import DESCRIPTION

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "js"
APP = JS / "examples" / "app"
NODE, NPM = shutil.which("node"), shutil.which("npm")
NPM_TIMEOUT = 300
RUN_TIMEOUT = 300
# fakeauth as this checkout runs it, for the servers the JavaScript side starts itself.
SERVE = f"{sys.executable} -m fakeauth serve --host 127.0.0.1 --port 0"


@pytest.fixture(autouse=True)
def _no_fakeauth_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests name the server themselves; a FAKEAUTH_URL of the caller's must not leak in."""
    monkeypatch.delenv("FAKEAUTH_URL", raising=False)


def node_env(**more: str) -> dict[str, str]:
    return {
        **os.environ,
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        "NO_COLOR": "1",
        "FAKEAUTH_COMMAND": SERVE,
        **more,
    }


def run(args: list[str], cwd: Path, timeout: int = NPM_TIMEOUT, **env: str) -> str:
    result = subprocess.run(
        args,
        cwd=cwd,
        env=node_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """js/ built from its lock file and packed, as it would be published."""
    if NODE is None or NPM is None:
        missing_tool("node and npm are needed for the JavaScript package (Node 20 + npm)")
    destination = tmp_path_factory.mktemp("pack")
    run([NPM, "ci", "--no-audit", "--no-fund"], JS)
    run([NPM, "run", "build"], JS)
    run([NPM, "pack", "--pack-destination", str(destination)], JS)
    [packed] = destination.glob("fakeauth-*.tgz")
    return packed


@pytest.fixture(scope="module")
def app(tarball: Path) -> Path:
    """The sample app with @playwright/test from its lock file and fakeauth from the tarball."""
    if not CHROMIUM.exists():
        missing_tool(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    lock = (APP / "package-lock.json").read_text()
    assert NPM is not None
    run([NPM, "ci", "--no-audit", "--no-fund"], APP)
    run([NPM, "install", "--no-save", "--no-audit", "--no-fund", str(tarball)], APP)
    # Installed as a user would, without changing the sample's committed files.
    assert (APP / "package-lock.json").read_text() == lock
    return APP


def test_the_tarball_holds_the_build_and_no_sources(tarball: Path) -> None:
    listing = subprocess.run(
        ["tar", "-tzf", str(tarball)], capture_output=True, text=True, check=True, timeout=30
    ).stdout.split()
    assert "package/dist/index.d.ts" in listing
    assert "package/dist/playwright.js" in listing
    assert not [name for name in listing if "/src/" in name or "/test/" in name], listing


def test_the_client_suite_passes_against_a_real_server(tarball: Path) -> None:
    assert NODE is not None
    tests = sorted(str(path) for path in (JS / "test").glob("*.test.mjs"))
    with serving() as (_, graphql_url):
        output = run([NODE, "--test", *tests], JS, RUN_TIMEOUT, FAKEAUTH_URL=base_of(graphql_url))
    assert "# fail 0" in output
    assert "# pass 17" in output, output[-2000:]


def _playwright(app: Path, *args: str, **env: str) -> str:
    assert NODE is not None
    cli = app / "node_modules" / "@playwright" / "test" / "cli.js"
    port = str(_free_port())
    return run(
        [NODE, str(cli), "test", *args],
        app,
        RUN_TIMEOUT,
        APP_PORT=port,
        CHROMIUM=str(CHROMIUM),
        **env,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> Any:
    with OPENER.open(urllib.request.Request(url), timeout=30) as response:
        return json.load(response)


def test_the_sample_app_suite_passes_in_parallel_repeatedly_against_one_server(app: Path) -> None:
    with serving() as (_, graphql_url):
        base = base_of(graphql_url)
        output = _playwright(app, "--repeat-each", "3", FAKEAUTH_URL=base)
        namespaces = _get(f"{base}/__fakeauth/namespaces")
        default_log = _get(f"{base}/__fakeauth/requests")
    assert "12 passed" in output, output
    # Each test's namespace was deleted after it, and none of them used the default one.
    assert [ns["name"] for ns in namespaces] == ["default"]
    assert default_log == []


def test_without_fakeauth_url_each_worker_starts_its_server_and_stops_it(
    app: Path, tmp_path: Path
) -> None:
    # A mark in the command line of each server the workers start, to find them after.
    marker = tmp_path / "users.yaml"
    shutil.copy(ROOT / "fixtures" / "users.yaml", marker)
    output = _playwright(
        app,
        "--workers",
        "2",
        "--grep",
        "storageState|expires",
        FAKEAUTH_COMMAND=f"{SERVE} --users {marker}",
    )
    assert "2 passed" in output, output
    assert _processes_mentioning(str(marker)) == []


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        if any(text.encode() in arg for arg in args):
            found.append(cmdline.parent.name)
    return found


def test_the_described_routes_are_those_the_client_knows() -> None:
    # The client's route table (js/src/routes.ts) names every described path.
    routes = (JS / "src" / "routes.ts").read_text()
    for path in DESCRIPTION["paths"]:
        assert f'"{path.removeprefix("/__fakeauth")}"' in routes, path
