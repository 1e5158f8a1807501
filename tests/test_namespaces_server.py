"""Namespaces of a real server from Python: the handle, the fixture, and 8 threads at once."""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any

import pytest
from helpers import DOC_NOW, TIMEOUT, payload_of

from fakeauth import FakeAuthServer, Namespace
from fakeauth.core.clock import parse_instant
from fakeauth.core.namespaces import BadNamespaceName, DefaultNamespace

DOC_IAT = int(parse_instant(DOC_NOW))
LOGIN = 'mutation { login(email: "john@mail.com", password: "changeme") { access_token } }'
PROFILE = "{ myProfile { email } }"
HEADER = "X-Fakeauth-Namespace"


def call(
    url: str, body: Any = None, method: str = "POST", headers: dict[str, str] | None = None
) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"}, method=method)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return None if response.status == 204 else json.load(response)


@pytest.fixture(scope="module")
def server() -> Any:
    with FakeAuthServer(now=DOC_NOW, frozen=True) as running:
        yield running


def test_a_handle_has_the_verbs_and_its_own_urls(server: FakeAuthServer) -> None:
    w1 = server.namespace("w1")
    assert isinstance(w1, Namespace)
    assert w1.url == f"{server.url}/ns/w1"
    assert w1.graphql_url == f"{server.url}/ns/w1/graphql"
    w1.clock.advance(hours=2)
    w1.users.add("ann@mail.com", "secret1", name="Ann")
    tokens = w1.login("ann@mail.com")
    answer = call(
        w1.graphql_url,
        {"query": PROFILE},
        headers={"Authorization": f"Bearer {tokens.access_token}"},
    )
    assert answer == {"data": {"myProfile": {"email": "ann@mail.com"}}}
    assert payload_of(tokens.access_token)["iat"] == DOC_IAT + 7200
    assert [r.fields for r in w1.requests] == [("myProfile",)]
    assert server.requests == []
    assert "ann@mail.com" not in server.users
    w1.fail("login", "INTERNAL_SERVER_ERROR")
    assert call(w1.graphql_url, {"query": LOGIN})["errors"][0]["message"] == "Internal server error"
    assert "data" in call(server.graphql_url, {"query": LOGIN})
    w1.reset()
    assert (w1.clock.timestamp(), len(w1.users), w1.requests) == (DOC_IAT, 3, [])


def test_a_handle_follows_its_namespace_through_delete_and_replace(
    server: FakeAuthServer,
) -> None:
    w2 = server.namespace("w2")
    w2.clock.advance(hours=1)
    w2.delete()
    assert w2.clock.timestamp() == DOC_IAT  # created afresh on this use
    call(f"{server.url}/__fakeauth/namespaces/w2", {"access_ttl": "15m"}, method="PUT")
    assert payload_of(w2.login("john@mail.com").access_token)["exp"] == DOC_IAT + 900
    with pytest.raises(DefaultNamespace):
        server.namespace("default").delete()
    with pytest.raises(BadNamespaceName):
        server.namespace("no spaces")


def test_the_fixture_gives_namespaces_afresh_in_each_test_first(fakeauth: FakeAuthServer) -> None:
    fakeauth.namespace("mine").users.add("ann@mail.com", "secret1")
    assert [name for name, _ in fakeauth.namespaces] == ["default", "mine"]


def test_the_fixture_gives_namespaces_afresh_in_each_test_second(fakeauth: FakeAuthServer) -> None:
    # The test above, in the same file, ran first on the same server.
    assert [name for name, _ in fakeauth.namespaces] == ["default"]
    assert "ann@mail.com" not in fakeauth.namespace("mine").users


WORKERS = 8
ROUNDS = 25


def test_8_threads_in_8_namespaces_moving_their_clocks_never_see_each_other(
    server: FakeAuthServer,
) -> None:
    """Each thread moves its own clock, adds its own user and checks what it sees, all at once."""
    start = threading.Barrier(WORKERS)
    problems: list[str] = []

    def work(number: int) -> None:
        name = f"thread-{number}"
        # Half the threads name their namespace by the prefix, half by the header.
        by_prefix = number % 2 == 0
        base = f"{server.url}/ns/{name}" if by_prefix else server.url
        headers = {} if by_prefix else {HEADER: name}
        own_start = DOC_IAT + number * 1_000_000
        try:
            start.wait(TIMEOUT)
            call(f"{base}/__fakeauth/clock", {"now": own_start}, "PUT", headers)
            call(
                f"{base}/__fakeauth/users",
                {
                    "email": f"t{number}@mail.com",
                    "password": "abcd",
                    "name": name,
                    "role": "customer",
                    "avatar": "https://example.com/a.png",
                },
                headers=headers,
            )
            for round_ in range(ROUNDS):
                call(f"{base}/__fakeauth/clock/advance", {"by": number + 1}, headers=headers)
                expected = own_start + (round_ + 1) * (number + 1)
                login = call(f"{base}/graphql", {"query": LOGIN}, headers=headers)
                iat = payload_of(login["data"]["login"]["access_token"])["iat"]
                users = call(f"{base}/__fakeauth/users", method="GET", headers=headers)
                emails = sorted(user["email"] for user in users)
                if iat != expected or f"t{number}@mail.com" not in emails or len(emails) != 4:
                    problems.append(f"{name} round {round_}: iat {iat} (not {expected}), {emails}")
            log = call(f"{base}/__fakeauth/requests", method="GET", headers=headers)
            if [entry["fields"] for entry in log] != [["login"]] * ROUNDS:
                problems.append(f"{name}: its log holds {len(log)} entries, not its {ROUNDS}")
        except Exception as error:  # reported below, in the test's thread
            problems.append(f"{name}: {error!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 3)
    assert problems == []
    _, *named = call(f"{server.url}/__fakeauth/namespaces", method="GET")
    assert sorted(entry["name"] for entry in named if entry["name"].startswith("thread-")) == [
        f"thread-{n}" for n in range(WORKERS)
    ]
    assert server.clock.timestamp() == DOC_IAT
    assert len(server.users) == 3
