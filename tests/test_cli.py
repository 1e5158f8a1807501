"""The `fakeauth` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import signal
import urllib.request
from pathlib import Path

import pytest
from helpers import LOGIN, TIMEOUT, fakeauth_cmd, post, serving

import fakeauth


def test_serve_prints_the_url_once_ready_and_answers() -> None:
    with serving("--now", "2023-01-03T20:44:43Z", "--frozen") as (_, url):
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/graphql")
        assert not url.endswith(":0/graphql")
        token = post(url, LOGIN)["data"]["login"]["access_token"]  # type: ignore[index]
        assert token.startswith(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjc0NTA2NjgzfQ."
        )
        with urllib.request.urlopen(url.replace("/graphql", "/health"), timeout=TIMEOUT) as health:
            assert health.status == 200
            assert json.load(health)["status"] == "ok"


def test_sigterm_stops_cleanly_with_exit_code_0() -> None:
    with serving() as (process, _):
        process.send_signal(signal.SIGTERM)
        assert process.wait(TIMEOUT) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()


def test_sigint_stops_cleanly_with_exit_code_0() -> None:
    with serving() as (process, _):
        process.send_signal(signal.SIGINT)
        assert process.wait(TIMEOUT) == 0


def test_options_come_from_the_environment_too(tmp_path: Path) -> None:
    env = {
        "FAKEAUTH_NOW": "1672778683",
        "FAKEAUTH_FROZEN": "1",
        "FAKEAUTH_ACCESS_TTL": "90s",
        "FAKEAUTH_ACCESS_SECRET": "env-secret",
    }
    with serving(env=env) as (_, url):
        token = post(url, LOGIN)["data"]["login"]["access_token"]  # type: ignore[index]
    import base64

    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert payload == {"sub": 1, "iat": 1672778683, "exp": 1672778683 + 90}


def test_bad_users_file_stops_serve_with_one_clear_message(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(
        "users:\n  - email: a@b.c\n    password: x\n    name: A\n    role: king\n    avatar: u\n"
    )
    result = fakeauth_cmd("serve", "--port", "0", "--users", str(users))
    assert result.returncode != 0
    assert result.stdout == ""
    assert f"{users} line 5: role must be 'customer' or 'admin'" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "yesterday"], "not an instant"),
        (["--now", "2023-01-03T20:44:43"], "no time zone"),
        (["--access-ttl", "soon"], "not a duration"),
        (["--refresh-ttl", "0"], "must be positive"),
        (["--access-secret", "same", "--refresh-secret", "same"], "must differ"),
        (["--port", "70000"], "70000"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    result = fakeauth_cmd("serve", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_is_a_clear_error() -> None:
    with serving() as (_, url):
        port = url.split(":")[2].split("/")[0]
        result = fakeauth_cmd("serve", "--port", port)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_version() -> None:
    result = fakeauth_cmd("--version")
    assert result.returncode == 0
    assert fakeauth.__version__ in result.stdout


def test_serve_help_lists_every_option_with_its_default() -> None:
    result = fakeauth_cmd("serve", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    # Without spaces too: click may break a long default at a hyphen.
    solid = "".join(result.stdout.split())
    for option, default in [
        ("--host", "127.0.0.1"),
        ("--port", "3001"),
        ("--users", "the bundled fixtures/users.yaml"),
        ("--now", "the real time"),
        ("--frozen", "off"),
        ("--access-ttl", "20d"),
        ("--refresh-ttl", "10h"),
        ("--access-secret", "fakeauth-access-"),
        ("--refresh-secret", "fakeauth-refresh-"),
    ]:
        assert option in text
        assert f"default:{default.replace(' ', '')}" in solid or f"default: ({default}" in text, (
            option
        )
