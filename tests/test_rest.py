"""The REST twin under /api/v1: the real status codes and bodies, on GraphQL's state."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import JOHN_JSON, GraphQL, preflight

UNAUTHORIZED = {"message": "Unauthorized", "statusCode": 401}
INVALID = {"message": "Invalid", "error": "Unauthorized", "statusCode": 401}
NEW_USER = {
    "email": "nico@mail.com",
    "name": "Nico",
    "password": "1234",
    "avatar": "https://picsum.photos/800",
}


async def rest_login(
    graphql: GraphQL, email: str = "john@mail.com", password: str = "changeme"
) -> dict[str, str]:
    status, body = await graphql.rest("POST", "/auth/login", {"email": email, "password": password})
    assert status == 201, body
    return dict(body)


async def test_login_answers_201_with_the_documented_tokens(graphql: GraphQL) -> None:
    tokens = await rest_login(graphql)
    assert set(tokens) == {"access_token", "refresh_token"}
    # Same clock and secrets as GraphQL: the same tokens, byte for byte.
    assert tokens == await graphql.login()


@pytest.mark.parametrize(
    "body",
    [
        {"email": "john@mail.com", "password": "wrong"},
        {"email": "nobody@mail.com", "password": "changeme"},
        {"email": "john@mail.com"},
        {},
        {"email": 1, "password": 2},
    ],
)
async def test_failed_login_is_401(graphql: GraphQL, body: dict[str, Any]) -> None:
    assert await graphql.rest("POST", "/auth/login", body) == (401, UNAUTHORIZED)


async def test_profile_is_the_full_user_with_numeric_id(graphql: GraphQL) -> None:
    tokens = await rest_login(graphql)
    assert await graphql.rest("GET", "/auth/profile", token=tokens["access_token"]) == (
        200,
        JOHN_JSON,
    )


@pytest.mark.parametrize("token", [None, "nonsense", "a.b.c"])
async def test_profile_without_a_good_token_is_401(graphql: GraphQL, token: str | None) -> None:
    assert await graphql.rest("GET", "/auth/profile", token=token) == (401, UNAUTHORIZED)


async def test_refresh_token_gives_a_new_pair(graphql: GraphQL) -> None:
    tokens = await rest_login(graphql)
    graphql.fake.clock.advance(119)
    status, pair = await graphql.rest(
        "POST", "/auth/refresh-token", {"refreshToken": tokens["refresh_token"]}
    )
    assert status == 201
    assert pair["access_token"] != tokens["access_token"]
    assert await graphql.rest("GET", "/auth/profile", token=pair["access_token"]) == (
        200,
        JOHN_JSON,
    )


@pytest.mark.parametrize("token", ["nonsense", "access"])
async def test_bad_refresh_token_is_401_invalid(graphql: GraphQL, token: str) -> None:
    if token == "access":
        token = (await rest_login(graphql))["access_token"]
    body = {"refreshToken": token}
    assert await graphql.rest("POST", "/auth/refresh-token", body) == (401, INVALID)


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        ({}, ["refreshToken should not be empty", "refreshToken must be a string"]),
        ({"refreshToken": ""}, ["refreshToken should not be empty"]),
    ],
)
async def test_refresh_without_a_token_is_400(
    graphql: GraphQL, body: dict[str, Any], messages: list[str]
) -> None:
    expected = {"message": messages, "error": "Bad Request", "statusCode": 400}
    assert await graphql.rest("POST", "/auth/refresh-token", body) == (400, expected)


async def test_a_number_as_refresh_token_is_invalid(graphql: GraphQL) -> None:
    # The real service's implicit conversion makes 5 the string "5", which no secret signed.
    assert await graphql.rest("POST", "/auth/refresh-token", {"refreshToken": 5}) == (
        401,
        INVALID,
    )


async def test_tokens_work_across_rest_and_graphql(graphql: GraphQL) -> None:
    rest_tokens = await rest_login(graphql)
    profile = await graphql.profile(rest_tokens["access_token"])
    assert profile["data"]["myProfile"]["email"] == "john@mail.com"
    refreshed = await graphql.refresh(rest_tokens["refresh_token"])
    assert "errors" not in refreshed

    graphql_tokens = await graphql.login("maria@mail.com", "12345")
    status, body = await graphql.rest("GET", "/auth/profile", token=graphql_tokens["access_token"])
    assert (status, body["id"]) == (200, 2)
    status, _ = await graphql.rest(
        "POST", "/auth/refresh-token", {"refreshToken": graphql_tokens["refresh_token"]}
    )
    assert status == 201


async def test_expired_token_is_refused_on_both_sides(graphql: GraphQL) -> None:
    tokens = await rest_login(graphql)
    graphql.fake.clock.advance("20d")
    assert await graphql.rest("GET", "/auth/profile", token=tokens["access_token"]) == (
        401,
        UNAUTHORIZED,
    )
    assert (await graphql.profile(tokens["access_token"]))["errors"][0]["message"] == "Unauthorized"


async def test_users_list_and_limit(graphql: GraphQL) -> None:
    status, users = await graphql.rest("GET", "/users")
    assert status == 200
    assert [user["id"] for user in users] == [1, 2, 3]
    assert users[0] == JOHN_JSON
    status, first = await graphql.rest("GET", "/users?limit=1")
    assert (status, first) == (200, [JOHN_JSON])


async def test_users_bad_limit_is_400(graphql: GraphQL) -> None:
    status, body = await graphql.rest("GET", "/users?limit=ten")
    assert status == 400
    assert body["message"] == ["limit must be a number conforming to the specified constraints"]
    assert len((await graphql.rest("GET", "/users?limit=0"))[1]) == 3


async def test_user_by_id(graphql: GraphQL) -> None:
    assert await graphql.rest("GET", "/users/1") == (200, JOHN_JSON)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_an_unknown_user_is_typeorms_400(graphql: GraphQL, method: str) -> None:
    # As the real service's exception filter shapes TypeORM's EntityNotFoundError; the
    # timestamp comes from the fake's clock.
    assert await graphql.rest(method, "/users/99", {"name": "X"}) == (
        400,
        {
            "path": "/api/v1/users/99",
            "timestamp": "2023-01-03T20:44:43.000Z",
            "name": "EntityNotFoundError",
            "message": 'Could not find any entity of type "User" matching: {\n    "id": 99\n}',
        },
    )


async def test_non_numeric_id_is_400(graphql: GraphQL) -> None:
    assert await graphql.rest("GET", "/users/abc") == (
        400,
        {
            "message": "Validation failed (numeric string is expected)",
            "error": "Bad Request",
            "statusCode": 400,
        },
    )


async def test_create_update_delete_round_trip(graphql: GraphQL) -> None:
    status, created = await graphql.rest("POST", "/users", NEW_USER)
    assert status == 201
    assert created == {
        **NEW_USER,
        "id": 4,
        "role": "customer",
        "creationAt": "2023-01-03T20:44:43.000Z",
        "updatedAt": "2023-01-03T20:44:43.000Z",
    }
    # The same state as GraphQL: the new user logs in there.
    await graphql.login("nico@mail.com", "1234")

    graphql.fake.clock.advance("1m")
    status, updated = await graphql.rest("PUT", "/users/4", {"name": "Nicolas"})
    assert status == 200
    assert updated == {**created, "name": "Nicolas", "updatedAt": "2023-01-03T20:45:43.000Z"}

    assert await graphql.rest("DELETE", "/users/4") == (200, True)
    status, _ = await graphql.rest("GET", "/users/4")
    assert status == 400


async def test_create_with_bad_fields_is_400_with_one_message_per_rule(graphql: GraphQL) -> None:
    body = {"email": "nope", "name": 5, "password": "a b", "role": "root"}
    status, answer = await graphql.rest("POST", "/users", body)
    assert status == 400
    assert answer == {
        # name 5 was made the string "5" first, as by the real implicit conversion.
        "message": [
            "email must be an email",
            "password must be longer than or equal to 4 characters",
            "password must contain only letters and numbers",
            "role must be one of the following values: admin, customer",
            "avatar should not be empty",
            "avatar must be a URL address",
        ],
        "error": "Bad Request",
        "statusCode": 400,
    }
    status, users = await graphql.rest("GET", "/users")
    assert len(users) == 3


async def test_create_with_a_taken_email_is_400(graphql: GraphQL) -> None:
    status, body = await graphql.rest("POST", "/users", {**NEW_USER, "email": "john@mail.com"})
    assert status == 400
    assert "john@mail.com" in body["message"][0]


async def test_seed_users_are_protected(graphql: GraphQL) -> None:
    status, body = await graphql.rest("PUT", "/users/1", {"name": "X"})
    assert (status, body["message"]) == (
        401,
        "This user is not available for updating; instead, create your own user to update.",
    )
    status, body = await graphql.rest("DELETE", "/users/3")
    assert (status, body["message"]) == (
        401,
        "This user is not available for deleting; instead, create your own user to delete.",
    )


async def test_is_available(graphql: GraphQL) -> None:
    assert await graphql.rest("POST", "/users/is-available", {"email": "john@mail.com"}) == (
        201,
        {"isAvailable": False},
    )
    assert await graphql.rest("POST", "/users/is-available", {"email": "new@mail.com"}) == (
        201,
        {"isAvailable": True},
    )
    status, body = await graphql.rest("POST", "/users/is-available", {})
    assert (status, body["message"]) == (
        400,
        ["email should not be empty", "email must be an email"],
    )


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]"])
async def test_a_body_that_is_not_a_json_object_is_400(graphql: GraphQL, data: bytes) -> None:
    status, body = await graphql.rest("POST", "/users", data=data)
    assert status == 400
    assert body["error"] == "Bad Request"
    assert "JSON" in body["message"]


@pytest.mark.parametrize(("method", "path"), [("GET", "/nothing"), ("PATCH", "/users/1")])
async def test_unknown_routes_answer_like_nest(graphql: GraphQL, method: str, path: str) -> None:
    assert await graphql.rest(method, path) == (
        404,
        {"message": f"Cannot {method} /api/v1{path}", "error": "Not Found", "statusCode": 404},
    )


async def test_preflight_for_put_with_authorization(graphql: GraphQL) -> None:
    response = await preflight(graphql, "/api/v1/users/4", "http://localhost:5173", "PUT")
    assert response.status == 204
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    assert "authorization" in response.headers["Access-Control-Allow-Headers"]
