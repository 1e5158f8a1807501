"""Hostile values, second round: refused before they change anything, never a 500.

Each case is one the tester of issue 15 found stored first and crashing later, or
answered with a 500, a hang or a wrong user.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import hmac
import json
import logging
import os
import signal
import threading
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    JOHN_CREDENTIALS,
    LOGIN,
    TIMEOUT,
    GraphQL,
    MakeGraphQL,
    fakeauth_cmd,
    post,
    serving,
)

from fakeauth.core.config import DEFAULT_ACCESS_SECRET

JSON = {"Content-Type": "application/json"}
START = {"now": "2023-01-03T20:44:43.000Z", "timestamp": 1672778683, "frozen": True}


async def raw(graphql: GraphQL, method: str, path: str, data: bytes, **headers: str) -> Any:
    response = await graphql.client.request(method, path, data=data, headers={**JSON, **headers})
    assert response.content_type == "application/json", await response.text()
    return response.status, await response.json()


async def logs_in(graphql: GraphQL) -> bool:
    status, body = await graphql.post(LOGIN)
    return status == 200 and "access_token" in body["data"]["login"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"now": 1e309}',
        b'{"now": NaN}',
        b'{"now": "Infinity"}',
        b'{"now": 1e20}',
        b'{"now": -1}',
        b'{"now": "10000-01-01T00:00:00Z"}',
        b'{"now": "' + b"9" * 5000 + b'"}',
    ],
)
async def test_a_bad_instant_is_400_and_the_clock_stays(graphql: GraphQL, body: bytes) -> None:
    status, answer = await raw(graphql, "PUT", "/__fakeauth/clock", body)
    assert status == 400
    assert len(answer["message"]) < 300
    assert (await graphql.control("GET", "/clock")) == (200, START)
    assert await logs_in(graphql)


@pytest.mark.parametrize("by", ["1e308", 1e308, "8000y", "9000000d", "nan", "inf"])
async def test_an_advance_too_far_is_400_and_the_clock_stays(graphql: GraphQL, by: Any) -> None:
    status, _ = await graphql.control("POST", "/clock/advance", {"by": by})
    assert status == 400
    assert (await graphql.control("GET", "/clock")) == (200, START)
    assert await logs_in(graphql)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error": "X", "delay_ms": 1e309}', "delay must be at most 600"),
        (b'{"error": "X", "delay_ms": NaN}', "delay must be at most 600"),
        (b'{"error": "X", "delay_ms": 600001}', "delay must be at most 600"),
        (b'{"error": "X", "message": "' + b"m" * 1001 + b'"}', "at most 1000 characters"),
    ],
)
async def test_bad_fault_values_are_400_and_add_nothing(
    graphql: GraphQL, body: bytes, message: str
) -> None:
    status, answer = await raw(graphql, "POST", "/__fakeauth/faults", body)
    assert status == 400
    assert message in answer["message"]
    assert await graphql.control("GET", "/faults") == (200, [])


async def test_pending_faults_are_capped(graphql: GraphQL) -> None:
    for _ in range(1000):
        assert (await graphql.control("POST", "/faults", {"error": "X"}))[0] == 201
    status, answer = await graphql.control("POST", "/faults", {"error": "X"})
    assert status == 400
    assert "1000 faults are pending already" in answer["message"]
    _, pending = await graphql.control("GET", "/faults")
    assert len(pending) == 1000


async def test_a_control_added_user_with_a_bad_instant_is_refused(graphql: GraphQL) -> None:
    user = {"email": "a@mail.com", "password": "pass1", "name": "A", "role": "customer"}
    status, answer = await graphql.control(
        "POST", "/users", {**user, "avatar": "https://a.io/a", "creationAt": 1e20}
    )
    assert status == 400
    assert "out of range" in answer["message"]
    assert len((await graphql.control("GET", "/users"))[1]) == 3


@pytest.mark.parametrize(
    "args",
    [
        ["token", "john@mail.com", "--now", "nan"],
        ["decode", "a.b.c", "--now", "1e309"],
        ["token", "john@mail.com", "--access-ttl", "1e308"],
        ["serve", "--now", "1e309"],
    ],
)
def test_bad_numbers_on_the_command_line_are_usage_errors(args: list[str]) -> None:
    result = fakeauth_cmd(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "Error:" in result.stderr


HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/api/v1/users/{HUGE}", 400),  # TypeORM's EntityNotFoundError, as the real one
        (f"/api/v1/users?limit={HUGE}", 400),
        ("/api/v1/users/²", 400),
        ("/api/v1/users/\u0661", 400),
        ("/api/v1/users/\uff11", 400),
        (f"/__fakeauth/users/{HUGE}", 404),
        ("/__fakeauth/users/²", 404),
        ("/__fakeauth/users/\u0661", 404),
    ],
)
async def test_ids_are_bounded_ascii_digits(graphql: GraphQL, path: str, status: int) -> None:
    response = await graphql.client.get(path)
    assert response.status == status
    body = await response.json()
    assert "john@mail.com" not in json.dumps(body)
    # Only the request's own path (TypeORM's answer names it) may make the answer long.
    assert len(json.dumps(body)) < 500 + len(path)


async def test_a_huge_id_over_graphql_is_not_found_not_a_bug(
    graphql: GraphQL, caplog: pytest.LogCaptureFixture
) -> None:
    _, body = await graphql.post(f'{{ user(id: "{HUGE}") {{ id }} }}')
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


NESTED = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh-token",
        "/api/v1/users/is-available",
        "/api/v1/users",
        "/__fakeauth/users",
        "/__fakeauth/faults",
        "/graphql",
    ],
)
async def test_json_nested_too_deeply_is_400(graphql: GraphQL, path: str) -> None:
    status, body = await raw(graphql, "POST", path, NESTED)
    assert status == 400
    assert "nested more than 64 levels" in json.dumps(body)


async def test_deep_variables_leave_the_log_and_the_start_page_readable(graphql: GraphQL) -> None:
    deep: Any = "x"
    for _ in range(500):
        deep = [deep]
    status, _ = await graphql.post("query Q($v: [String]) { myProfile { id } }", {"v": deep})
    assert status == 400
    assert (await graphql.client.get("/__fakeauth/requests")).status == 200
    assert (await graphql.client.get("/")).status == 200


def _forged(payload: bytes) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(payload)
    key = DEFAULT_ACCESS_SECRET.encode()
    signature = hmac.new(key, signing.encode(), hashlib.sha256).digest()
    return signing + "." + part(signature)


async def test_a_deep_token_payload_is_unauthorized_and_logs_fine(graphql: GraphQL) -> None:
    token = _forged(b'{"sub":' + b"[" * 1100 + b"]" * 1100 + b',"iat":1,"exp":2}')
    assert await graphql.rest("GET", "/auth/profile", token=token) == (
        401,
        {"message": "Unauthorized", "statusCode": 401},
    )
    assert (await graphql.client.get("/__fakeauth/requests")).status == 200
    assert (await graphql.client.get("/")).status == 200


async def test_a_lone_surrogate_in_a_name_does_not_break_the_start_page(graphql: GraphQL) -> None:
    body = b'{"email": "s@mail.com", "name": "Bad \\ud800 name", "password": "pass1",'
    body += b' "avatar": "https://a.io/a"}'
    status, user = await raw(graphql, "POST", "/api/v1/users", body)
    assert status == 201
    assert user["name"] == "Bad \ud800 name"
    response = await graphql.client.get("/")
    assert response.status == 200
    assert "Bad \ufffd name" in await response.text()


@pytest.mark.parametrize(
    ("encoding", "status", "message"),
    [
        ("gzip", 400, "the body is not valid gzip data"),
        ("deflate", 400, "the body is not valid deflate data"),
        ("br", 415, 'unsupported content encoding "br"'),
        ("zstd", 415, 'unsupported content encoding "zstd"'),
    ],
)
async def test_a_body_that_does_not_match_its_encoding_is_refused_in_json(
    graphql: GraphQL, encoding: str, status: int, message: str
) -> None:
    body = json.dumps(JOHN_CREDENTIALS).encode()
    for path in ("/api/v1/auth/login", "/graphql", "/__fakeauth/users"):
        answer_status, answer = await raw(
            graphql, "POST", path, body, **{"Content-Encoding": encoding}
        )
        assert answer_status == status, path
        assert message in str(answer), path


async def test_a_gzip_body_is_read(graphql: GraphQL) -> None:
    body = gzip.compress(json.dumps(JOHN_CREDENTIALS).encode())
    status, tokens = await raw(
        graphql, "POST", "/api/v1/auth/login", body, **{"Content-Encoding": "gzip"}
    )
    assert status == 201
    assert "access_token" in tokens


async def test_a_gzip_bomb_is_413(graphql: GraphQL) -> None:
    bomb = gzip.compress(b" " * (50 * 1024 * 1024))
    status, _ = await raw(
        graphql, "POST", "/api/v1/auth/login", bomb, **{"Content-Encoding": "gzip"}
    )
    assert status == 413


async def test_a_bug_is_a_json_500_logged_once(
    graphql: GraphQL, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(graphql.fake.accounts, "get", broken)
    response = await graphql.client.get("/api/v1/users/1")
    assert response.status == 500
    assert await response.json() == {"message": "Internal server error", "statusCode": 500}
    assert "a bug" not in await response.text()
    assert len([r for r in caplog.records if r.exc_info]) == 1


async def test_the_log_keeps_bounded_bytes_whatever_the_client_sends(graphql: GraphQL) -> None:
    broken = "{" + "x" * (1024 * 1024 - 100)
    for _ in range(3):
        await graphql.client.post("/graphql", json={"query": broken})

    head = b'{"query": "query Q($v: String) { myProfile { id } }", "variables": {"v": "'

    async def chunks() -> AsyncIterator[bytes]:
        yield head
        for _ in range(64):
            yield b"y" * 1024
        yield b'"}}'

    # Chunked, so no Content-Length tells the size: what was read does.
    await graphql.client.post("/graphql", data=chunks(), headers=JSON)
    _, log = await graphql.control("GET", "/requests")
    assert all(len(entry["query"]) < 17 * 1024 for entry in log)
    assert log[-1]["variables"] == {
        "(not kept)": f"the request body was {len(head) + 64 * 1024 + 3} bytes"
    }


async def test_users_are_capped(make_graphql: MakeGraphQL) -> None:
    graphql = await make_graphql(max_users=4)
    user = {"name": "A", "password": "pass1", "avatar": "https://a.io/a"}
    status, _ = await graphql.rest("POST", "/users", {**user, "email": "a@mail.com"})
    assert status == 201
    status, body = await graphql.rest("POST", "/users", {**user, "email": "b@mail.com"})
    assert status == 400
    assert "at most 4 users (--max-users)" in body["message"][0]
    status, body = await graphql.control(
        "POST", "/users", {**user, "email": "c@mail.com", "role": "admin"}
    )
    assert status == 400
    assert len((await graphql.control("GET", "/users"))[1]) == 4


async def test_ids_are_never_reused_so_old_tokens_never_name_a_newcomer(graphql: GraphQL) -> None:
    user = {"name": "X", "password": "pass1", "avatar": "https://a.io/a"}
    _, xena = await graphql.rest("POST", "/users", {**user, "email": "xena@mail.com"})
    tokens = await graphql.login("xena@mail.com", "pass1")
    assert (await graphql.rest("DELETE", f"/users/{xena['id']}"))[0] == 200
    _, yuri = await graphql.rest("POST", "/users", {**user, "email": "yuri@mail.com"})
    assert yuri["id"] == xena["id"] + 1
    assert (await graphql.rest("GET", "/auth/profile", token=tokens["access_token"]))[0] == 401
    await graphql.control("POST", "/reset")
    _, zoe = await graphql.rest("POST", "/users", {**user, "email": "zoe@mail.com"})
    assert zoe["id"] == yuri["id"] + 1
    assert (await graphql.rest("GET", "/auth/profile", token=tokens["access_token"]))[0] == 401


async def test_the_log_names_the_user_the_bearer_was_when_the_request_came(
    graphql: GraphQL,
) -> None:
    user = {"name": "X", "password": "pass1", "avatar": "https://a.io/a"}
    _, xena = await graphql.rest("POST", "/users", {**user, "email": "xena@mail.com"})
    tokens = await graphql.login("xena@mail.com", "pass1")
    await graphql.post("{ myProfile { id } }", token=tokens["access_token"])
    await graphql.rest("DELETE", f"/users/{xena['id']}")
    await graphql.rest("POST", "/users", {**user, "email": "yuri@mail.com"})
    _, log = await graphql.control("GET", "/requests")
    profile = [entry for entry in log if entry["fields"] == ["myProfile"]]
    assert profile[0]["user"] == {"id": xena["id"], "email": "xena@mail.com"}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            'mutation L($p: String = "secret1") { login(email: "john@mail.com", password: $p)'
            " { access_token } }",
            None,
        ),
        (
            'mutation { login(email: "john@mail.com", password: # a comment\n "secret1")'
            " { access_token } }",
            None,
        ),
        (
            'mutation { addUser(data: {email: "a@mail.com", name: "A", password:\n\n "secret1",'
            ' avatar: "https://a.io/a"}) { id } }',
            None,
        ),
        # Not valid GraphQL, so masked by its text: a comment between the name and the value.
        ('mutation { login(email: "j", password: # note\n "secret1") { nope ', None),
    ],
)
async def test_passwords_never_reach_the_log(
    graphql: GraphQL, query: str, variables: dict[str, Any] | None
) -> None:
    await graphql.post(query, variables)
    _, log = await graphql.control("GET", "/requests")
    assert "secret1" not in json.dumps(log)
    assert "***" in log[-1]["query"]


def test_a_ready_file_in_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = fakeauth_cmd("serve", "--port", "0", "--ready-file", str(tmp_path / "no" / "ready"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "pick another port" not in result.stderr


def test_a_ready_file_that_is_not_a_regular_file_is_refused_and_left_alone() -> None:
    result = fakeauth_cmd("serve", "--port", "0", "--ready-file", os.devnull)
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert Path(os.devnull).exists()


@pytest.mark.parametrize("command", ["serve", "check"])
def test_a_users_fifo_is_refused_without_hanging(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "users.yaml"
    os.mkfifo(fifo)
    args = (
        ["serve", "--port", "0", "--users", str(fifo)]
        if command == "serve"
        else ["check", str(fifo)]
    )
    result = fakeauth_cmd(*args)
    assert result.returncode == 1
    assert "not a regular file" in result.stderr


def test_sigterm_stops_within_a_second_even_with_a_long_fault_pending() -> None:
    with serving() as (process, url):
        base = url.removesuffix("/graphql")
        fault = json.dumps({"operation": "login", "delay_ms": 300_000}).encode()
        urllib.request.urlopen(
            urllib.request.Request(f"{base}/__fakeauth/faults", fault, JSON), timeout=TIMEOUT
        ).close()
        # A login that will wait on the fault; its answer never comes, so it is left behind.
        waiting = threading.Thread(target=post_quietly, args=(url, LOGIN), daemon=True)
        waiting.start()
        # The fault is taken once the login reaches the server and starts its wait.
        deadline = time.monotonic() + TIMEOUT
        while json.loads(urllib.request.urlopen(f"{base}/__fakeauth/faults").read()):
            assert time.monotonic() < deadline
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(TIMEOUT) == 0
        assert time.monotonic() - started < 1.5


def post_quietly(url: str, query: str) -> None:
    # The server stops under it, as the test means it to.
    with contextlib.suppress(OSError):
        post(url, query)
