"""What the real service answers, side by side (issue 14): each test quotes its answer.

The other differences the issue lists are asserted where their subject lives:
variable errors and Apollo's messages in test_protocol.py and test_malformed_requests.py,
the REST twin's messages and TypeORM's 400 in test_rest.py.
"""

from __future__ import annotations

import json

import pytest
from helpers import CSRF, JOHN_CREDENTIALS, LOGIN, PREFLIGHT, GraphQL

APOLLO_CLIENT_ACCEPT = "application/graphql-response+json,application/json;q=0.9"


async def test_graphql_answers_name_their_media_type_and_are_not_cached(graphql: GraphQL) -> None:
    response = await graphql.client.post(
        "/graphql", json={"query": LOGIN}, headers={"Accept": APOLLO_CLIENT_ACCEPT}
    )
    assert response.headers["Content-Type"] == "application/graphql-response+json; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    response = await graphql.client.post("/graphql", json={"query": LOGIN})
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert (await response.read()).endswith(b"}\n")


async def test_an_accept_header_without_json_is_406(graphql: GraphQL) -> None:
    response = await graphql.client.post(
        "/graphql", json={"query": LOGIN}, headers={"Accept": "image/png"}
    )
    assert response.status == 406


async def test_every_other_json_answer_says_its_charset(graphql: GraphQL) -> None:
    for path in ("/api/v1/users", "/__fakeauth/clock", "/health"):
        response = await graphql.client.get(path)
        assert response.headers["Content-Type"] == "application/json; charset=utf-8", path


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("GET", {}),
        ("POST", {"Content-Type": "text/plain"}),
        ("POST", {}),
    ],
    ids=["get without headers", "text/plain", "no content type"],
)
async def test_apollos_csrf_prevention(
    graphql: GraphQL, method: str, headers: dict[str, str]
) -> None:
    body = json.dumps({"query": "{ users { id } }"}).encode()
    response = await graphql.client.request(
        method,
        "/graphql",
        params={"query": "{ users { id } }"} if method == "GET" else None,
        data=body if method == "POST" else None,
        headers=headers,
        skip_auto_headers={"Content-Type"},
    )
    assert response.status == 400
    assert await response.json() == {
        "errors": [{"message": CSRF, "extensions": {"code": "BAD_REQUEST"}}]
    }
    # With Apollo's header (what Apollo Client sends on a GET), a query runs.
    response = await graphql.client.get(
        "/graphql", params={"query": "{ users { id } }"}, headers=PREFLIGHT
    )
    assert response.status == 200


async def test_is_available_checks_the_email(graphql: GraphQL) -> None:
    _, body = await graphql.post('{ isAvailable(email: "not-an-email") }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["originalError"]["message"] == ["email must be an email"]


async def test_users_limit_zero_is_everyone(graphql: GraphQL) -> None:
    _, body = await graphql.post("{ users(limit: 0) { id } }")
    assert [user["id"] for user in body["data"]["users"]] == ["1", "2", "3"]


async def test_users_created_at_run_time_carry_whole_seconds(graphql: GraphQL) -> None:
    graphql.fake.clock.set("2023-01-23T20:44:43.678Z")
    user = {"email": "w@mail.com", "name": "W", "password": "pass1", "avatar": "https://a.io/w"}
    status, created = await graphql.rest("POST", "/users", user)
    assert status == 201
    assert created["creationAt"] == created["updatedAt"] == "2023-01-23T20:44:43.000Z"


async def test_a_json_body_sent_as_text_is_not_read(graphql: GraphQL) -> None:
    response = await graphql.client.post(
        "/api/v1/auth/login",
        data=json.dumps(JOHN_CREDENTIALS),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status == 401
    assert await response.json() == {"message": "Unauthorized", "statusCode": 401}


async def test_a_form_encoded_login_is_read(graphql: GraphQL) -> None:
    response = await graphql.client.post("/api/v1/auth/login", data=JOHN_CREDENTIALS)
    assert response.status == 201
    assert "access_token" in await response.json()


async def test_a_delete_answers_true_as_html(graphql: GraphQL) -> None:
    user = {"email": "d@mail.com", "name": "D", "password": "pass1", "avatar": "https://a.io/d"}
    _, created = await graphql.rest("POST", "/users", user)
    response = await graphql.client.delete(f"/api/v1/users/{created['id']}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert await response.text() == "true"


async def test_seed_users_stay_protected_over_graphql_too(graphql: GraphQL) -> None:
    # The real GraphQL updateUser changes them; its own message says it means not to.
    _, body = await graphql.post('mutation { updateUser(id: 1, changes: {name: "X"}) { id } }')
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_second_user_with_a_taken_email_is_refused(graphql: GraphQL) -> None:
    user = {"email": "maria@mail.com", "name": "M", "password": "pass1", "avatar": "https://a.io/m"}
    status, body = await graphql.rest("POST", "/users", user)
    assert status == 400
    assert "already taken" in body["message"][0]
