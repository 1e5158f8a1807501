"""The wheel and the sdist, as `python -m build` makes them and a user installs them.

The wheel goes into a fresh virtual environment, and `fakeauth serve` runs from a
directory outside the repository, so the bundled users, catalogue, GraphiQL and images
can only come from the wheel. `pipx run --spec WHEEL` is the one-line way to try it.
The builds and installs use the package registry; the server is on 127.0.0.1, stopped
by its own pid.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import pytest
from helpers import DOC_ACCESS_PREFIX, FROZEN_ARGS, LOGIN, TIMEOUT, missing_tool

from fakeauth import __version__

ROOT = Path(__file__).parent.parent
INSTALL_TIMEOUT = 300
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# What a wheel must carry for `fakeauth serve` to work anywhere.
PACKAGE_DATA = (
    "fakeauth/fixtures/users.yaml",
    "fakeauth/fixtures/catalog.yaml",
    "fakeauth/py.typed",
    "fakeauth/web/static/graphiql/graphiql.min.js",
    "fakeauth/web/templates/",
)


def run(*args: str | Path, timeout: float = INSTALL_TIMEOUT, **kwargs: object) -> str:
    result = subprocess.run(
        [str(arg) for arg in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}{result.stderr}"
    output: str = result.stdout
    return output


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel, built from this checkout (the wheel from the sdist)."""
    try:
        import build  # noqa: F401
    except ImportError:
        missing_tool("the `build` package is missing (pip install build; it is in the test extra)")
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    [wheel] = out.glob("fakeauth-*.whl")
    [sdist] = out.glob("fakeauth-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def venv(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed, as a user would."""
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", dist["wheel"])
    return venv


def test_the_wheel_and_the_sdist_carry_the_package_data(dist: dict[str, Path]) -> None:
    assert dist["wheel"].name == f"fakeauth-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = wheel.namelist()
        entry_points = wheel.read(f"fakeauth-{__version__}.dist-info/entry_points.txt").decode()
    for data in PACKAGE_DATA:
        assert any(name.startswith(data) for name in names), data
    assert not [name for name in names if name.startswith("tests/")]
    assert "fakeauth = fakeauth.cli:main" in entry_points
    assert "fakeauth = fakeauth.pytest_plugin" in entry_points  # the pytest11 plugin

    with tarfile.open(dist["sdist"]) as sdist:
        members = {member.name: member for member in sdist.getmembers()}
    top = f"fakeauth-{__version__}"
    for data in (*PACKAGE_DATA, "pyproject.toml", "README.md", "CHANGELOG.md", "tests/"):
        assert any(name.startswith(f"{top}/{data}") for name in members), data
    # fakeauth/fixtures is a link in the repository: the sdist holds the files themselves.
    assert members[f"{top}/fakeauth/fixtures/users.yaml"].isfile()
    assert not [name for name in members if "/.venv/" in name or "__pycache__" in name]


def test_the_installed_wheel_serves_from_anywhere(venv: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = run(
        venv / "bin" / "python", "-c", "import fakeauth; print(fakeauth.__file__)", cwd=elsewhere
    )
    assert Path(found.strip()).is_relative_to(venv), found
    server = subprocess.Popen(
        [venv / "bin" / "fakeauth", "serve", "--host", "127.0.0.1", "--port", "0", *FROZEN_ARGS],
        cwd=elsewhere,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("fakeauth listening on http://127.0.0.1:"), line
        graphql = line.split()[-1]
        base = graphql.removesuffix("/graphql")
        request = urllib.request.Request(
            graphql, json.dumps({"query": LOGIN}).encode(), {"Content-Type": "application/json"}
        )
        with OPENER.open(request, timeout=TIMEOUT) as response:
            login = json.load(response)
        assert login["data"]["login"]["access_token"].startswith(DOC_ACCESS_PREFIX + ".")
        with OPENER.open(f"{base}/api/v1/products", timeout=TIMEOUT) as response:
            assert len(json.load(response)) == 51  # the bundled catalogue
        with OPENER.open(f"{base}/", timeout=TIMEOUT) as response:
            assert "maria@mail.com" in response.read().decode()  # the start page's template
        with OPENER.open(
            f"{base}/graphql/assets/graphiql/graphiql.min.js", timeout=TIMEOUT
        ) as response:
            assert len(response.read()) > 1_000_000  # GraphiQL, vendored in the wheel
        with OPENER.open(f"{base}/images/products/1-1.svg", timeout=TIMEOUT) as response:
            assert response.headers["Content-Type"].startswith("image/svg+xml")
        server.send_signal(signal.SIGTERM)
        assert server.wait(TIMEOUT) == 0
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(TIMEOUT)
        for pipe in (server.stdout, server.stderr):
            if pipe is not None:
                pipe.close()


def test_pipx_runs_the_wheel(venv: Path, dist: dict[str, Path], tmp_path: Path) -> None:
    pipx = venv / "bin" / "pipx"
    if not pipx.exists():
        # pipx in the test's own environment, not the machine's: nothing outside tmp_path.
        run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "pipx")
    env = {
        **os.environ,
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
    }
    output = run(
        pipx, "run", "--spec", dist["wheel"], "fakeauth", "--version", env=env, cwd=tmp_path
    )
    assert output.strip().splitlines()[-1] == f"fakeauth, version {__version__}"
