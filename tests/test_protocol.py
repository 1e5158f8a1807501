"""The GraphQL-over-HTTP protocol as Apollo Server 4 speaks it, plus CORS and health."""

from __future__ import annotations

import logging

import pytest
from helpers import GraphQL, error_codes, preflight


async def test_syntax_error_is_400_parse_failed(graphql: GraphQL) -> None:
    status, body = await graphql.post("query { myProfile { id ")
    assert status == 400
    assert error_codes(body) == ["GRAPHQL_PARSE_FAILED"]
    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert "data" not in body


@pytest.mark.parametrize(
    "query",
    [
        "{ nope }",
        "{ myProfile }",
        "mutation { login(email: 1, password: 2) { access_token } }",
        'mutation { login(email: "a") { access_token } }',
    ],
    ids=["unknown field", "no selection", "wrong type", "missing argument"],
)
async def test_invalid_query_is_400_validation_failed(graphql: GraphQL, query: str) -> None:
    status, body = await graphql.post(query)
    assert status == 400
    assert set(error_codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert body["errors"][0]["locations"]


async def test_variables_of_the_wrong_type_are_400_bad_user_input(graphql: GraphQL) -> None:
    status, body = await graphql.post(
        "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }",
        {"e": 5},
    )
    assert status == 400
    assert set(error_codes(body)) == {"BAD_USER_INPUT"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not json", "the body is not valid JSON (Expecting value"),
        (b"", "POST body missing"),
        (b"{}", "POST body missing"),
        (b'"query"', "POST body missing"),
        (b'{"variables": {}}', "non-empty `query`"),
        (b'{"query": 5}', "`query` must be a string"),
        (b'{"query": "{ myProfile { id } }", "variables": [1]}', "`variables` must be an object"),
        (b'{"query": "{ myProfile { id } }", "operationName": 5}', "`operationName`"),
        (b'[{"query": "{ myProfile { id } }"}]', "batching"),
        (b"\xff\xfe{", "the body is not valid JSON"),
    ],
)
async def test_malformed_bodies_are_400_with_json_errors(
    graphql: GraphQL, raw: bytes, message: str
) -> None:
    response = await graphql.client.post(
        "/graphql", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert response.content_type == "application/json"
    body = await response.json()
    assert error_codes(body) == ["BAD_REQUEST"]
    assert message in body["errors"][0]["message"]


async def test_operation_name_selects_the_operation(graphql: GraphQL) -> None:
    query = (
        'mutation A { login(email: "john@mail.com", password: "changeme") { access_token } } '
        'mutation B { login(email: "maria@mail.com", password: "12345") { refresh_token } }'
    )
    response = await graphql.client.post("/graphql", json={"query": query, "operationName": "B"})
    assert list((await response.json())["data"]["login"]) == ["refresh_token"]
    for name, message in [
        (None, "Must provide operation name"),
        ("C", 'Unknown operation named "C"'),
    ]:
        response = await graphql.client.post(
            "/graphql", json={"query": query, "operationName": name}
        )
        body = await response.json()
        assert response.status == 400
        assert error_codes(body) == ["OPERATION_RESOLUTION_FAILURE"]
        assert message in body["errors"][0]["message"]


async def test_get_runs_queries(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    response = await graphql.client.get(
        "/graphql",
        params={
            "query": "query P($x: Boolean!) { myProfile { id @include(if: $x) } }",
            "variables": '{"x": true}',
        },
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert response.status == 200
    assert await response.json() == {"data": {"myProfile": {"id": "1"}}}


async def test_get_refuses_mutations(graphql: GraphQL) -> None:
    response = await graphql.client.get(
        "/graphql",
        params={
            "query": 'mutation { login(email: "john@mail.com", password: "changeme") { access_token } }'
        },
    )
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    assert error_codes(await response.json()) == ["BAD_REQUEST"]


async def test_get_with_bad_variables_is_400(graphql: GraphQL) -> None:
    response = await graphql.client.get(
        "/graphql", params={"query": "{ myProfile { id } }", "variables": "{nope"}
    )
    assert response.status == 400
    assert error_codes(await response.json()) == ["BAD_REQUEST"]


async def test_browser_get_shows_the_graphql_ide(graphql: GraphQL) -> None:
    response = await graphql.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "graphiql" in (await response.text()).lower()


async def test_cors_allows_any_origin(graphql: GraphQL) -> None:
    response = await graphql.client.post(
        "/graphql", json={"query": "{ myProfile { id } }"}, headers={"Origin": "http://app.test"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


async def test_cors_preflight_for_bearer_post_succeeds(graphql: GraphQL) -> None:
    response = await preflight(graphql, "/graphql", "http://app.test", "POST")
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed
    assert "content-type" in allowed


async def test_health(graphql: GraphQL) -> None:
    response = await graphql.client.get("/health")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"


async def test_expected_failures_log_no_tracebacks(
    graphql: GraphQL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await graphql.post('mutation { login(email: "john@mail.com", password: "x") { access_token } }')
    await graphql.post("{ myProfile { id } }", token="bad")
    await graphql.refresh("bad")
    await graphql.post("{ nope }")
    assert not [record for record in caplog.records if record.exc_info]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_repeated_queries_answer_the_same(graphql: GraphQL) -> None:
    # The second run is served from the document cache; it must not change the answer.
    answers = [await graphql.post("{ myProfile { id } }") for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
