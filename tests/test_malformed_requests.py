"""Malformed HTTP requests: each gets a 4xx with a JSON body, never a 500, never text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import CSRF, PREFLIGHT, GraphQL

PROFILE = "{ myProfile { id } }"
LOGIN_VARS = (
    "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }"
)


def strict_json(raw: bytes) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(raw, parse_constant=refuse)


async def send(
    graphql: GraphQL,
    method: str,
    path: str = "/graphql",
    *,
    data: bytes | None = None,
    content_type: str | None = "application/json",
    params: dict[str, str] | None = None,
) -> tuple[int, Any]:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = await graphql.client.request(
        method, path, data=data, params=params, headers=headers, skip_auto_headers={"Content-Type"}
    )
    assert response.content_type == "application/json", await response.text()
    return response.status, strict_json(await response.read())


NO_BODY = "POST body missing, invalid Content-Type, or JSON object has no keys."


def message_and_code(body: Any) -> tuple[str, str]:
    [error] = body["errors"]
    return error["message"], error["extensions"]["code"]


@pytest.mark.parametrize(
    "raw",
    [b'{"query": "{ myProfile { id } }\xff"}', b'{"query": "\xc3\x28"}'],
    ids=["bad byte in a string", "bad sequence"],
)
async def test_invalid_utf8_is_a_parse_failure(graphql: GraphQL, raw: bytes) -> None:
    # Express decodes a bad byte as U+FFFD, which GraphQL's lexer refuses.
    status, body = await send(graphql, "POST", data=raw)
    assert status == 400
    text, code = message_and_code(body)
    assert "U+FFFD" in text
    assert code == "GRAPHQL_PARSE_FAILED"


async def test_lone_surrogate_in_the_query_is_a_parse_failure(graphql: GraphQL) -> None:
    status, body = await send(graphql, "POST", data=b'{"query": "{ myProfile \\ud800 { id } }"}')
    assert status == 400
    assert message_and_code(body)[1] == "GRAPHQL_PARSE_FAILED"


async def test_invalid_utf8_in_a_get_query_is_400(graphql: GraphQL) -> None:
    response = await graphql.client.get("/graphql?query=%7B%20myProfile%20%FF%20%7D")
    assert response.status == 400
    assert response.content_type == "application/json"


NOT_AN_OBJECT = "`variables` in a POST body must be an object if provided."


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            '"{}"',
            "`variables` in a POST body should be provided as an object, not a recursively"
            " JSON-encoded string.",
        ),
        ("5", NOT_AN_OBJECT),
        ("true", NOT_AN_OBJECT),
        ("[]", NOT_AN_OBJECT),
    ],
)
async def test_variables_that_are_not_an_object_are_400(
    graphql: GraphQL, variables: str, message: str
) -> None:
    raw = f'{{"query": "{PROFILE}", "variables": {variables}}}'.encode()
    status, body = await send(graphql, "POST", data=raw)
    assert status == 400
    assert message_and_code(body) == (message, "BAD_REQUEST")
    status, body = await send(graphql, "GET", params={"query": PROFILE, "variables": variables})
    assert status == 400
    assert message_and_code(body) == (
        "The variables search parameter should contain a JSON-encoded object.",
        "BAD_REQUEST",
    )


@pytest.mark.parametrize(
    "variables",
    [
        {"e": 5, "p": "x"},
        {"e": ["john@mail.com"], "p": "x"},
        {"e": {"nested": True}, "p": "x"},
        {"e": None, "p": "x"},
        {"e": "john@mail.com"},
    ],
    ids=["number", "list", "object", "null", "missing"],
)
async def test_variables_of_the_wrong_type_are_bad_user_input(
    graphql: GraphQL, variables: dict[str, Any]
) -> None:
    status, body = await graphql.post(LOGIN_VARS, variables)
    assert status == 200
    assert "data" not in body
    assert {error["extensions"]["code"] for error in body["errors"]} == {"BAD_USER_INPUT"}


NO_QUERY = "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension."


@pytest.mark.parametrize(
    ("query", "message", "code"),
    [
        ("5", "GraphQL queries must be strings.", "BAD_REQUEST"),
        ("[]", "GraphQL queries must be strings.", "BAD_REQUEST"),
        ('{"q": 1}', "GraphQL queries must be strings.", "BAD_REQUEST"),
        ("true", "GraphQL queries must be strings.", "BAD_REQUEST"),
        ("false", NO_QUERY, "BAD_REQUEST"),
        ("null", NO_QUERY, "BAD_REQUEST"),
        ('"   "', "Syntax Error: Unexpected <EOF>.", "GRAPHQL_PARSE_FAILED"),
    ],
)
async def test_a_query_that_is_not_a_string_is_400(
    graphql: GraphQL, query: str, message: str, code: str
) -> None:
    status, body = await send(graphql, "POST", data=f'{{"query": {query}}}'.encode())
    assert status == 400
    assert message_and_code(body) == (message, code)


async def test_a_mutation_over_get_is_405_even_by_operation_name(graphql: GraphQL) -> None:
    query = (
        "query Q { myProfile { id } } "
        'mutation M { login(email: "john@mail.com", password: "changeme") { access_token } }'
    )
    params = {"query": query, "operationName": "M"}
    response = await graphql.client.get("/graphql", params=params)
    assert response.status == 400  # Apollo's CSRF prevention answers first
    assert message_and_code(await response.json()) == (CSRF, "BAD_REQUEST")
    response = await graphql.client.get("/graphql", params=params, headers=PREFLIGHT)
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    assert message_and_code(await response.json())[1] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        None,
    ],
)
async def test_a_body_that_is_not_declared_json_is_400(
    graphql: GraphQL, content_type: str | None
) -> None:
    raw = json.dumps({"query": PROFILE}).encode()
    status, body = await send(graphql, "POST", data=raw, content_type=content_type)
    assert status == 400
    # A type a plain form could send is a possible CSRF; any other is not parsed at all.
    expected = CSRF if content_type != "application/graphql" else NO_BODY
    assert message_and_code(body) == (expected, "BAD_REQUEST")


async def test_json_with_a_charset_is_json(graphql: GraphQL) -> None:
    raw = json.dumps({"query": PROFILE}).encode()
    status, body = await send(
        graphql, "POST", data=raw, content_type="application/json; charset=utf-8"
    )
    assert status == 200
    assert body["errors"][0]["message"] == "Unauthorized"


@pytest.mark.parametrize("number", [b"1e999", b"1" + b"0" * 5000], ids=["1e999", "5000 digits"])
async def test_huge_numbers_in_variables_are_infinity_as_in_javascript(
    graphql: GraphQL, number: bytes
) -> None:
    raw = b'{"query": "%s", "variables": {"e": %s, "p": "x"}}' % (LOGIN_VARS.encode(), number)
    status, body = await send(graphql, "POST", data=raw)
    assert status == 200
    assert message_and_code(body) == (
        'Variable "$e" got invalid value Infinity; String cannot represent a non string value:'
        " Infinity",
        "BAD_USER_INPUT",
    )


@pytest.mark.parametrize(
    ("constant", "message"),
    [
        (b"NaN", 'Unexpected token \'N\', ..."s": {"e": NaN, "p": "... is not valid JSON'),
        (b"-Infinity", "No number after minus sign in JSON at position 122"),
    ],
)
async def test_nan_and_infinity_are_not_json(
    graphql: GraphQL, constant: bytes, message: str
) -> None:
    raw = b'{"query": "%s", "variables": {"e": %s, "p": "x"}}' % (LOGIN_VARS.encode(), constant)
    status, body = await send(graphql, "POST", data=raw)
    assert status == 400
    assert body == {"message": message, "error": "Bad Request", "statusCode": 400}


@pytest.mark.parametrize(
    "literal", ["1" + "0" * 5000, "1e999", "99999999999999999999999", "-0.0e-999"]
)
async def test_huge_numbers_in_the_query_are_validation_errors(
    graphql: GraphQL, literal: str
) -> None:
    status, body = await graphql.post(
        f'mutation {{ login(email: {literal}, password: "x") {{ access_token }} }}'
    )
    assert status == 400
    assert {error["extensions"]["code"] for error in body["errors"]} == {
        "GRAPHQL_VALIDATION_FAILED"
    }


@pytest.mark.parametrize("depth", [100, 5000, 200_000])
async def test_deeply_nested_json_variables_are_400(graphql: GraphQL, depth: int) -> None:
    nested = b"[" * depth + b"]" * depth
    raw = b'{"query": "%s", "variables": {"e": %s, "p": "x"}}' % (LOGIN_VARS.encode(), nested)
    status, body = await send(graphql, "POST", data=raw)
    assert status == 400
    assert len(json.dumps(body)) < 2000  # the value is not echoed back in full


async def test_deeply_nested_json_in_get_variables_is_400(graphql: GraphQL) -> None:
    nested = "[" * 1300 + "]" * 1300  # deeper than Python's recursion limit, within 8 KiB
    status, body = await send(graphql, "GET", params={"query": PROFILE, "variables": nested})
    assert status == 400
    assert message_and_code(body)[1] == "BAD_REQUEST"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_on_graphql_are_405_json(graphql: GraphQL, method: str) -> None:
    status, body = await send(graphql, method, data=b"{}")
    assert status == 405
    assert message_and_code(body) == (
        "Apollo Server supports only GET/POST requests.",
        "BAD_REQUEST",
    )


async def test_an_unknown_path_is_404_json_in_the_nest_shape(graphql: GraphQL) -> None:
    status, body = await send(graphql, "GET", "/api/v1/nope")
    assert status == 404
    assert body == {"message": "Cannot GET /api/v1/nope", "error": "Not Found", "statusCode": 404}
