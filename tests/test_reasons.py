"""Why a request failed: the request log's reason, --log-requests and `fakeauth decode`.

The answers to clients stay exactly the real service's; only the log says why.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import signal
from pathlib import Path
from typing import Any

import pytest
from helpers import LOGIN, REFRESH, TIMEOUT, GraphQL, fakeauth_cmd, post, serving

PROFILE = "{ myProfile { id } }"


async def last_reason(graphql: GraphQL) -> str | None:
    reason: str | None = (await graphql.log())[-1]["reason"]
    return reason


async def profile_reason(graphql: GraphQL, authorization: str | None) -> str | None:
    headers = {} if authorization is None else {"Authorization": authorization}
    _, body = await graphql.post(PROFILE, headers=headers)
    assert body["errors"][0]["message"] == "Unauthorized"  # the answer stays the real one
    return await last_reason(graphql)


def forged(secret: str, payload: dict[str, int]) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(json.dumps(payload).encode())
    signature = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{part(signature)}"


async def test_an_expired_access_token_says_how_long_ago(make_graphql: Any) -> None:
    graphql = await make_graphql(now="2023-01-23T20:44:40Z", frozen=True, access_ttl="3s")
    access = (await graphql.login())["access_token"]
    graphql.fake.clock.set("2023-01-23T20:44:45Z")
    assert await profile_reason(graphql, f"Bearer {access}") == (
        "access token expired 2s ago (exp 2023-01-23T20:44:43.000Z, clock 2023-01-23T20:44:45.000Z)"
    )


async def test_header_mistakes_are_named(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    access, refresh = tokens["access_token"], tokens["refresh_token"]
    assert await profile_reason(graphql, None) == "no Authorization header"
    assert await profile_reason(graphql, access) == (
        'no "Bearer " scheme in the Authorization header'
    )
    assert await profile_reason(graphql, f'Bearer "{access}"') == "token is wrapped in quotes"
    assert await profile_reason(graphql, f"Bearer {refresh}") == (
        "refresh token sent as a bearer token"
    )
    foreign = forged("another-secret", {"sub": 1, "iat": 1672778683, "exp": 1674506683})
    assert await profile_reason(graphql, f"Bearer {foreign}") == (
        "bad signature (signed with another secret)"
    )


async def test_a_deleted_or_revoked_user_is_named(graphql: GraphQL) -> None:
    user = {"email": "x@mail.com", "name": "X", "password": "pass1", "avatar": "https://a.io/x"}
    _, created = await graphql.rest("POST", "/users", user)
    access = (await graphql.login("x@mail.com", "pass1"))["access_token"]
    john = (await graphql.login())["access_token"]
    await graphql.rest("DELETE", f"/users/{created['id']}")
    assert await profile_reason(graphql, f"Bearer {access}") == (
        f"user {created['id']} no longer exists"
    )
    await graphql.control("POST", "/users/1/revoke")
    assert await profile_reason(graphql, f"Bearer {john}") == (
        "token revoked at 2023-01-03T20:44:43.000Z (issued 2023-01-03T20:44:43.000Z)"
    )


async def test_failed_logins_and_refreshes_say_why(graphql: GraphQL) -> None:
    query = (
        "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }"
    )
    await graphql.post(query, {"e": "john@mail.com", "p": "nope"})
    assert await last_reason(graphql) == "wrong password for john@mail.com"
    await graphql.post(query, {"e": "jon@mail.com", "p": "changeme"})
    assert await last_reason(graphql) == "no user with email jon@mail.com"
    access = (await graphql.login())["access_token"]
    _, body = await graphql.post(REFRESH, {"token": access})
    assert body["errors"][0]["message"] == "Invalid"
    assert await last_reason(graphql) == "access token sent as a refresh token"


async def test_protocol_refusals_and_faults_say_why(graphql: GraphQL) -> None:
    await graphql.post("{ nope }")
    assert await last_reason(graphql) == 'Cannot query field "nope" on type "Query".'
    await graphql.client.post("/graphql", data=json.dumps({"query": LOGIN}))  # no type: CSRF
    assert "Content-Type: application/json" in (await last_reason(graphql) or "")
    await graphql.control("POST", "/faults", {"operation": "login", "error": "BAD_REQUEST"})
    await graphql.post(LOGIN)
    assert await last_reason(graphql) == "failed with BAD_REQUEST by a fault the test added"
    await graphql.post(LOGIN)
    assert await last_reason(graphql) is None  # it went well


def test_log_requests_prints_one_line_per_request() -> None:
    with serving("--now", "2023-01-03T20:44:43Z", "--frozen", "--log-requests") as (process, url):
        post(url, 'mutation { login(email: "john@mail.com", password: "x") { access_token } }')
        post(url, LOGIN)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=TIMEOUT)
    lines = [line for line in stderr.splitlines() if line.startswith("2023-")]
    assert lines == [
        "2023-01-03T20:44:43.000Z default graphql login - UNAUTHENTICATED:"
        " wrong password for john@mail.com",
        "2023-01-03T20:44:43.000Z default graphql login - ok",
    ]


def test_the_log_is_quiet_by_default() -> None:
    with serving() as (process, url):
        post(url, LOGIN)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=TIMEOUT)
    assert "graphql login" not in stderr


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("Bearer {token}", 'without the "Bearer " scheme'),
        ('"{token}"', "without the quotes around it"),
        ("Authorization: Bearer {token}", 'without "Authorization:" and the "Bearer " scheme'),
    ],
)
def test_decode_reads_what_was_pasted_and_says_what_it_dropped(given: str, hint: str) -> None:
    token = fakeauth_cmd("token", "john@mail.com", "--only", "access").stdout.strip()
    result = fakeauth_cmd("decode", given.format(token=token))
    assert result.returncode == 0, result.stderr
    assert hint in result.stdout
    assert "valid:   yes" in result.stdout


def test_decode_says_the_now_is_when_the_token_is_checked() -> None:
    assert "The instant the token is checked at" in fakeauth_cmd("decode", "--help").stdout


@pytest.mark.parametrize(
    "text",
    [
        "users:\n  - email: john@mail.com\n    password: changeme\n   name: Jhon\n    role: customer\n",
        "users:\n- email: john@mail.com\n  password: changeme\n name: Jhon\n  role: customer\n",
    ],
    ids=["one space short", "under the list"],
)
def test_a_mis_indented_line_is_reported_as_bad_yaml_at_its_line(tmp_path: Path, text: str) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(text)
    result = fakeauth_cmd("check", str(users))
    assert result.returncode == 1
    assert f"{users} line 4: not valid YAML:" in result.stderr
    assert "missing field" not in result.stderr


def test_a_host_that_is_no_address_says_so() -> None:
    result = fakeauth_cmd("serve", "--host", "127.0.0.300", "--port", "0")
    assert result.returncode == 2
    assert "host '127.0.0.300' is not a valid IP address" in result.stderr
    assert "pick another port" not in result.stderr
    unknown = fakeauth_cmd(
        "serve", "--host", "no-such-host.invalid", "--control-open", "--port", "0"
    )
    assert unknown.returncode == 1
    assert "it is not an address or a name this machine knows" in unknown.stderr
