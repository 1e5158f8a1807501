"""Namespaces as the control API makes them: names, selectors, the limit, PUT and DELETE."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import DOC_NOW, JOHN_CREDENTIALS, LOGIN, Server, make_server, payload_of

from fakeauth import Config, FakeAuth, Namespaces
from fakeauth.core.clock import parse_instant
from fakeauth.core.namespaces import NAME_RULE, TooManyNamespaces

DOC_IAT = int(parse_instant(DOC_NOW))
HEADER = "X-Fakeauth-Namespace"
USER = {
    "email": "qa@example.com",
    "password": "qa1234",
    "name": "QA",
    "role": "admin",
    "avatar": "https://example.com/qa.png",
}


@pytest.fixture
async def server(aiohttp_client: Any) -> Server:
    return await make_server(aiohttp_client)


async def json_of(response: Any) -> tuple[int, Any]:
    assert response.content_type == "application/json"
    return response.status, await response.json()


BAD_NAMES = ["a b", "x" * 65, "ü", "a/b", "w3;drop", "*"]


@pytest.mark.parametrize("name", BAD_NAMES)
async def test_a_bad_name_in_the_header_is_a_400_naming_the_rule(server: Server, name: str) -> None:
    headers = {HEADER: name.encode().decode("latin-1")}
    status, body = await json_of(await server.client.post("/api/v1/auth/login", headers=headers))
    assert (status, body["statusCode"], body["error"]) == (400, 400, "Bad Request")
    assert NAME_RULE in body["message"]
    status, body = await json_of(
        await server.client.post("/graphql", json={"query": LOGIN}, headers=headers)
    )
    # On /graphql, in the shape a GraphQL client reads.
    assert status == 400
    assert NAME_RULE in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("name", ["a%20b", "x" * 65, "%C3%BC", "a%2Fb", "w3;drop"])
@pytest.mark.parametrize("path", ["/graphql", "/api/v1/auth/profile", "/__fakeauth/clock", "/"])
async def test_a_bad_name_in_the_path_is_a_400_naming_the_rule(
    server: Server, name: str, path: str
) -> None:
    response = await server.client.get(f"/ns/{name}{path}")
    status, body = await json_of(response)
    assert status == 400
    message = body["errors"][0]["message"] if path == "/graphql" else body["message"]
    assert NAME_RULE in message
    assert len(server.namespaces) == 0


async def test_an_empty_header_is_a_bad_name_too(server: Server) -> None:
    status, body = await json_of(await server.client.get("/__fakeauth/clock", headers={HEADER: ""}))
    assert status == 400
    assert NAME_RULE in body["message"]


async def test_the_prefix_and_a_different_header_are_a_400(server: Server) -> None:
    for path in ("/ns/w1/__fakeauth/clock", "/ns/w1/api/v1/users", "/ns/w1/health"):
        status, body = await json_of(await server.client.get(path, headers={HEADER: "w2"}))
        assert status == 400
        assert "'w1'" in body["message"]
        assert "'w2'" in body["message"]
    status, body = await json_of(
        await server.client.post("/ns/w1/graphql", json={"query": LOGIN}, headers={HEADER: "w2"})
    )
    assert status == 400
    assert "give one of them" in body["errors"][0]["message"]
    assert len(server.namespaces) == 0
    # The same name in both is fine.
    response = await server.client.get("/ns/w1/__fakeauth/clock", headers={HEADER: "w1"})
    assert response.status == 200
    assert [name for name, _ in server.namespaces] == ["default", "w1"]


async def test_names_use_the_whole_alphabet_of_the_rule(server: Server) -> None:
    for name in ("A", "z.9_-", "gw0", "x" * 64, "..."):
        response = await server.client.get(f"/ns/{name}/__fakeauth/clock")
        assert response.status == 200, name


async def test_the_list_describes_each_namespace(server: Server) -> None:
    await server.ns("b").control("POST", "/clock/advance", {"by": "1h"})
    await server.ns("a", "header").login()
    await server.ns("a").rest("POST", "/users", {**USER, "password": "secret1"})
    status, listed = await server.default.control("GET", "/namespaces")
    assert status == 200
    assert [entry["name"] for entry in listed] == ["default", "a", "b"]
    a = listed[1]
    assert a == {
        "name": "a",
        "prefix": "/ns/a",
        "users": 4,
        "clock": {"now": "2023-01-03T20:44:43.000Z", "timestamp": DOC_IAT, "frozen": True},
        "requests": 2,
        "access_ttl": "20d",
        "refresh_ttl": "10h",
        "refresh_rotation": False,
    }
    assert listed[2]["clock"]["timestamp"] == DOC_IAT + 3600
    assert (listed[0]["prefix"], listed[0]["requests"]) == ("", 0)


async def test_put_creates_then_replaces_with_its_settings(server: Server) -> None:
    settings = {
        "now": "2030-01-01T00:00:00Z",
        "frozen": True,
        "access_ttl": "15m",
        "refresh_ttl": 600,
        "users": [USER],
        "refresh_rotation": True,
    }
    status, described = await server.default.control("PUT", "/namespaces/qa", settings)
    assert status == 201
    assert described["clock"]["now"] == "2030-01-01T00:00:00.000Z"
    assert (described["users"], described["access_ttl"], described["refresh_ttl"]) == (
        1,
        "15m",
        "10m",
    )
    qa = server.ns("qa")
    tokens = await qa.login("qa@example.com", "qa1234")
    assert payload_of(tokens["access_token"])["exp"] == 1893456000 + 900
    _, failed = await qa.post(LOGIN)
    assert failed["errors"][0]["message"] == "Unauthorized"  # john is not in this namespace
    # Again: replaced, so its state starts afresh; the settings left out are the server's.
    status, described = await server.default.control("PUT", "/namespaces/qa", {"frozen": True})
    assert status == 200
    assert described["users"] == 3
    assert described["clock"]["timestamp"] == DOC_IAT
    assert (described["access_ttl"], described["refresh_rotation"]) == ("20d", False)
    assert await qa.log() == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"now": "yesterday"}, "not an instant"),
        ({"frozen": "yes"}, "frozen must be true or false"),
        ({"refresh_rotation": 1}, "refresh_rotation must be true or false"),
        ({"access_ttl": "soon"}, "not a duration"),
        ({"access_ttl": 0}, "access_ttl must be positive"),
        ({"refresh_ttl": ["1h"]}, "refresh_ttl must be a string or a number"),
        ({"users": "users.yaml"}, "users must be a list of users"),
        ({"users": [{"email": "x@mail.com"}]}, "users: missing field"),
        ({"users": [USER, USER]}, "users: duplicate email"),
        ({"latency": "1s"}, "unknown setting 'latency'"),
    ],
)
async def test_put_with_bad_settings_is_a_400_and_changes_nothing(
    server: Server, settings: dict[str, Any], message: str
) -> None:
    await server.default.control("PUT", "/namespaces/qa", {"access_ttl": "1h"})
    status, body = await server.default.control("PUT", "/namespaces/qa", settings)
    assert status == 400
    assert message in body["message"]
    _, listed = await server.default.control("GET", "/namespaces")
    assert [(entry["name"], entry["access_ttl"]) for entry in listed] == [
        ("default", "20d"),
        ("qa", "1h"),
    ]


async def test_put_with_a_bad_name_is_a_400(server: Server) -> None:
    status, body = await server.default.control("PUT", "/namespaces/a%20b", {})
    assert status == 400
    assert NAME_RULE in body["message"]


async def test_delete_forgets_a_namespace_and_its_next_use_creates_it_afresh(
    server: Server,
) -> None:
    w1 = server.ns("w1")
    await w1.control("POST", "/clock/advance", {"by": "1h"})
    assert (await server.default.control("DELETE", "/namespaces/w1")) == (204, None)
    assert [name for name, _ in server.namespaces] == ["default"]
    assert (await w1.control("GET", "/clock"))[1]["timestamp"] == DOC_IAT
    # Deleting what is not there is no error, so a teardown can always delete.
    assert (await server.default.control("DELETE", "/namespaces/never"))[0] == 204
    status, body = await server.default.control("DELETE", "/namespaces/a%20b")
    assert status == 400
    assert NAME_RULE in body["message"]


async def test_the_default_namespace_is_neither_deleted_nor_replaced(server: Server) -> None:
    for method in ("DELETE", "PUT"):
        status, body = await server.default.control(method, "/namespaces/default")
        assert (status, body["statusCode"]) == (409, 409)
        assert "POST /__fakeauth/reset" in body["message"]


async def test_the_namespaces_routes_are_the_servers_not_a_namespaces(server: Server) -> None:
    response = await server.client.get("/ns/w1/__fakeauth/namespaces")
    assert response.status == 404
    assert len(server.namespaces) == 0


async def test_past_the_limit_a_new_namespace_is_a_429_and_nothing_changes(
    aiohttp_client: Any,
) -> None:
    server = await make_server(aiohttp_client, max_namespaces=3)
    for name in ("w1", "w2"):
        await server.ns(name).control("POST", "/clock/advance", {"by": "1h"})
    assert (await server.default.control("PUT", "/namespaces/w3", {}))[0] == 201
    before = (await server.default.control("GET", "/namespaces"))[1]

    refusals = [
        await server.client.post("/ns/w4/graphql", json={"query": LOGIN}),
        await server.client.post(
            "/api/v1/auth/login", json=JOHN_CREDENTIALS, headers={HEADER: "w4"}
        ),
        await server.client.get("/ns/w4/__fakeauth/clock"),
        await server.client.get("/ns/w4/"),
        await server.client.put("/__fakeauth/namespaces/w4", json={}),
    ]
    for response in refusals:
        status, body = await json_of(response)
        assert status == 429
        message = body["errors"][0]["message"] if "errors" in body else body["message"]
        assert "DELETE /__fakeauth/namespaces/{name}" in message
        assert "--max-namespaces" in message
    assert (await server.default.control("GET", "/namespaces"))[1] == before
    # Nothing was evicted: the others work as before, and may still be replaced.
    assert (await server.ns("w1").control("GET", "/clock"))[1]["timestamp"] == DOC_IAT + 3600
    assert (await server.default.login())["access_token"]
    assert (await server.default.control("PUT", "/namespaces/w3", {}))[0] == 200
    # Room again once one is deleted.
    await server.default.control("DELETE", "/namespaces/w2")
    assert (await server.ns("w4").control("GET", "/clock"))[0] == 200


async def test_at_the_default_limit_the_1001st_namespace_is_a_429(aiohttp_client: Any) -> None:
    server = await make_server(aiohttp_client)
    for number in range(1000):
        response = await server.client.get(f"/ns/w{number}/__fakeauth/clock")
        assert response.status == 200
    response = await server.client.get("/ns/w1000/__fakeauth/clock")
    assert response.status == 429
    assert len(server.namespaces) == 1000
    assert (await server.ns("w999", "header").control("GET", "/clock"))[0] == 200


def test_creating_a_namespace_of_10000_users_is_cheap() -> None:
    import tracemalloc

    users = [
        {**USER, "email": f"u{number}@example.com", "id": number} for number in range(1, 10001)
    ]
    from fakeauth.core.users import users_from

    default = FakeAuth(Config.build(now=DOC_NOW, frozen=True), users=users_from(users))
    namespaces = Namespaces(default)
    # Its time is bench/namespaces.py's to measure; here, that the users are shared.
    for number in range(200):
        assert namespaces.get(f"t{number}").store.get(10000) is default.store.get(10000)

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(200):
            namespaces.get(f"m{number}")
        per_namespace_bytes = (tracemalloc.get_traced_memory()[0] - before) / 200
    finally:
        tracemalloc.stop()
    assert per_namespace_bytes < 64 * 1024, f"{per_namespace_bytes / 1024:.1f} KiB per namespace"
    # Until it changes them, a namespace reads the loaded users themselves.
    assert namespaces.get("m0").store.get(5000) is default.store.get(5000)
    namespaces.get("m0").users.remove(5000)
    assert 5000 not in namespaces.get("m0").users
    assert 5000 in default.users
    assert 5000 in namespaces.get("m1").users


def test_the_registry_refuses_past_its_limit_and_evicts_nothing() -> None:
    namespaces = Namespaces(FakeAuth(Config.build(max_namespaces=1)))
    first = namespaces.get("a")
    with pytest.raises(TooManyNamespaces):
        namespaces.get("b")
    assert namespaces.get("a") is first
    assert namespaces.find("b") is None
