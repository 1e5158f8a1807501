"""Proof where users meet it: a real Apollo Client 4 app against fakeauth.

``tests/clients/apollo/check.mjs`` logs in, sends the bearer token through a
``SetContextLink``, reads ``myProfile``, refreshes, and checks that a bad token
surfaces as a GraphQL error with ``extensions.code == "UNAUTHENTICATED"``. Its
dependencies are pinned in the committed package.json + package-lock.json and
installed with ``npm ci`` once per session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    DOC_ACCESS_PREFIX,
    DOC_REFRESH_PREFIX,
    FROZEN_ARGS,
    base_of,
    missing_tool,
    payload_of,
    serving,
    signed_part,
)

APOLLO_DIR = Path(__file__).resolve().parent / "clients" / "apollo"
NODE = shutil.which("node")
NPM = shutil.which("npm")

FROZEN_IAT = 1672778683
AVATAR = "https://api.lorem.space/image/face?w=640&h=480&r=1229"

NODE_TIMEOUT = 120
NPM_TIMEOUT = 600


def _node_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "npm_config_audit": "false",
            "npm_config_fund": "false",
            "npm_config_update_notifier": "false",
            "NO_COLOR": "1",
        }
    )
    return env


@pytest.fixture(scope="session")
def apollo_installed() -> Path:
    """``npm ci`` into tests/clients/apollo/node_modules, once per session."""
    if NODE is None or NPM is None:
        missing_tool("node and npm are needed for the Apollo Client proof (Node 20 + npm)")
    version = subprocess.run(
        [NODE, "--version"], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()
    major = int(version.lstrip("v").split(".")[0])
    assert major >= 20, f"the Apollo Client proof needs Node 20 or later, found {version}"
    result = subprocess.run(
        [NPM, "ci", "--no-audit", "--no-fund"],
        cwd=APOLLO_DIR,
        env=_node_env(),
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT,
    )
    assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"
    return APOLLO_DIR


@pytest.fixture(scope="module")
def fakeauth_url() -> Iterator[str]:
    with serving(*FROZEN_ARGS) as (_, graphql_url):
        base_url = base_of(graphql_url)
        yield base_url


def _run_check(apollo_dir: Path, graphql_url: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    assert NODE is not None
    result = subprocess.run(
        [NODE, "check.mjs", graphql_url],
        cwd=apollo_dir,
        env=_node_env(),
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
    )
    try:
        summary = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"check.mjs printed no JSON summary (exit {result.returncode}):\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result, summary


@pytest.fixture(scope="module")
def summary(apollo_installed: Path, fakeauth_url: str) -> dict[str, Any]:
    result, data = _run_check(apollo_installed, f"{fakeauth_url}/graphql")
    assert isinstance(data, dict)
    assert result.returncode == 0, (
        f"check.mjs failed (exit {result.returncode}): {data.get('failures')}\n"
        f"summary: {json.dumps(data, indent=2)}\nstderr:\n{result.stderr}"
    )
    return data


def test_check_script_passes(summary: dict[str, Any]) -> None:
    assert summary["ok"] is True
    assert summary["failures"] == []


def test_login_gives_the_documented_tokens(summary: dict[str, Any]) -> None:
    login = summary["login"]
    # Apollo Client 4 asks for __typename on every selection.
    assert login["__typename"] == "Login"
    assert signed_part(login["access_token"]) == DOC_ACCESS_PREFIX
    assert signed_part(login["refresh_token"]) == DOC_REFRESH_PREFIX


def test_profile_through_the_auth_link(summary: dict[str, Any]) -> None:
    expected = {"__typename": "User", "id": "1", "name": "Jhon", "avatar": AVATAR}
    assert summary["profile"] == expected


def test_refresh_gives_a_working_pair(summary: dict[str, Any]) -> None:
    refreshed = summary["refreshed"]
    assert refreshed["__typename"] == "Login"
    access = payload_of(refreshed["access_token"])
    refresh = payload_of(refreshed["refresh_token"])
    # The clock is frozen at the documented login instant.
    assert access == {"sub": 1, "iat": FROZEN_IAT, "exp": FROZEN_IAT + 1_728_000}
    assert refresh == {"sub": 1, "iat": FROZEN_IAT, "exp": FROZEN_IAT + 36_000}
    assert summary["profileAfterRefresh"] == summary["profile"]


def test_bad_token_is_unauthenticated_graphql_error(summary: dict[str, Any]) -> None:
    bad = summary["badToken"]
    # A GraphQL error, not a network error: the answer was HTTP 200.
    assert bad["kind"] == "graphql", bad
    assert bad["name"] == "CombinedGraphQLErrors"
    assert bad["code"] == "UNAUTHENTICATED"
    [error] = bad["errors"]
    assert error["message"] == "Unauthorized"
    assert error["path"] == ["myProfile"]
    assert error["originalError"] == {"message": "Unauthorized", "statusCode": 401}


def test_check_script_fails_when_it_should(apollo_installed: Path, fakeauth_url: str) -> None:
    """The proof can fail: an unknown path answers non-2xx, which Apollo
    turns into a network error, and the script exits non-zero."""
    result, data = _run_check(apollo_installed, f"{fakeauth_url}/no-such-graphql")
    assert result.returncode == 1, result.stderr
    assert data["ok"] is False
    assert data["crash"]["kind"] == "server"
    assert data["failures"]
