"""Namespaces over HTTP: each part of a fake's state is its own, through both selectors."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import (
    DOC_NOW,
    JOHN_CREDENTIALS,
    LOGIN,
    SELECTORS,
    NamespacedGraphQL,
    Server,
    make_server,
    payload_of,
)

from fakeauth.core.clock import parse_instant

DOC_IAT = int(parse_instant(DOC_NOW))
NEW_USER = {
    "email": "ann@mail.com",
    "password": "secret1",
    "name": "Ann",
    "avatar": "https://example.com/ann.png",
}


@pytest.fixture
async def server(aiohttp_client: Any) -> Server:
    return await make_server(aiohttp_client)


@pytest.fixture(params=SELECTORS)
def via(request: pytest.FixtureRequest) -> str:
    """How the test's requests name their namespace: the path's prefix or the header."""
    selector: str = request.param
    return selector


@pytest.fixture
def w1(server: Server, via: str) -> NamespacedGraphQL:
    return server.ns("w1", via)


@pytest.fixture
def w2(server: Server, via: str) -> NamespacedGraphQL:
    return server.ns("w2", via)


async def test_the_clock_of_a_namespace_is_its_own(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    status, clock = await w1.control("POST", "/clock/advance", {"by": "10h"})
    assert (status, clock["timestamp"]) == (200, DOC_IAT + 36000)
    assert (await w2.control("GET", "/clock"))[1]["timestamp"] == DOC_IAT
    assert (await server.default.control("GET", "/clock"))[1]["timestamp"] == DOC_IAT
    # Tokens are issued by the namespace's own clock.
    assert payload_of((await w1.login())["access_token"])["iat"] == DOC_IAT + 36000
    assert payload_of((await w2.login())["access_token"])["iat"] == DOC_IAT


async def test_users_of_a_namespace_are_its_own(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    status, ann = await w1.rest("POST", "/users", NEW_USER)
    assert (status, ann["id"]) == (201, 4)
    assert (await w1.login("ann@mail.com", "secret1"))["access_token"]
    status, missing = await w2.rest("GET", "/users/4")
    assert (status, missing["name"]) == (400, "EntityNotFoundError")
    status, _ = await w1.control("DELETE", "/users/2")
    assert status == 204
    assert [u["id"] for u in (await w1.control("GET", "/users"))[1]] == [1, 3, 4]
    assert [u["id"] for u in (await w2.control("GET", "/users"))[1]] == [1, 2, 3]
    assert [u["id"] for u in (await server.default.control("GET", "/users"))[1]] == [1, 2, 3]
    # Each store numbers its own users: w2's first new user is its 4 too.
    assert (await w2.rest("POST", "/users", {**NEW_USER, "email": "bob@mail.com"}))[1]["id"] == 4


async def test_faults_of_a_namespace_are_its_own(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    status, _ = await w1.control(
        "POST", "/faults", {"operation": "login", "times": 2, "error": "INTERNAL_SERVER_ERROR"}
    )
    assert status == 201
    assert (await w2.control("GET", "/faults"))[1] == []
    assert (await w2.login())["access_token"]
    assert (await server.default.login())["access_token"]
    _, failed = await w1.post(LOGIN)
    assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    status, failed = await w1.rest("POST", "/auth/login", JOHN_CREDENTIALS)
    assert status == 500
    assert (await w1.login())["access_token"]


async def test_the_request_log_of_a_namespace_holds_only_its_requests(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    await w1.login()
    await w1.rest("GET", "/users?limit=2")
    await w2.post("{ users { id } }")
    log = await w1.log()
    # The path as the namespace sees it, so both selectors log the same.
    assert [(e["api"], e["path"], e["operation"]) for e in log] == [
        ("graphql", "/graphql", "L"),
        ("rest", "/api/v1/users?limit=2", "users"),
    ]
    assert [e["fields"] for e in await w2.log()] == [["users"]]
    assert await server.default.log() == []
    assert (await w2.control("DELETE", "/requests"))[0] == 204
    assert len(await w1.log()) == 2


async def test_token_lifetimes_are_set_per_namespace(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    status, described = await server.default.control(
        "PUT", "/namespaces/w1", {"access_ttl": "15m", "refresh_ttl": "1h"}
    )
    assert (status, described["access_ttl"], described["refresh_ttl"]) == (201, "15m", "1h")
    short = await w1.login()
    assert payload_of(short["access_token"])["exp"] == DOC_IAT + 900
    assert payload_of(short["refresh_token"])["exp"] == DOC_IAT + 3600
    assert payload_of((await w2.login())["access_token"])["exp"] == DOC_IAT + 20 * 86400
    await w1.control("POST", "/clock/advance", {"by": "15m"})
    assert (await w1.profile(short["access_token"]))["errors"][0]["message"] == "Unauthorized"


async def test_a_token_is_judged_by_the_clock_of_the_namespace_it_is_sent_to(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    tokens = await w1.login()
    assert tokens == await w2.login()  # same secrets, same clock: the same bytes
    await w1.control("POST", "/clock/advance", {"by": "20d"})
    assert (await w1.profile(tokens["access_token"]))["errors"][0]["message"] == "Unauthorized"
    assert (await w2.profile(tokens["access_token"]))["data"]["myProfile"]["id"] == "1"
    assert (await server.default.profile(tokens["access_token"]))["data"]["myProfile"]
    await w2.control("POST", "/clock/advance", {"by": "10h"})
    assert (await w2.refresh(tokens["refresh_token"]))["errors"][0]["message"] == "Invalid"
    assert (await server.default.refresh(tokens["refresh_token"]))["data"]["refreshToken"]


async def test_a_user_of_another_namespace_is_unknown_here(
    w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    await w1.rest("POST", "/users", NEW_USER)
    ann = await w1.login("ann@mail.com", "secret1")
    assert (await w2.profile(ann["access_token"]))["errors"][0]["message"] == "Unauthorized"
    assert (await w2.refresh(ann["refresh_token"]))["errors"][0]["message"] == "Invalid"


async def test_revocation_is_per_namespace(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    tokens = await w1.login()
    status, revoked = await w1.control("POST", "/users/1/revoke")
    assert (status, revoked["timestamp"]) == (200, DOC_IAT)
    assert (await w1.profile(tokens["access_token"]))["errors"][0]["message"] == "Unauthorized"
    assert (await w1.refresh(tokens["refresh_token"]))["errors"][0]["message"] == "Invalid"
    assert (await w2.profile(tokens["access_token"]))["data"]["myProfile"]["id"] == "1"
    assert (await w2.refresh(tokens["refresh_token"]))["data"]["refreshToken"]
    assert (await server.default.profile(tokens["access_token"]))["data"]["myProfile"]


async def test_refresh_rotation_is_per_namespace(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    status, described = await server.default.control(
        "PUT", "/namespaces/w1", {"refresh_rotation": True}
    )
    assert (status, described["refresh_rotation"]) == (201, True)
    tokens = await w1.login()
    assert (await w1.refresh(tokens["refresh_token"]))["data"]["refreshToken"]
    assert (await w1.refresh(tokens["refresh_token"]))["errors"][0]["message"] == "Invalid"
    for _ in range(2):  # w2 and the default keep no state, like the real service
        assert (await w2.refresh(tokens["refresh_token"]))["data"]["refreshToken"]
        assert (await server.default.refresh(tokens["refresh_token"]))["data"]["refreshToken"]


async def test_a_reset_inside_a_namespace_resets_it_alone(
    server: Server, w1: NamespacedGraphQL, w2: NamespacedGraphQL
) -> None:
    for caller in (w1, w2, server.default):
        await caller.rest("POST", "/users", NEW_USER)
        await caller.control("POST", "/clock/advance", {"by": "1h"})
    assert (await w1.control("POST", "/reset"))[0] == 204
    assert len((await w1.control("GET", "/users"))[1]) == 3
    assert (await w1.control("GET", "/clock"))[1]["timestamp"] == DOC_IAT
    assert await w1.log() == []
    for caller in (w2, server.default):
        assert len((await caller.control("GET", "/users"))[1]) == 4
        assert (await caller.control("GET", "/clock"))[1]["timestamp"] == DOC_IAT + 3600


async def test_the_name_default_is_the_default_namespace(server: Server, via: str) -> None:
    default = server.ns("default", via)
    await default.control("POST", "/clock/advance", {"by": "1h"})
    assert (await server.default.control("GET", "/clock"))[1]["timestamp"] == DOC_IAT + 3600
    assert len(server.namespaces) == 0


async def test_a_namespace_is_created_on_first_use_only(server: Server, via: str) -> None:
    names = [entry["name"] for entry in (await server.default.control("GET", "/namespaces"))[1]]
    assert names == ["default"]
    await server.ns("w9", via).post("{ users { id } }")
    _, listed = await server.default.control("GET", "/namespaces")
    assert [(entry["name"], entry["users"], entry["requests"]) for entry in listed] == [
        ("default", 3, 0),
        ("w9", 3, 1),
    ]


async def test_the_catalogue_of_a_namespace_is_its_own_through_both_selectors(
    server: Server, w1: NamespacedGraphQL
) -> None:
    status, catalogue = await w1.control("GET", "/catalog")
    assert status == 200
    assert len(catalogue["products"]) == 51
    status, _ = await w1.control("PUT", "/catalog", {"categories": [], "products": []})
    assert status == 200
    assert (await w1.control("GET", "/catalog"))[1]["products"] == []
    assert len((await server.default.control("GET", "/catalog"))[1]["products"]) == 51
