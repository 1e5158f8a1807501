"""The GraphQL-over-HTTP protocol as Apollo Server 4 speaks it, plus CORS and health."""

from __future__ import annotations

import logging

import pytest
from helpers import PREFLIGHT, GraphQL, error_codes, preflight


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


async def test_variables_of_the_wrong_type_are_200_bad_user_input(graphql: GraphQL) -> None:
    # Apollo Server 4 answers these with HTTP 200 (Apollo Client would call a 400 a
    # network error), in graphql-js 16's words.
    status, body = await graphql.post(
        "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }",
        {"e": 5},
    )
    assert status == 200
    assert body == {
        "errors": [
            {
                "message": 'Variable "$e" got invalid value 5; String cannot represent a'
                " non string value: 5",
                "locations": [{"line": 1, "column": 12}],
                "extensions": {"code": "BAD_USER_INPUT"},
            },
            {
                "message": 'Variable "$p" of required type "String!" was not provided.',
                "locations": [{"line": 1, "column": 25}],
                "extensions": {"code": "BAD_USER_INPUT"},
            },
        ]
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "POST body missing, invalid Content-Type, or JSON object has no keys."),
        (b"{}", "POST body missing, invalid Content-Type, or JSON object has no keys."),
        (
            b'{"variables": {}}',
            "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.",
        ),
        (b'{"query": 5}', "GraphQL queries must be strings."),
        (
            b'{"query": "{ myProfile { id } }", "variables": [1]}',
            "`variables` in a POST body must be an object if provided.",
        ),
        (
            b'{"query": "{ myProfile { id } }", "operationName": 5}',
            "`operationName` in a POST body must be a string if provided.",
        ),
        (b'[{"query": "{ myProfile { id } }"}]', "Operation batching disabled."),
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
    assert body["errors"][0]["message"] == message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # body-parser's strict mode names the first character, not V8's first bad one.
        (b"not json", "Unexpected token 'n', \"not json\" is not valid JSON"),
        (b'"query"', 'Unexpected token \'"\', ""query"" is not valid JSON'),
        (b"{x", "Expected property name or '}' in JSON at position 1"),
        (
            b'{"query": "{ myProfile { id } }"',
            "Expected ',' or '}' after property value in JSON at position 32",
        ),
        (b'{"query":', "Unexpected end of JSON input"),
        (b'{"query": "x"} y', "Unexpected non-whitespace character after JSON at position 15"),
    ],
    ids=["not json", "a string", "stray character", "unclosed", "truncated", "trailing"],
)
async def test_a_body_that_is_not_json_is_refused_by_the_body_parser_in_nest_shape(
    graphql: GraphQL, raw: bytes, message: str
) -> None:
    # Express's JSON parser answers before Apollo sees the request.
    response = await graphql.client.post(
        "/graphql", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert await response.json() == {"message": message, "error": "Bad Request", "statusCode": 400}


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
        headers={"Authorization": f"Bearer {tokens['access_token']}", **PREFLIGHT},
    )
    assert response.status == 200
    assert await response.json() == {"data": {"myProfile": {"id": "1"}}}


async def test_get_refuses_mutations(graphql: GraphQL) -> None:
    response = await graphql.client.get(
        "/graphql",
        params={
            "query": 'mutation { login(email: "john@mail.com", password: "changeme") { access_token } }'
        },
        headers=PREFLIGHT,
    )
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    assert error_codes(await response.json()) == ["BAD_REQUEST"]


async def test_get_with_bad_variables_is_400(graphql: GraphQL) -> None:
    response = await graphql.client.get(
        "/graphql",
        params={"query": "{ myProfile { id } }", "variables": "{nope"},
        headers=PREFLIGHT,
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
