"""POST /__fakeauth/tokens: a user's pair without a password, in the request's namespace."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import (
    DOC_ACCESS_PREFIX,
    DOC_REFRESH_PREFIX,
    GraphQL,
    Server,
    make_server,
    payload_of,
    signed_part,
)


async def test_a_user_by_email_gets_the_pair_the_login_mutation_gives(graphql: GraphQL) -> None:
    status, pair = await graphql.control("POST", "/tokens", {"user": "john@mail.com"})
    assert status == 200
    assert signed_part(pair["access_token"]) == DOC_ACCESS_PREFIX
    assert signed_part(pair["refresh_token"]) == DOC_REFRESH_PREFIX
    assert pair == await graphql.login()


async def test_a_user_by_id_gets_working_tokens(graphql: GraphQL) -> None:
    status, pair = await graphql.control("POST", "/tokens", {"user": 2})
    assert status == 200
    assert payload_of(pair["access_token"])["sub"] == 2
    body = await graphql.profile(pair["access_token"])
    assert body["data"]["myProfile"]["email"] == "maria@mail.com"
    assert "data" in await graphql.refresh(pair["refresh_token"])


async def test_tokens_are_minted_at_the_clock_now(graphql: GraphQL) -> None:
    _, clock = await graphql.control("POST", "/clock/advance", {"by": "1h"})
    _, pair = await graphql.control("POST", "/tokens", {"user": 1})
    assert payload_of(pair["access_token"])["iat"] == clock["timestamp"]


async def test_minting_leaves_no_trace_in_the_request_log(graphql: GraphQL) -> None:
    await graphql.control("POST", "/tokens", {"user": 1})
    assert await graphql.log() == []


async def test_a_user_added_by_the_test_can_be_minted(graphql: GraphQL) -> None:
    new = {
        "email": "ann@mail.com",
        "password": "secret1",
        "name": "Ann",
        "role": "customer",
        "avatar": "https://example.com/ann.png",
    }
    _, user = await graphql.control("POST", "/users", new)
    _, pair = await graphql.control("POST", "/tokens", {"user": "ann@mail.com"})
    assert payload_of(pair["refresh_token"])["sub"] == user["id"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"user": "nobody@mail.com"},
            404,
            "no user with email 'nobody@mail.com' (the users are: 1 john@mail.com, 2 maria@mail.com, 3 admin@mail.com); add one with POST /__fakeauth/users",
        ),
        ({"user": 99}, 404, "no user with id 99 (the users are: 1 john@mail.com"),
        ({}, 400, 'give "user" as a user id (1) or an email ("john@mail.com")'),
        ({"user": True}, 400, 'give "user" as a user id'),
        ({"user": ""}, 400, 'give "user" as a user id'),
        ({"user": [1]}, 400, 'give "user" as a user id'),
        ({"user": 1, "ttl": "1h"}, 400, "unknown key 'ttl' (known: user)"),
    ],
)
async def test_a_bad_request_is_refused_with_a_message(
    graphql: GraphQL, body: dict[str, Any], status: int, message: str
) -> None:
    got, answer = await graphql.control("POST", "/tokens", body)
    assert got == status
    assert answer["message"].startswith(message)
    assert answer["statusCode"] == status


async def test_without_users_the_message_says_so(graphql: GraphQL) -> None:
    for user_id in (1, 2, 3):
        await graphql.control("DELETE", f"/users/{user_id}")
    _, answer = await graphql.control("POST", "/tokens", {"user": 1})
    assert answer["message"] == (
        "no user with id 1 (there are no users); add one with POST /__fakeauth/users"
    )


async def test_a_long_user_list_is_cut_short_in_the_message(aiohttp_client: Any) -> None:
    many = [
        {
            "email": f"u{n}@mail.com",
            "password": "pw",
            "name": "U",
            "role": "customer",
            "avatar": "https://example.com/u.png",
        }
        for n in range(8)
    ]
    server: Server = await make_server(aiohttp_client)
    ns = server.ns("many")
    response = await server.client.put("/__fakeauth/namespaces/many", json={"users": many})
    assert response.status == 201
    _, answer = await ns.control("POST", "/tokens", {"user": "x@mail.com"})
    assert (
        "1 u0@mail.com, 2 u1@mail.com, 3 u2@mail.com, 4 u3@mail.com, 5 u4@mail.com and 3 more"
        in answer["message"]
    )


@pytest.mark.parametrize("via", ["prefix", "header"])
async def test_a_namespace_mints_by_its_own_clock_and_users(aiohttp_client: Any, via: str) -> None:
    server: Server = await make_server(aiohttp_client)
    ns = server.ns("w1", via)
    _, clock = await ns.control("POST", "/clock/advance", {"by": "30d"})
    _, pair = await ns.control("POST", "/tokens", {"user": "john@mail.com"})
    assert payload_of(pair["access_token"])["iat"] == clock["timestamp"]
    assert "data" in await ns.profile(pair["access_token"])
    await ns.control("DELETE", "/users/1")
    assert (await ns.control("POST", "/tokens", {"user": 1}))[0] == 404
    _, default_pair = await server.default.control("POST", "/tokens", {"user": 1})
    # The default namespace's clock did not move, and its john is still there.
    assert payload_of(default_pair["access_token"])["iat"] == clock["timestamp"] - 30 * 86400
