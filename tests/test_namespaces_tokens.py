"""Revocation and refresh rotation, the two token behaviours tests need, over HTTP and Python."""

from __future__ import annotations

import pytest
from helpers import DOC_NOW, JOHN_CREDENTIALS, GraphQL, MakeGraphQL, payload_of

from fakeauth import Config, FakeAuth
from fakeauth.core.clock import parse_instant

DOC_IAT = int(parse_instant(DOC_NOW))


async def test_revoking_refuses_the_users_tokens_issued_until_now(graphql: GraphQL) -> None:
    john, maria = await graphql.login(), await graphql.login("maria@mail.com", "12345")
    status, revoked = await graphql.control("POST", "/users/1/revoke")
    assert (status, revoked) == (
        200,
        {
            "id": 1,
            "email": "john@mail.com",
            "revoked_until": "2023-01-03T20:44:43.000Z",
            "timestamp": DOC_IAT,
        },
    )
    assert (await graphql.profile(john["access_token"]))["errors"][0]["message"] == "Unauthorized"
    assert (await graphql.refresh(john["refresh_token"]))["errors"][0]["message"] == "Invalid"
    status, body = await graphql.rest("GET", "/auth/profile", token=john["access_token"])
    assert (status, body) == (401, {"message": "Unauthorized", "statusCode": 401})
    status, body = await graphql.rest(
        "POST", "/auth/refresh-token", {"refreshToken": john["refresh_token"]}
    )
    assert (status, body["message"]) == (401, "Invalid")
    # Other users keep their sessions.
    assert (await graphql.profile(maria["access_token"]))["data"]["myProfile"]["id"] == "2"
    # At the same second a new login is refused too (tokens hold whole seconds); a second
    # later it works, while the old tokens stay refused.
    assert "errors" in await graphql.profile((await graphql.login())["access_token"])
    await graphql.control("POST", "/clock/advance", {"by": "1s"})
    fresh = await graphql.login()
    assert payload_of(fresh["access_token"])["iat"] == DOC_IAT + 1
    assert (await graphql.profile(fresh["access_token"]))["data"]["myProfile"]["id"] == "1"
    assert (await graphql.refresh(fresh["refresh_token"]))["data"]["refreshToken"]
    assert "errors" in await graphql.profile(john["access_token"])
    # The log shows the refused bearer as no user.
    assert (await graphql.log())[1]["user"] is None


async def test_a_second_revocation_moves_the_cutoff_forward(graphql: GraphQL) -> None:
    await graphql.control("POST", "/users/1/revoke")
    await graphql.control("POST", "/clock/advance", {"by": "1h"})
    tokens = await graphql.login()
    assert "data" in await graphql.profile(tokens["access_token"])
    _, revoked = await graphql.control("POST", "/users/1/revoke")
    assert revoked["timestamp"] == DOC_IAT + 3600
    assert "errors" in await graphql.profile(tokens["access_token"])


async def test_revoking_an_unknown_user_is_a_404(graphql: GraphQL) -> None:
    for path in ("/users/99/revoke", "/users/x/revoke"):
        status, body = await graphql.control("POST", path)
        assert (status, body["statusCode"]) == (404, 404)
        assert "no user with id" in body["message"]


async def test_a_reset_forgets_revocations(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    await graphql.control("POST", "/users/1/revoke")
    await graphql.control("POST", "/reset")
    assert (await graphql.profile(tokens["access_token"]))["data"]["myProfile"]["id"] == "1"


def test_users_revoke_is_the_python_verb() -> None:
    fake = FakeAuth(Config.build(now=DOC_NOW, frozen=True))
    tokens = fake.login("john@mail.com")
    assert fake.users.revoke("john@mail.com").id == 1
    assert fake.auth.user_for_access_token(tokens.access_token) is None
    fake.clock.advance("1s")
    assert fake.auth.user_for_access_token(fake.login("john@mail.com").access_token) is not None
    with pytest.raises(KeyError):
        fake.users.revoke(99)


async def test_without_rotation_a_refresh_token_is_used_again_and_again(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    for _ in range(3):
        assert (await graphql.refresh(tokens["refresh_token"]))["data"]["refreshToken"]


async def test_with_rotation_each_refresh_token_is_exchanged_once(
    make_graphql: MakeGraphQL,
) -> None:
    gql = await make_graphql(now=DOC_NOW, frozen=True, refresh_rotation=True)
    tokens = await gql.login()
    await gql.control("POST", "/clock/advance", {"by": "1s"})
    first = (await gql.refresh(tokens["refresh_token"]))["data"]["refreshToken"]
    assert (await gql.refresh(tokens["refresh_token"]))["errors"][0]["message"] == "Invalid"
    status, body = await gql.rest(
        "POST", "/auth/refresh-token", {"refreshToken": tokens["refresh_token"]}
    )
    assert (status, body["message"]) == (401, "Invalid")
    # The new refresh token works once, over REST as over GraphQL; the access tokens all do.
    await gql.control("POST", "/clock/advance", {"by": "1s"})
    status, second = await gql.rest(
        "POST", "/auth/refresh-token", {"refreshToken": first["refresh_token"]}
    )
    assert status == 201
    assert (await gql.refresh(first["refresh_token"]))["errors"][0]["message"] == "Invalid"
    for access in (tokens["access_token"], first["access_token"], second["access_token"]):
        assert "data" in await gql.profile(access)


async def test_with_rotation_at_a_frozen_instant_the_same_pair_comes_back_spent(
    make_graphql: MakeGraphQL,
) -> None:
    gql = await make_graphql(now=DOC_NOW, frozen=True, refresh_rotation=True)
    tokens = await gql.login()
    again = (await gql.refresh(tokens["refresh_token"]))["data"]["refreshToken"]
    # Same user, same second: the same bytes, so the token handed back is already spent.
    assert again == tokens
    assert (await gql.refresh(again["refresh_token"]))["errors"][0]["message"] == "Invalid"
    # A reset forgets what was spent.
    await gql.control("POST", "/reset")
    assert (await gql.refresh(tokens["refresh_token"]))["data"]["refreshToken"]


def test_spent_tokens_are_forgotten_once_expired_so_memory_stays_bounded() -> None:
    fake = FakeAuth(Config.build(now=DOC_NOW, frozen=True, refresh_rotation=True, refresh_ttl="1h"))
    for _ in range(100):
        fake.clock.advance("1s")
        fake.auth.refresh(fake.login("john@mail.com").refresh_token)
    assert len(fake.spent) == 100
    fake.clock.advance("1h")
    fake.clock.advance("1s")
    fake.auth.refresh(fake.login("john@mail.com").refresh_token)
    assert len(fake.spent) == 1


async def test_rotation_is_refused_to_an_expired_or_foreign_token_without_spending_it(
    make_graphql: MakeGraphQL,
) -> None:
    gql = await make_graphql(now=DOC_NOW, frozen=True, refresh_rotation=True)
    _, login = await gql.rest("POST", "/auth/login", JOHN_CREDENTIALS)
    assert (await gql.refresh(login["access_token"]))["errors"][0]["message"] == "Invalid"
    assert len(gql.fake.spent) == 0
    await gql.control("POST", "/users/1/revoke")
    assert (await gql.refresh(login["refresh_token"]))["errors"][0]["message"] == "Invalid"
    assert len(gql.fake.spent) == 0
