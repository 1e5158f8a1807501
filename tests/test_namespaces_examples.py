"""The README's parallel-worker how-tos, run for real against one shared server.

``tests/examples/xdist_workers.py`` runs under pytest-xdist with 4 workers, and
``tests/examples/playwright_workers.spec.mjs`` under Playwright Test with 4 workers
in Debian's Chromium (``npm ci`` into tests/clients/playwright/, never
``playwright install``). Afterwards the server shows one namespace per worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CHROMIUM, StaticServer, missing_tool

from fakeauth import FakeAuthServer

PAGE_DIR = Path(__file__).resolve().parent / "clients" / "browser"

EXAMPLES = Path(__file__).resolve().parent / "examples"
PLAYWRIGHT_DIR = Path(__file__).resolve().parent / "clients" / "playwright"
NODE, NPM = shutil.which("node"), shutil.which("npm")
RUN_TIMEOUT = 300


def test_xdist_workers_share_one_server_each_in_its_namespace(tmp_path: Path) -> None:
    # Outside this repository's pytest settings, as a project of its own would run it.
    shutil.copy(EXAMPLES / "xdist_workers.py", tmp_path / "test_workers.py")
    # pytest-asyncio is installed here and warns when its loop scope is left unset.
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nfilterwarnings = error\nasyncio_default_fixture_loop_scope = function\n"
    )
    with FakeAuthServer() as server:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-n", "4", "-p", "no:cacheprovider"],
            cwd=tmp_path,
            env={**os.environ, "FAKEAUTH_URL": server.url},
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "9 passed" in result.stdout
        used = {name: len(fake.requests) for name, fake in server.namespaces if fake.requests}
    assert "default" not in used
    assert set(used) <= {"gw0", "gw1", "gw2", "gw3"}
    assert len(used) >= 2, used  # the tests really ran in parallel workers


@pytest.fixture(scope="module")
def playwright_installed() -> Path:
    """``npm ci`` of @playwright/test (pinned by the lock file), without its browsers."""
    if NODE is None or NPM is None:
        missing_tool("node and npm are needed to run the Playwright example (Node 20 + npm)")
    if not CHROMIUM.exists():
        missing_tool(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    result = subprocess.run(
        [NPM, "ci", "--no-audit", "--no-fund"],
        cwd=PLAYWRIGHT_DIR,
        env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"
    return PLAYWRIGHT_DIR


@pytest.fixture(scope="module")
def app_origin() -> Iterator[str]:
    static = StaticServer(PAGE_DIR)
    try:
        yield static.start()
    finally:
        static.stop()


def test_playwright_workers_share_one_server_each_in_its_namespace(
    playwright_installed: Path, app_origin: str, tmp_path: Path
) -> None:
    # The spec beside a link to the installed packages, so that its import resolves.
    shutil.copy(EXAMPLES / "playwright_workers.spec.mjs", tmp_path)
    (tmp_path / "node_modules").symlink_to(playwright_installed / "node_modules")
    with FakeAuthServer() as server:
        app = f"{app_origin}/index.html?graphql={urllib.parse.quote(server.graphql_url, safe='')}"
        assert NODE is not None
        result = subprocess.run(
            [
                NODE,
                str(playwright_installed / "node_modules" / "@playwright" / "test" / "cli.js"),
                "test",
                "--config",
                str(playwright_installed / "playwright.config.mjs"),
            ],
            cwd=playwright_installed,
            env={
                **os.environ,
                "FAKEAUTH_URL": server.url,
                "APP_URL": app,
                "SPEC_DIR": str(tmp_path),
                "CHROMIUM": str(CHROMIUM),
                "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
                "NO_COLOR": "1",
            },
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "4 passed" in result.stdout, result.stdout
        used = {name: len(fake.requests) for name, fake in server.namespaces if fake.requests}
    assert "default" not in used
    assert all(name.startswith("worker-") for name in used), used
    assert len(used) >= 2, used
