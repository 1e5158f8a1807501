"""The testing toolkit's commands, run as a user runs them: in subprocesses."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import DOC_NOW, LOGIN, TIMEOUT, fakeauth_cmd, post, serving

DOC_ACCESS = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjc0NTA2NjgzfQ.zYNXnCwfSk7kQdRy2mIk2gNfb6PYHOXbevq1Gr7szpQ"
DOC_REFRESH = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjcyODE0NjgzfQ.iUOPa4wKNekbaXAwZRiVECUkw4SBpeQjyHPML1BdBzg"


def control(url: str, method: str, path: str, body: object = None) -> object:
    base = url.removesuffix("/graphql")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{base}/__fakeauth{path}", data, {"Content-Type": "application/json"}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code
    return json.loads(raw) if raw else None


def test_ready_file_holds_the_graphql_url_once_serving(tmp_path: Path) -> None:
    ready = tmp_path / "fakeauth.url"
    ready.write_text("stale, from an earlier run\n")
    with serving("--ready-file", str(ready)) as (process, url):
        assert ready.read_text() == url + "\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["fakeauth.url"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(TIMEOUT) == 0
    assert not ready.exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_the_server_within_a_second(sig: signal.Signals) -> None:
    with serving() as (process, url):
        post(url, LOGIN)  # a connection was made and answered
        started = time.monotonic()
        process.send_signal(sig)
        assert process.wait(TIMEOUT) == 0
        assert time.monotonic() - started < 1.0


def test_the_control_api_works_over_http_and_no_control_turns_it_off() -> None:
    with serving("--now", DOC_NOW, "--frozen") as (_, url):
        clock = control(url, "POST", "/clock/advance", {"by": "20d"})
        assert clock == {"now": "2023-01-23T20:44:43.000Z", "timestamp": 1674506683, "frozen": True}
    with serving("--no-control") as (_, url):
        assert control(url, "GET", "/clock") == 404


def test_wait_succeeds_on_the_base_or_graphql_url() -> None:
    with serving() as (_, url):
        for given in (url, url.removesuffix("/graphql"), url.removesuffix("/graphql") + "/"):
            result = fakeauth_cmd("wait", given, "--timeout", "5")
            assert result.returncode == 0, result.stderr
            assert "healthy" in result.stdout


def test_wait_fails_with_a_message_when_time_runs_out() -> None:
    with serving() as (process, url):
        pass  # stopped: its port is now closed
    assert process.returncode is not None
    started = time.monotonic()
    result = fakeauth_cmd("wait", url, "--timeout", "0.5")
    assert result.returncode == 1
    assert time.monotonic() - started < TIMEOUT
    assert "no healthy fakeauth at" in result.stderr
    assert "after 0.5 s" in result.stderr
    assert "Traceback" not in result.stderr


def test_wait_waits_for_a_server_that_is_still_starting(tmp_path: Path) -> None:
    ready = tmp_path / "url"
    process = subprocess.Popen(
        [sys.executable, "-m", "fakeauth", "serve", "--port", "0", "--ready-file", str(ready)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not ready.exists():
            assert time.monotonic() < deadline, "no ready file"
            assert process.poll() is None
            time.sleep(0.02)  # polling a process with a bound, not waiting for time to pass
        result = fakeauth_cmd("wait", ready.read_text().strip(), "--timeout", "10")
        assert result.returncode == 0, result.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(TIMEOUT) == 0


def test_token_prints_the_pair_the_server_would_issue() -> None:
    result = fakeauth_cmd("token", "john@mail.com", "--now", DOC_NOW)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"access_token": DOC_ACCESS, "refresh_token": DOC_REFRESH}
    with serving("--now", DOC_NOW, "--frozen") as (_, url):
        served = post(url, LOGIN)["data"]["login"]["access_token"]  # type: ignore[index]
    assert served == DOC_ACCESS


def test_token_takes_the_same_settings_as_serve(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(
        "users:\n  - id: 7\n    email: ann@x.io\n    password: pw\n    name: Ann\n"
        "    role: admin\n    avatar: https://x.io/a.png\n"
    )
    args = ["--now", "1000", "--users", str(users), "--access-ttl", "15m"]
    args += ["--access-secret", "a-secret", "--refresh-secret", "r-secret"]
    token = fakeauth_cmd("token", "ann@x.io", *args, "--only", "access").stdout.strip()
    with serving(*args, "--frozen") as (_, url):
        served = post(
            url, 'mutation { login(email: "ann@x.io", password: "pw") { access_token } }'
        )["data"]["login"]["access_token"]  # type: ignore[index]
    assert token == served
    refresh = fakeauth_cmd("token", "ann@x.io", *args, "--only", "refresh").stdout.strip()
    assert refresh != token
    assert refresh.count(".") == 2


def test_token_for_an_unknown_email_names_the_users() -> None:
    result = fakeauth_cmd("token", "nobody@mail.com")
    assert result.returncode == 1
    assert "no user with email 'nobody@mail.com'" in result.stderr
    assert "john@mail.com" in result.stderr


def test_decode_shows_a_valid_token_and_why_another_is_not() -> None:
    result = fakeauth_cmd("decode", DOC_ACCESS, "--now", DOC_NOW)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        'header:  {"alg":"HS256","typ":"JWT"}',
        'payload: {"sub":1,"iat":1672778683,"exp":1674506683}',
        "issued:  2023-01-03T20:44:43.000Z",
        "expires: 2023-01-23T20:44:43.000Z",
        "valid:   yes, at 2023-01-03T20:44:43.000Z: a valid access token for user 1, for 20d more",
    ]
    expired = fakeauth_cmd("decode", DOC_REFRESH, "--now", "2023-01-04T06:44:43Z")
    assert expired.returncode == 1
    assert "this refresh token expired 0s before" in expired.stdout
    foreign = fakeauth_cmd(
        "decode", DOC_ACCESS, "--access-secret", "other", "--refresh-secret", "x"
    )
    assert foreign.returncode == 1
    assert "matches neither the access nor the refresh secret" in foreign.stdout


def test_decode_refuses_what_is_not_a_jwt() -> None:
    result = fakeauth_cmd("decode", "abc.def")
    assert result.returncode == 1
    assert "not a JWT" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_prints_the_sdl() -> None:
    result = fakeauth_cmd("schema")
    assert result.returncode == 0
    for line in (
        "type Mutation {",
        "login(email: String!, password: String!): Login!",
        "refreshToken(refreshToken: String!): Login!",
        "myProfile: User!",
        "access_token: String!",
    ):
        assert line in result.stdout


def test_check_summarises_a_good_file_and_reports_a_bad_one_as_serve_does(tmp_path: Path) -> None:
    good = fakeauth_cmd("check", "fixtures/users.yaml", cwd=Path(__file__).parent.parent)
    assert good.returncode == 0
    assert good.stdout == "fixtures/users.yaml: OK, 3 users (2 customers, 1 admin)\n"
    assert good.stderr == ""
    bad = tmp_path / "users.yaml"
    bad.write_text(
        "users:\n  - email: a@b.c\n    password: x\n    name: A\n    role: king\n    avatar: u\n"
    )
    checked = fakeauth_cmd("check", str(bad))
    served = fakeauth_cmd("serve", "--port", "0", "--users", str(bad))
    assert checked.returncode == served.returncode == 1
    assert checked.stderr == served.stderr
    assert (
        checked.stderr.strip()
        == f"Error: {bad} line 5: role must be 'customer' or 'admin', not 'king'"
    )


def test_check_warns_of_values_the_api_rules_would_refuse(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(
        "users:\n"
        "  - {email: ok@mail.com, password: pass1234, name: Ok, role: customer,"
        " avatar: 'https://example.com/a.png'}\n"
        "  - {email: not-an-email, password: 'a b', name: B, role: admin, avatar: nope}\n"
    )
    result = fakeauth_cmd("check", str(users))
    assert result.returncode == 0
    assert result.stdout == f"{users}: OK, 2 users (1 customer, 1 admin)\n"
    [warning] = result.stderr.splitlines()
    assert warning.startswith("warning: user 2 (not-an-email): email must be an email; ")
    assert "password must contain only letters and numbers" in warning
    assert "avatar must be a URL address" in warning


def test_latency_option_delays_graphql_answers() -> None:
    with serving("--latency", "300ms") as (_, url):
        started = time.monotonic()
        post(url, LOGIN)
        assert time.monotonic() - started >= 0.3
    assert fakeauth_cmd("serve", "--latency", "soon").returncode == 2


def test_new_options_come_from_the_environment_too() -> None:
    env = {"FAKEAUTH_NO_CONTROL": "1"}
    with serving(env=env) as (_, url):
        assert control(url, "GET", "/clock") == 404
