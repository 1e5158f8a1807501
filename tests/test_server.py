"""FakeAuthServer: a real server on a background thread, driven through its handle."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from helpers import DOC_NOW

from fakeauth import ApiError, FakeAuthServer, TokenPair

PROFILE = "{ myProfile { id email } }"


def graphql(server: FakeAuthServer, query: str, token: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(server.graphql_url, body, headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def login(server: FakeAuthServer, email: str = "john@mail.com", password: str = "changeme") -> Any:
    query = f'mutation {{ login(email: "{email}", password: "{password}") {{ access_token refresh_token }} }}'
    return graphql(server, query)


@pytest.fixture(scope="module")
def server() -> Any:
    with FakeAuthServer(now=DOC_NOW, frozen=True) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh(server: FakeAuthServer) -> None:
    server.reset()


def test_serves_on_loopback_and_a_free_port(server: FakeAuthServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert server.url != "http://127.0.0.1:3001"
    assert server.graphql_url == server.url + "/graphql"
    token = login(server)["data"]["login"]["access_token"]
    assert token.split(".")[1] == "eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjc0NTA2NjgzfQ"


def test_stop_closes_the_port_and_start_stop_work_without_with() -> None:
    server = FakeAuthServer().start()
    url = server.url
    try:
        with pytest.raises(RuntimeError, match="already started"):
            server.start()
        assert "data" in login(server)
    finally:
        server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/health", timeout=5)
    server.stop()  # a second stop does nothing


def test_a_port_in_use_fails_in_start() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=str(port)):
            FakeAuthServer(port=port).start()


def test_the_clock_handle(server: FakeAuthServer) -> None:
    clock = server.clock
    assert clock.now() == datetime(2023, 1, 3, 20, 44, 43, tzinfo=UTC)
    clock.advance(timedelta(minutes=1))
    clock.advance(seconds=1, minutes=1, hours=1, days=1)
    assert clock.now() == datetime(2023, 1, 4, 21, 46, 44, tzinfo=UTC)
    clock.set("2024-02-29T12:00:00+01:00")
    assert clock.now().isoformat() == "2024-02-29T11:00:00+00:00"
    clock.unfreeze()
    assert not clock.frozen
    clock.freeze()
    assert clock.frozen
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(hours=-1)


def test_tokens_expire_when_the_test_says_so(server: FakeAuthServer) -> None:
    tokens = server.login("john@mail.com")
    assert graphql(server, PROFILE, tokens.access_token)["data"]["myProfile"]["id"] == "1"
    server.clock.advance(days=20)
    assert graphql(server, PROFILE, tokens.access_token)["errors"][0]["message"] == "Unauthorized"


def test_login_checks_the_password_only_when_given(server: FakeAuthServer) -> None:
    assert isinstance(server.login("maria@mail.com", "12345"), TokenPair)
    assert server.login("maria@mail.com") == server.login("maria@mail.com", "12345")
    with pytest.raises(ApiError, match="Unauthorized"):
        server.login("maria@mail.com", "wrong")
    with pytest.raises(KeyError, match=r"nobody@mail\.com"):
        server.login("nobody@mail.com")


def test_the_users_handle(server: FakeAuthServer) -> None:
    users = server.users
    assert len(users) == 3
    assert users["john@mail.com"].id == 1
    assert users[3].email == "admin@mail.com"
    assert users.get("nobody@mail.com") is None
    assert "maria@mail.com" in users
    ann = users.add("ann@mail.com", "pw1234", role="admin")
    assert (ann.id, ann.name, ann.role) == (4, "ann", "admin")
    assert "data" in login(server, "ann@mail.com", "pw1234")
    tokens = server.login("ann@mail.com")
    users.remove("ann@mail.com")
    assert graphql(server, PROFILE, tokens.access_token)["errors"][0]["message"] == "Unauthorized"
    assert [user.id for user in users] == [1, 2, 3]
    with pytest.raises(ValueError, match=r"duplicate email 'john@mail\.com'"):
        users.add("john@mail.com")
    with pytest.raises(ValueError, match="role must be"):
        users.add("bob@mail.com", role="king")
    with pytest.raises(KeyError):
        users.remove(99)


def test_requests_and_faults(server: FakeAuthServer) -> None:
    server.fail("login", "UNAUTHENTICATED")
    assert login(server)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" in login(server)
    server.fail("myProfile", "network", times=2)
    for _ in range(2):
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            graphql(server, PROFILE)
    server.fail(delay="50ms")
    assert "data" in login(server)
    log = server.requests
    assert [(r.fields, r.outcome) for r in log] == [
        (("login",), "UNAUTHENTICATED"),
        (("login",), "ok"),
        (("myProfile",), "network"),
        (("myProfile",), "network"),
        (("login",), "ok"),
    ]
    assert log[0].time == datetime(2023, 1, 3, 20, 44, 43, tzinfo=UTC)
    assert 'password: "***"' in (log[0].query or "")
    with pytest.raises(ValueError, match="unknown operation"):
        server.fail("logout", "X")


def test_reset_undoes_everything(server: FakeAuthServer) -> None:
    server.clock.advance(days=1)
    server.users.remove(1)
    server.fail(error="INTERNAL_SERVER_ERROR")
    login(server, "maria@mail.com", "12345")
    server.reset()
    assert server.clock.now() == datetime(2023, 1, 3, 20, 44, 43, tzinfo=UTC)
    assert len(server.users) == 3
    assert server.requests == []
    assert "data" in login(server)


def test_users_can_be_given_inline() -> None:
    users = [{"email": "a@x.io", "password": "pw", "name": "A", "role": "admin", "avatar": "u"}]
    with FakeAuthServer(users=users, access_ttl="15m") as server:
        assert [user.email for user in server.users] == ["a@x.io"]
        token = server.login("a@x.io").access_token
        server.clock.freeze()
        server.clock.advance(minutes=15)
        assert "errors" in graphql(server, PROFILE, token)
    with pytest.raises(ValueError, match="missing field 'name'"):
        FakeAuthServer(users=[{"email": "a@x.io"}])
