"""Malformed HTTP requests: each gets a 4xx with a JSON body, never a 500, never text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import GraphQL

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


def message_and_code(body: Any) -> tuple[str, str]:
    [error] = body["errors"]
    return error["message"], error["extensions"]["code"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"query": "{ myProfile { id } }\xff"}', "POST body missing"),
        (b'{"query": "\xc3\x28"}', "POST body missing"),
    ],
    ids=["bad byte in a string", "bad sequence"],
)
async def test_invalid_utf8_is_400(graphql: GraphQL, raw: bytes, message: str) -> None:
    status, body = await send(graphql, "POST", data=raw)
    assert status == 400
    text, code = message_and_code(body)
    assert message in text
    assert code == "BAD_REQUEST"


async def test_lone_surrogate_in_the_query_is_a_parse_failure(graphql: GraphQL) -> None:
    status, body = await send(graphql, "POST", data=b'{"query": "{ myProfile \\ud800 { id } }"}')
    assert status == 400
    assert message_and_code(body)[1] == "GRAPHQL_PARSE_FAILED"


async def test_invalid_utf8_in_a_get_query_is_400(graphql: GraphQL) -> None:
    response = await graphql.client.get("/graphql?query=%7B%20myProfile%20%FF%20%7D")
    assert response.status == 400
    assert response.content_type == "application/json"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ('"{}"', "`variables` must be an object"),
        ("5", "`variables` must be an object"),
        ("true", "`variables` must be an object"),
        ("[]", "`variables` must be an object"),
    ],
)
async def test_variables_that_are_not_an_object_are_400(
    graphql: GraphQL, variables: str, message: str
) -> None:
    raw = f'{{"query": "{PROFILE}", "variables": {variables}}}'.encode()
    status, body = await send(graphql, "POST", data=raw)
    assert status == 400
    assert message in message_and_code(body)[0]
    status, body = await send(graphql, "GET", params={"query": PROFILE, "variables": variables})
    assert status == 400
    assert message in message_and_code(body)[0]


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
    assert status == 400
    assert {error["extensions"]["code"] for error in body["errors"]} == {"BAD_USER_INPUT"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("5", "`query` must be a string"),
        ("[]", "`query` must be a string"),
        ('{"q": 1}', "`query` must be a string"),
        ("true", "`query` must be a string"),
        ("null", "non-empty `query`"),
        ('"   "', "`query` must be a string"),
    ],
)
async def test_a_query_that_is_not_a_string_is_400(
    graphql: GraphQL, query: str, message: str
) -> None:
    status, body = await send(graphql, "POST", data=f'{{"query": {query}}}'.encode())
    assert status == 400
    text, code = message_and_code(body)
    assert message in text
    assert code == "BAD_REQUEST"


async def test_a_mutation_over_get_is_405_even_by_operation_name(graphql: GraphQL) -> None:
    query = (
        "query Q { myProfile { id } } "
        'mutation M { login(email: "john@mail.com", password: "changeme") { access_token } }'
    )
    response = await graphql.client.get("/graphql", params={"query": query, "operationName": "M"})
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
    text, code = message_and_code(body)
    assert text.startswith("POST body missing, invalid Content-Type, or JSON object has no keys:")
    assert "send JSON with Content-Type: application/json" in text
    assert code == "BAD_REQUEST"


async def test_json_with_a_charset_is_json(graphql: GraphQL) -> None:
    raw = json.dumps({"query": PROFILE}).encode()
    status, body = await send(
        graphql, "POST", data=raw, content_type="application/json; charset=utf-8"
    )
    assert status == 200
    assert body["errors"][0]["message"] == "Unauthorized"


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b'{"query": "%s", "variables": {"e": 1e999, "p": "x"}}', 400, "BAD_USER_INPUT"),
        (b'{"query": "%s", "variables": {"e": NaN, "p": "x"}}', 400, "BAD_USER_INPUT"),
        (b'{"query": "%s", "variables": {"e": -Infinity, "p": "x"}}', 400, "BAD_USER_INPUT"),
        (
            b'{"query": "%s", "variables": {"e": 1' + b"0" * 5000 + b', "p": "x"}}',
            400,
            "BAD_REQUEST",
        ),
    ],
    ids=["1e999", "NaN", "-Infinity", "5000 digits"],
)
async def test_huge_numbers_in_variables_are_400(
    graphql: GraphQL, raw: bytes, status: int, code: str
) -> None:
    answer_status, body = await send(graphql, "POST", data=raw.replace(b"%s", LOGIN_VARS.encode()))
    assert answer_status == status
    assert {error["extensions"]["code"] for error in body["errors"]} == {code}


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
