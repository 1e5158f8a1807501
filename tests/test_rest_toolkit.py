"""The testing toolkit on the REST twin: the request log, faults and --latency, over HTTP."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest
from helpers import JOHN_CREDENTIALS, LOGIN, PROFILE, GraphQL, MakeGraphQL

UNAUTHORIZED = {"message": "Unauthorized", "statusCode": 401}


async def control(gql: GraphQL, method: str, path: str, body: Any = None) -> Any:
    status, answer = await gql.control(method, path, body)
    assert status < 300, answer
    return answer


async def fail(gql: GraphQL, **fault: Any) -> None:
    await control(gql, "POST", "/faults", fault)


async def test_rest_requests_are_logged_with_route_user_body_and_outcome(graphql: GraphQL) -> None:
    _, tokens = await graphql.rest("POST", "/auth/login", JOHN_CREDENTIALS)
    await graphql.rest("GET", "/auth/profile", token=tokens["access_token"])
    await graphql.rest("GET", "/auth/profile", token="nonsense")
    await graphql.rest("GET", "/users?limit=2")
    await graphql.rest("PATCH", "/users/1")
    await control(graphql, "POST", "/clock/advance", {"by": "1m"})
    await graphql.rest("POST", "/auth/refresh-token", {"refreshToken": tokens["refresh_token"]})

    entries = await graphql.log()
    assert entries[0] == {
        "time": "2023-01-03T20:44:43.000Z",
        "api": "rest",
        "operation_name": None,
        "root_fields": ["login"],
        "operation": "login",
        "fields": ["login"],
        "method": "POST",
        "path": "/api/v1/auth/login",
        "query": None,
        "variables": {},
        "body": {"email": "john@mail.com", "password": "***"},
        "user": None,
        "outcome": "ok",
        "reason": None,
        "status": 201,
    }
    assert entries[2]["reason"] == "not a compact HS256 JWS (three base64url segments, no padding)"
    assert [
        (e["method"], e["path"], e["operation"], e["outcome"], e["status"]) for e in entries
    ] == [
        ("POST", "/api/v1/auth/login", "login", "ok", 201),
        ("GET", "/api/v1/auth/profile", "myProfile", "ok", 200),
        ("GET", "/api/v1/auth/profile", "myProfile", "UNAUTHENTICATED", 401),
        ("GET", "/api/v1/users?limit=2", "users", "ok", 200),
        ("PATCH", "/api/v1/users/1", None, "NOT_FOUND", 404),
        ("POST", "/api/v1/auth/refresh-token", "refreshToken", "ok", 201),
    ]
    john = {"id": 1, "email": "john@mail.com"}
    assert [e["user"] for e in entries] == [None, john, None, None, None, None]
    assert entries[-1]["time"] == "2023-01-03T20:45:43.000Z"
    assert entries[-1]["body"] == {"refreshToken": tokens["refresh_token"]}
    assert "changeme" not in str(entries)


async def test_graphql_and_rest_share_one_log_in_order(graphql: GraphQL) -> None:
    await graphql.post(LOGIN)
    await graphql.rest("POST", "/auth/login", JOHN_CREDENTIALS)
    await graphql.post(PROFILE)
    entries = await graphql.log()
    assert [(e["api"], e["fields"], e["outcome"]) for e in entries] == [
        ("graphql", ["login"], "ok"),
        ("rest", ["login"], "ok"),
        ("graphql", ["myProfile"], "UNAUTHENTICATED"),
    ]
    # One shape for both APIs: a GraphQL entry has the HTTP facts too, and no REST body.
    assert (entries[0]["method"], entries[0]["path"], entries[0]["status"]) == (
        "POST",
        "/graphql",
        200,
    )
    assert entries[0]["body"] is None
    await control(graphql, "POST", "/reset")
    assert await graphql.log() == []


@pytest.mark.parametrize(
    ("method", "path", "body", "shown"),
    [
        (
            "POST",
            "/users",
            {"name": "Ann", "password": "secret1"},
            {"name": "Ann", "password": "***"},
        ),
        (
            "PUT",
            "/users/4",
            {"changes": [{"newPassword": "x", "avatar": "a"}]},
            {"changes": [{"newPassword": "***", "avatar": "a"}]},
        ),
        ("POST", "/auth/login", b'{"email": "a", "password": "sec', "***"),
        ("POST", "/auth/login", b"not json", "not json"),
    ],
)
async def test_passwords_in_rest_bodies_are_masked(
    graphql: GraphQL, method: str, path: str, body: Any, shown: Any
) -> None:
    if isinstance(body, bytes):
        await graphql.rest(method, path, data=body)
    else:
        await graphql.rest(method, path, body)
    entries = await graphql.log()
    assert entries[0]["body"] == shown
    assert "sec" not in str(entries[0]["body"]).replace("***", "")


@pytest.mark.parametrize(
    ("operation", "method", "path", "fault", "status", "body"),
    [
        ("login", "POST", "/auth/login", {"error": "UNAUTHENTICATED"}, 401, UNAUTHORIZED),
        (
            "refreshToken",
            "POST",
            "/auth/refresh-token",
            {"error": "UNAUTHENTICATED"},
            401,
            {"message": "Invalid", "error": "Unauthorized", "statusCode": 401},
        ),
        (
            "addUser",
            "POST",
            "/users",
            {"error": "BAD_REQUEST"},
            400,
            {"message": ["Bad Request"], "error": "Bad Request", "statusCode": 400},
        ),
        (
            "user",
            "GET",
            "/users/1",
            {"error": "NOT_FOUND", "message": "User with id 1 not found"},
            404,
            {"message": "User with id 1 not found", "error": "Not Found", "statusCode": 404},
        ),
        (
            "deleteUser",
            "DELETE",
            "/users/4",
            {"error": "FORBIDDEN"},
            403,
            {"message": "Forbidden resource", "error": "Forbidden", "statusCode": 403},
        ),
        (
            "users",
            "GET",
            "/users",
            {"error": "INTERNAL_SERVER_ERROR"},
            500,
            {"message": "Internal server error", "statusCode": 500},
        ),
        (
            "myProfile",
            "GET",
            "/auth/profile",
            {"error": "SOMETHING_ODD"},
            500,
            {"message": "Internal server error", "statusCode": 500},
        ),
        (
            "isAvailable",
            "POST",
            "/users/is-available",
            {"error": "TOO_MANY_REQUESTS"},
            429,
            {"message": "Too Many Requests", "statusCode": 429},
        ),
        (
            "login",
            "POST",
            "/auth/login",
            {"error": "SERVICE_UNAVAILABLE", "message": "Down for maintenance"},
            503,
            {"message": "Down for maintenance", "statusCode": 503},
        ),
        (
            "login",
            "POST",
            "/auth/login",
            {"error": "UNAUTHENTICATED", "message": "Session expired"},
            401,
            {"message": "Session expired", "statusCode": 401},
        ),
    ],
)
async def test_an_error_fault_answers_in_the_real_services_rest_shape(
    graphql: GraphQL,
    operation: str,
    method: str,
    path: str,
    fault: dict[str, Any],
    status: int,
    body: dict[str, Any],
) -> None:
    await fail(graphql, operation=operation, **fault)
    assert await graphql.rest(method, path, JOHN_CREDENTIALS) == (status, body)
    entries = await graphql.log()
    assert (entries[0]["outcome"], entries[0]["status"]) == (fault["error"], status)
    assert await control(graphql, "GET", "/faults") == []


async def test_a_faulted_request_changes_nothing(graphql: GraphQL) -> None:
    await fail(graphql, operation="addUser", error="INTERNAL_SERVER_ERROR")
    new_user = {"email": "ann@mail.com", "name": "Ann", "password": "1234", "avatar": "x.com"}
    assert (await graphql.rest("POST", "/users", new_user))[0] == 500
    assert len(await control(graphql, "GET", "/users")) == 3


async def test_a_graphql_fault_also_hits_rest_and_times_counts_across_both(
    graphql: GraphQL,
) -> None:
    await fail(graphql, operation="login", error="UNAUTHENTICATED", times=3)
    assert await graphql.rest("POST", "/auth/login", JOHN_CREDENTIALS) == (401, UNAUTHORIZED)
    _, body = await graphql.post(LOGIN)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await control(graphql, "GET", "/faults"))[0]["times"] == 1
    assert (await graphql.rest("GET", "/auth/profile"))[0] == 401  # another operation: its own
    assert await graphql.rest("POST", "/auth/login", JOHN_CREDENTIALS) == (401, UNAUTHORIZED)
    assert await control(graphql, "GET", "/faults") == []
    assert (await graphql.rest("POST", "/auth/login", JOHN_CREDENTIALS))[0] == 201
    assert "data" in (await graphql.post(LOGIN))[1]


async def test_a_fault_for_any_operation_hits_rest_but_not_unknown_routes(
    graphql: GraphQL,
) -> None:
    await fail(graphql, error="INTERNAL_SERVER_ERROR")
    assert (await graphql.rest("GET", "/nowhere"))[0] == 404
    assert (await graphql.rest("GET", "/users"))[0] == 500
    assert (await graphql.rest("GET", "/users"))[0] == 200


async def test_a_delay_fault_holds_a_rest_answer_back(graphql: GraphQL) -> None:
    await fail(graphql, operation="login", delay_ms=1000)
    started = time.perf_counter()
    status, _ = await graphql.rest("POST", "/auth/login", JOHN_CREDENTIALS)
    assert time.perf_counter() - started >= 1
    assert status == 201
    started = time.perf_counter()
    await graphql.rest("POST", "/auth/login", JOHN_CREDENTIALS)
    assert time.perf_counter() - started < 1


async def test_a_network_fault_drops_the_rest_connection(graphql: GraphQL) -> None:
    await fail(graphql, operation="myProfile", error="network")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await graphql.client.get("/api/v1/auth/profile")
    assert (await graphql.rest("GET", "/auth/profile"))[0] == 401
    entries = await graphql.log()
    assert [(e["outcome"], e["status"]) for e in entries] == [
        ("network", None),
        ("UNAUTHENTICATED", 401),
    ]


async def test_latency_delays_rest_answers_but_not_control_start_page_or_assets(
    make_graphql: MakeGraphQL,
) -> None:
    # Long enough that a busy machine cannot blur a delayed answer into a quick one.
    gql = await make_graphql(latency="2s")
    for method, path, body in [
        ("POST", "/auth/login", JOHN_CREDENTIALS),
        ("GET", "/auth/profile", None),
        ("GET", "/nowhere", None),
    ]:
        started = time.perf_counter()
        await gql.rest(method, path, body)
        assert time.perf_counter() - started >= 2, path
    for path in ["/__fakeauth/clock", "/", "/graphql/assets/graphiql/LICENSE.react", "/health"]:
        started = time.perf_counter()
        response = await gql.client.get(path)
        assert response.status == 200
        await response.read()
        assert time.perf_counter() - started < 2, path


async def test_the_start_page_shows_rest_requests(graphql: GraphQL) -> None:
    await graphql.rest("POST", "/auth/login", {"email": "john@mail.com", "password": "nope"})
    response = await graphql.client.get("/", headers={"Accept": "text/html"})
    page = await response.text()
    section = page[page.index('<section id="requests">') :].split("</section>")[0]
    assert "POST /api/v1/auth/login (login)" in section
    assert "UNAUTHENTICATED" in section
    assert "nope" not in section


async def test_the_log_does_not_keep_large_bodies(graphql: GraphQL) -> None:
    # A bounded log of unbounded entries would not be bounded: big bodies are left out.
    padding = "x" * 20_000
    await graphql.client.post(
        "/api/v1/auth/login",
        json={"email": "john@mail.com", "password": "changeme", "pad": padding},
    )
    await graphql.post(
        "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }",
        {"e": "john@mail.com", "p": "changeme", "pad": padding},
    )
    rest_entry, graphql_entry = (await graphql.log())[-2:]
    assert rest_entry["body"].startswith("(not kept: ")
    assert rest_entry["outcome"] == "ok"
    assert list(graphql_entry["variables"]) == ["(not kept)"]
    assert padding not in str(await graphql.log())
