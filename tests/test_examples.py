"""The README's how-tos (and docs/): each quotes a file of tests/examples/, each file runs here.

The Python examples are ordinary tests (collected from tests/examples/); this module
runs the shell, GitHub Actions and JavaScript ones and checks the README quotes them all.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from helpers import TIMEOUT, serving

from fakeauth import FakeAuthServer

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "tests" / "examples"
QUOTE = re.compile(r"<!-- example: (\S+) -->\n```[\w-]*\n(.*?)```", re.DOTALL)


def shell_env() -> dict[str, str]:
    # The `fakeauth` command of this checkout, as an installed one would be.
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def test_the_readme_quotes_every_example_exactly() -> None:
    quoted: dict[str, str] = {}
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        quoted.update(QUOTE.findall(page.read_text()))
    files = {
        str(path.relative_to(ROOT))
        for path in EXAMPLES.iterdir()
        if path.is_file() and path.name != "__init__.py"
    }
    # The JavaScript sample app keeps its files in js/examples/app/, where npm runs them.
    assert {name for name in quoted if not name.startswith("js/examples/")} == files
    for name, text in quoted.items():
        assert text == (ROOT / name).read_text(), f"the README's copy of {name} is out of date"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_controlling_time_over_http() -> None:
    script = (EXAMPLES / "time_over_http.sh").read_text()
    with serving("--now", "2023-01-03T20:44:43Z", "--frozen") as (_, url):
        address = url.removeprefix("http://").removesuffix("/graphql")
        result = subprocess.run(
            ["bash", "-e", "-c", script.replace("127.0.0.1:3001", address)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (EXAMPLES / "time_over_http.out").read_text()


def test_controlling_time_from_the_command_line() -> None:
    result = subprocess.run(
        ["bash", "-e", "-c", (EXAMPLES / "time_cli.sh").read_text()],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env=shell_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (EXAMPLES / "time_cli.out").read_text()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except (urllib.error.URLError, ConnectionError):
        return False


def test_the_github_actions_step_starts_fakeauth_and_waits_for_it(tmp_path: Path) -> None:
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    steps = {step.get("name"): step for step in workflow["jobs"]["e2e-pip"]["steps"]}
    script = steps["Start fakeauth"]["run"]
    # What the runner gives a step: a temporary folder, and a file of variables for later steps.
    github_env = tmp_path / "github.env"
    env = {**shell_env(), "RUNNER_TEMP": str(tmp_path), "GITHUB_ENV": str(github_env)}
    log = tmp_path / "step.log"
    with log.open("w") as output:
        # Its own process group, as a CI step: the background server is stopped with it below.
        step = subprocess.Popen(
            ["bash", "-e", "-c", script],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    health = None
    try:
        assert step.wait(TIMEOUT) == 0, log.read_text() + (tmp_path / "fakeauth.log").read_text()
        # --port 0: the port came from the ready file, into FAKEAUTH_URL for the next steps.
        [line] = github_env.read_text().splitlines()
        assert re.fullmatch(r"FAKEAUTH_URL=http://127\.0\.0\.1:\d+", line), line
        health = line.removeprefix("FAKEAUTH_URL=") + "/health"
        assert answers(health), "the step ended before the server was healthy"
    finally:
        with contextlib.suppress(ProcessLookupError):  # nothing left in the group
            os.killpg(step.pid, signal.SIGTERM)
        deadline = time.monotonic() + TIMEOUT
        while health is not None and answers(health):
            assert time.monotonic() < deadline, "the background server did not stop"
            time.sleep(0.05)  # polling a process with a bound


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_tests_drive_the_control_api_with_fetch() -> None:
    with FakeAuthServer() as server:
        result = subprocess.run(
            ["node", "--test", str(EXAMPLES / "control_api.test.mjs")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "FAKEAUTH_URL": server.url},
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 3" in result.stdout
