"""The control API under /__fakeauth/, over HTTP as any test runner would use it."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest
from helpers import DOC_NOW, LOGIN, PROFILE, GraphQL, MakeGraphQL

NEW_USER = {
    "email": "ann@mail.com",
    "password": "secret1",
    "name": "Ann",
    "role": "customer",
    "avatar": "https://example.com/ann.png",
}


async def test_clock_reads_sets_and_advances(graphql: GraphQL) -> None:
    assert await graphql.control("GET", "/clock") == (
        200,
        {"now": "2023-01-03T20:44:43.000Z", "timestamp": 1672778683, "frozen": True},
    )
    status, clock = await graphql.control("POST", "/clock/advance", {"by": "10h"})
    assert (status, clock["now"]) == (200, "2023-01-04T06:44:43.000Z")
    _, clock = await graphql.control("POST", "/clock/advance", {"by": 1})
    assert clock["timestamp"] == 1672778683 + 36000 + 1
    _, clock = await graphql.control("PUT", "/clock", {"now": "2030-01-01T00:00:00Z"})
    assert clock == {"now": "2030-01-01T00:00:00.000Z", "timestamp": 1893456000, "frozen": True}
    _, clock = await graphql.control("PUT", "/clock", {"frozen": False})
    assert clock["frozen"] is False
    assert clock["timestamp"] >= 1893456000
    _, clock = await graphql.control("PUT", "/clock", {"now": 1672778683, "frozen": True})
    assert clock["now"] == "2023-01-03T20:44:43.000Z"


async def test_tokens_expire_when_the_clock_is_advanced_over_http(
    make_graphql: MakeGraphQL,
) -> None:
    gql = await make_graphql(now=DOC_NOW, frozen=True, access_ttl="15m")
    tokens = await gql.login()
    await gql.control("POST", "/clock/advance", {"by": "14m59s"})
    assert "data" in await gql.profile(tokens["access_token"])
    await gql.control("POST", "/clock/advance", {"by": "1s"})
    body = await gql.profile(tokens["access_token"])
    assert body["errors"][0]["message"] == "Unauthorized"


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", "/clock", {"now": "yesterday"}, "not an instant"),
        ("PUT", "/clock", {"now": "2023-01-03T20:44:43"}, "no time zone"),
        ("PUT", "/clock", {"frozen": "yes"}, "frozen must be true or false"),
        ("PUT", "/clock", {"when": 1}, "unknown key 'when'"),
        ("POST", "/clock/advance", {"by": "soon"}, "not a duration"),
        ("POST", "/clock/advance", {"by": -5}, "only moves forward"),
        ("POST", "/clock/advance", {}, 'give "by"'),
        ("POST", "/clock/advance", [1], "must be a JSON object"),
    ],
)
async def test_bad_clock_requests_are_400_and_change_nothing(
    graphql: GraphQL, method: str, path: str, body: Any, message: str
) -> None:
    status, answer = await graphql.control(method, path, body)
    assert status == 400
    assert answer["statusCode"] == 400
    assert message in answer["message"]
    assert graphql.fake.clock.timestamp() == 1672778683
    assert graphql.fake.clock.frozen


async def test_a_body_that_is_not_json_is_400(graphql: GraphQL) -> None:
    response = await graphql.client.put(
        "/__fakeauth/clock", data=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert "not JSON" in (await response.json())["message"]


async def test_users_are_listed_added_and_removed(graphql: GraphQL) -> None:
    status, users = await graphql.control("GET", "/users")
    assert status == 200
    assert [(u["id"], u["email"]) for u in users] == [
        (1, "john@mail.com"),
        (2, "maria@mail.com"),
        (3, "admin@mail.com"),
    ]
    status, ann = await graphql.control("POST", "/users", NEW_USER)
    assert status == 201
    assert ann["id"] == 4
    assert ann["creationAt"] == "2023-01-03T20:44:43.000Z"  # the fake's clock, not the wall's
    tokens = await graphql.login("ann@mail.com", "secret1")
    profile = await graphql.profile(tokens["access_token"])
    assert profile["data"]["myProfile"]["name"] == "Ann"
    assert await graphql.control("GET", "/users/4") == (200, ann)

    assert await graphql.control("DELETE", "/users/4") == (204, None)
    body = await graphql.profile(tokens["access_token"])
    assert body["errors"][0]["message"] == "Unauthorized"
    assert "Invalid" in str(await graphql.refresh(tokens["refresh_token"]))
    status, missing = await graphql.control("DELETE", "/users/4")
    assert (status, missing["message"]) == (404, "no user with id 4")


async def test_a_user_with_an_id_keeps_it(graphql: GraphQL) -> None:
    status, user = await graphql.control("POST", "/users", {**NEW_USER, "id": 40})
    assert (status, user["id"]) == (201, 40)


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        (
            {"email": "john@mail.com"},
            409,
            "duplicate email 'john@mail.com' (already used by user 1)",
        ),
        ({"id": 2}, 409, "duplicate id 2 (already used by maria@mail.com)"),
        ({"password": None}, 400, "missing field 'password'"),
        ({"role": "king"}, 400, "role must be 'customer' or 'admin', not 'king'"),
        ({"colour": "red"}, 400, "unknown field 'colour'"),
        ({"id": "seven"}, 400, "id must be a positive integer"),
    ],
)
async def test_bad_users_get_a_clear_4xx_and_change_nothing(
    graphql: GraphQL, changes: dict[str, Any], status: int, message: str
) -> None:
    user = {key: value for key, value in {**NEW_USER, **changes}.items() if value is not None}
    answer = await graphql.control("POST", "/users", user)
    assert answer[0] == status
    assert message in answer[1]["message"]
    assert len(graphql.fake.users) == 3


async def test_reset_restores_users_clock_faults_and_log(graphql: GraphQL) -> None:
    await graphql.control("POST", "/users", NEW_USER)
    await graphql.control("DELETE", "/users/1")
    await graphql.control("POST", "/clock/advance", {"by": "1d"})
    await graphql.control("POST", "/faults", {"operation": "login", "error": "BAD_REQUEST"})
    await graphql.post(PROFILE)
    assert await graphql.control("POST", "/reset") == (204, None)
    _, users = await graphql.control("GET", "/users")
    assert [u["id"] for u in users] == [1, 2, 3]
    assert (await graphql.control("GET", "/clock"))[1]["timestamp"] == 1672778683
    assert await graphql.control("GET", "/faults") == (200, [])
    assert await graphql.control("GET", "/requests") == (200, [])
    assert "data" in (await graphql.post(LOGIN))[1]


async def test_the_request_log_says_who_did_what_and_masks_passwords(graphql: GraphQL) -> None:
    tokens = await graphql.login()  # password in a variable
    await graphql.post(LOGIN)  # password written into the query
    await graphql.profile(tokens["access_token"])
    await graphql.profile("not-a-token")
    await graphql.post("{ nope }")
    await graphql.control("POST", "/clock/advance", {"by": "1m"})
    await graphql.refresh(tokens["refresh_token"])

    status, log = await graphql.control("GET", "/requests")
    assert status == 200
    assert [(e["operation"], e["fields"], e["outcome"]) for e in log] == [
        ("L", ["login"], "ok"),
        (None, ["login"], "ok"),
        (None, ["myProfile"], "ok"),
        (None, ["myProfile"], "UNAUTHENTICATED"),
        (None, [], "GRAPHQL_VALIDATION_FAILED"),
        ("Refresh", ["refreshToken"], "ok"),
    ]
    assert log[0]["variables"] == {"e": "john@mail.com", "p": "***"}
    assert "changeme" not in str(log)
    assert 'password: "***"' in log[1]["query"]
    assert [e["user"] for e in log] == [None, None, {"id": 1, "email": "john@mail.com"}] + [
        None
    ] * 3
    assert [e["time"] for e in log] == ["2023-01-03T20:44:43.000Z"] * 5 + [
        "2023-01-03T20:45:43.000Z"
    ]
    assert log[5]["variables"] == {"token": tokens["refresh_token"]}

    assert await graphql.control("DELETE", "/requests") == (204, None)
    assert await graphql.control("GET", "/requests") == (200, [])


async def test_passwords_are_masked_under_any_key_that_names_them(graphql: GraphQL) -> None:
    await graphql.post(
        "query Q($password: String, $x: [String]) { myProfile { id } }",
        {"password": "a", "x": ["b"], "newPassword": {"deep": 1}},
    )
    _, log = await graphql.control("GET", "/requests")
    assert log[0]["variables"] == {"password": "***", "x": ["b"], "newPassword": "***"}


async def test_the_log_keeps_the_newest_entries(graphql: GraphQL) -> None:
    from fakeauth.core.request_log import MAX_ENTRIES

    for number in range(MAX_ENTRIES + 5):
        await graphql.post(f"# {number}")
    await graphql.post(PROFILE)
    _, log = await graphql.control("GET", "/requests")
    assert len(log) == MAX_ENTRIES
    assert log[0]["query"] == "# 6"
    assert log[-1]["fields"] == ["myProfile"]


async def test_a_fault_fails_the_next_matching_operations_in_apollo_shape(graphql: GraphQL) -> None:
    status, fault = await graphql.control(
        "POST",
        "/faults",
        {"operation": "login", "error": "INTERNAL_SERVER_ERROR", "times": 2},
    )
    assert status == 201
    assert fault == {
        "operation": "login",
        "error": "INTERNAL_SERVER_ERROR",
        "delay_ms": 0,
        "times": 2,
        "message": None,
    }
    tokens_before = await graphql.post(PROFILE)  # another operation is untouched
    assert tokens_before[1]["errors"][0]["message"] == "Unauthorized"
    for _ in range(2):
        status, body = await graphql.post(LOGIN)
        assert status == 200
        assert body == {
            "errors": [
                {
                    "message": "Internal server error",
                    "locations": [{"line": 2, "column": 3}],
                    "path": ["login"],
                    "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                }
            ],
            "data": None,
        }
    assert "data" in (await graphql.post(LOGIN))[1]
    assert await graphql.control("GET", "/faults") == (200, [])
    _, log = await graphql.control("GET", "/requests")
    assert [e["outcome"] for e in log] == [
        "UNAUTHENTICATED",
        "INTERNAL_SERVER_ERROR",
        "INTERNAL_SERVER_ERROR",
        "ok",
    ]


async def test_a_real_code_comes_with_the_real_services_error(graphql: GraphQL) -> None:
    await graphql.control(
        "POST", "/faults", {"operation": "*", "error": "UNAUTHENTICATED", "times": 2}
    )
    _, login = await graphql.post(LOGIN)
    assert login["errors"][0]["extensions"] == {
        "code": "UNAUTHENTICATED",
        "originalError": {"message": "Unauthorized", "statusCode": 401},
    }
    refresh = await graphql.refresh("whatever")
    assert refresh["errors"][0]["message"] == "Invalid"
    await graphql.control("POST", "/faults", {"error": "TOO_MANY_REQUESTS", "message": "Slow down"})
    _, body = await graphql.post(PROFILE)
    assert body["errors"][0]["message"] == "Slow down"
    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_REQUESTS"}


async def test_a_delay_fault_holds_the_answer_back(graphql: GraphQL) -> None:
    await graphql.control("POST", "/faults", {"operation": "login", "delay_ms": 200})
    started = time.perf_counter()
    _, body = await graphql.post(LOGIN)
    assert time.perf_counter() - started >= 0.2
    assert "data" in body


async def test_a_network_fault_closes_the_connection_without_an_answer(graphql: GraphQL) -> None:
    await graphql.control("POST", "/faults", {"operation": "myProfile", "error": "network"})
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await graphql.post(PROFILE)
    assert (await graphql.post(PROFILE))[0] == 200
    _, log = await graphql.control("GET", "/requests")
    assert [e["outcome"] for e in log] == ["network", "UNAUTHENTICATED"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"operation": "logout", "error": "X"}, "unknown operation 'logout'"),
        ({"operation": "login"}, "needs an error, a delay, or both"),
        ({"error": "oops"}, "GraphQL error code"),
        ({"error": "X", "times": 0}, "times must be a positive integer"),
        ({"error": "X", "delay_ms": -1}, "must not be negative"),
        ({"error": "X", "delay_ms": "1s"}, "delay_ms must be a number"),
        ({"error": "X", "every": 2}, "unknown key 'every'"),
    ],
)
async def test_bad_faults_are_400_and_add_nothing(
    graphql: GraphQL, body: dict[str, Any], message: str
) -> None:
    status, answer = await graphql.control("POST", "/faults", body)
    assert status == 400
    assert message in answer["message"]
    assert await graphql.control("GET", "/faults") == (200, [])


async def test_faults_are_cleared(graphql: GraphQL) -> None:
    await graphql.control("POST", "/faults", {"error": "INTERNAL_SERVER_ERROR", "times": 5})
    assert len((await graphql.control("GET", "/faults"))[1]) == 1
    assert await graphql.control("DELETE", "/faults") == (204, None)
    assert "data" in (await graphql.post(LOGIN))[1]


async def test_no_control_turns_the_whole_api_off(make_graphql: MakeGraphQL) -> None:
    gql = await make_graphql(control=False)
    for method, path in [("GET", "/clock"), ("POST", "/reset"), ("GET", "/users")]:
        response = await gql.client.request(method, f"/__fakeauth{path}")
        assert response.status == 404
    assert "data" in (await gql.post(LOGIN))[1]


async def test_the_control_api_allows_pages_on_loopback_only(graphql: GraphQL) -> None:
    dev_server = "http://localhost:5173"
    response = await graphql.client.options(
        "/__fakeauth/clock",
        headers={"Origin": dev_server, "Access-Control-Request-Method": "PUT"},
    )
    assert response.status == 204
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Origin"] == dev_server
    response = await graphql.client.get("/__fakeauth/clock", headers={"Origin": dev_server})
    assert response.headers["Access-Control-Allow-Origin"] == dev_server
    response = await graphql.client.get("/__fakeauth/clock", headers={"Origin": "http://x.io"})
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_latency_delays_every_graphql_answer_but_not_control(
    make_graphql: MakeGraphQL,
) -> None:
    # Long enough that a busy machine cannot blur a delayed answer into a quick one.
    gql = await make_graphql(latency="1500ms")
    started = time.perf_counter()
    assert (await gql.control("GET", "/clock"))[0] == 200
    assert time.perf_counter() - started < 1.5
    for query in (LOGIN, "{ nope }"):
        started = time.perf_counter()
        await gql.post(query)
        assert time.perf_counter() - started >= 1.5


async def test_the_start_page_shows_the_logged_requests(graphql: GraphQL) -> None:
    await graphql.login()
    response = await graphql.client.get("/", headers={"Accept": "text/html"})
    page = await response.text()
    section = page[page.index('<section id="requests">') :].split("</section>")[0]
    assert "L (login)" in section
    assert "2023-01-03T20:44:43.000Z" in section
