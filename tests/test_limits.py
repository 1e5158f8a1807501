"""Limits on one request: body size, query size, depth, width, aliases, directives, batches."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from graphql import get_introspection_query
from helpers import GraphQL, error_codes, gql_refused

from fakeauth.gql import limits
from fakeauth.web.limits import MAX_BODY_BYTES


async def post_raw(graphql: GraphQL, body: bytes) -> tuple[int, dict[str, Any], Any]:
    response = await graphql.client.post(
        "/graphql", data=io.BytesIO(body), headers={"Content-Type": "application/json"}
    )
    assert response.content_type == "application/json"
    return response.status, json.loads(await response.read()), response.headers


async def test_body_over_one_mib_is_413_json(graphql: GraphQL) -> None:
    padding = "x" * MAX_BODY_BYTES
    body = json.dumps({"query": "{ myProfile { id } }", "variables": {"pad": padding}})
    status, answer, headers = await post_raw(graphql, body.encode())
    assert status == 413
    assert error_codes(answer) == ["BAD_REQUEST"]
    assert "larger than 1048576 bytes" in answer["errors"][0]["message"]
    assert headers["Access-Control-Allow-Origin"] == "*"


async def test_body_just_under_the_limit_is_served(graphql: GraphQL) -> None:
    skeleton = json.dumps({"query": "{ myProfile { id } }", "variables": {"pad": ""}})
    padding = "x" * (MAX_BODY_BYTES - len(skeleton))
    body = json.dumps({"query": "{ myProfile { id } }", "variables": {"pad": padding}})
    assert len(body) == MAX_BODY_BYTES
    status, answer, _ = await post_raw(graphql, body.encode())
    assert status == 200
    assert answer["errors"][0]["message"] == "Unauthorized"


async def test_too_many_tokens_is_a_parse_failure(graphql: GraphQL) -> None:
    fields = " ".join(["id"] * limits.MAX_TOKENS)
    error = await gql_refused(graphql, f"{{ myProfile {{ {fields} }} }}", "GRAPHQL_PARSE_FAILED")
    assert f"more than {limits.MAX_TOKENS} tokens" in error["message"]


async def test_too_long_a_query_is_a_parse_failure(graphql: GraphQL) -> None:
    # Comments are not tokens; the length limit still bounds them.
    padded = "#" + "x" * limits.MAX_QUERY_CHARS + "\n{ myProfile { id } }"
    error = await gql_refused(graphql, padded, "GRAPHQL_PARSE_FAILED")
    assert f"more than {limits.MAX_QUERY_CHARS}" in error["message"]


def nested_type_query(levels: int) -> str:
    # __type(name) { ofType { ofType ... } }: the introspection schema nests without end.
    inner = "name"
    for _ in range(levels - 2):
        inner = f"ofType {{ {inner} }}"
    return f'{{ __type(name: "User") {{ {inner} }} }}'


async def test_depth_at_the_limit_is_served(graphql: GraphQL) -> None:
    status, body = await graphql.post(nested_type_query(limits.MAX_DEPTH))
    assert status == 200, body
    assert body["data"]["__type"]["ofType"] is None


async def test_depth_over_the_limit_is_refused(graphql: GraphQL) -> None:
    error = await gql_refused(
        graphql, nested_type_query(limits.MAX_DEPTH + 1), "GRAPHQL_VALIDATION_FAILED"
    )
    message = error["message"]
    assert f"nests {limits.MAX_DEPTH + 1} levels deep" in message
    assert f"limit of {limits.MAX_DEPTH}" in message
    assert error["locations"] == [{"line": 1, "column": 1}]


async def test_depth_through_fragments_counts(graphql: GraphQL) -> None:
    inner = "name"
    for _ in range(limits.MAX_DEPTH - 2):
        inner = f"ofType {{ {inner} }}"
    query = (
        f'query Deep {{ __type(name: "User") {{ ...A }} }} '
        f"fragment A on __Type {{ ofType {{ ...B }} }} "
        f"fragment B on __Type {{ {inner} }}"
    )
    status, body = await graphql.post(query)
    assert status == 400
    assert 'Operation "Deep" nests' in body["errors"][0]["message"]


def aliased(count: int) -> str:
    return "{ " + " ".join(f"a{i}: myProfile {{ id }}" for i in range(count)) + " }"


async def test_aliases_at_the_limit_are_served(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    status, body = await graphql.post(aliased(limits.MAX_ALIASES), token=tokens["access_token"])
    assert status == 200
    assert len(body["data"]) == limits.MAX_ALIASES


async def test_aliases_over_the_limit_are_refused(graphql: GraphQL) -> None:
    error = await gql_refused(graphql, aliased(limits.MAX_ALIASES + 1), "GRAPHQL_VALIDATION_FAILED")
    assert f"uses {limits.MAX_ALIASES + 1} aliases" in error["message"]


async def test_too_many_fields_are_refused(graphql: GraphQL) -> None:
    # The same field over and over: cheap to send, quadratic for the overlap rule.
    fields = " ".join(["id"] * limits.MAX_FIELDS)
    error = await gql_refused(
        graphql, f"{{ myProfile {{ {fields} }} }}", "GRAPHQL_VALIDATION_FAILED"
    )
    assert f"selects {limits.MAX_FIELDS + 1} fields" in error["message"]


async def test_fields_of_a_fragment_count_at_each_use(graphql: GraphQL) -> None:
    # A few tokens that expand to many fields: each spread counts the fragment again.
    uses = limits.MAX_FIELDS // 5 + 1
    query = (
        "query Wide { myProfile { " + " ".join(["...F"] * uses) + " } } "
        "fragment F on User { id name email role avatar }"
    )
    status, body = await graphql.post(query)
    assert status == 400
    assert f"selects {uses * 5 + 1} fields" in body["errors"][0]["message"]


async def test_too_many_directives_are_refused(graphql: GraphQL) -> None:
    fields = " ".join(f"f{i}: id @include(if: true)" for i in range(limits.MAX_DIRECTIVES + 1))
    status, body = await graphql.post(f"{{ myProfile {{ {fields} }} }}")
    assert status == 400
    messages = [error["message"] for error in body["errors"]]
    assert any(f"{limits.MAX_DIRECTIVES + 1} directives" in m for m in messages)


async def test_a_fragment_cycle_is_a_validation_error_not_a_crash(graphql: GraphQL) -> None:
    query = "{ myProfile { ...A } } fragment A on User { id ...B } fragment B on User { name ...A }"
    status, body = await graphql.post(query)
    assert status == 400
    assert set(error_codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert any("Cannot spread fragment" in error["message"] for error in body["errors"])


def fragment_chain(links: int) -> str:
    query = "{ myProfile { ...F0 } } " + " ".join(
        f"fragment F{i} on User {{ ...F{i + 1} }}" for i in range(links)
    )
    return query + f" fragment F{links} on User {{ id }}"


async def test_a_chain_of_fragments_is_served(graphql: GraphQL) -> None:
    status, body = await graphql.post(fragment_chain(50))
    assert status == 200, body
    assert body["errors"][0]["message"] == "Unauthorized"


async def test_a_very_long_chain_of_fragments_is_a_validation_error(graphql: GraphQL) -> None:
    # graphql-core stops following spreads past its own nesting bound.
    status, body = await graphql.post(fragment_chain(200))  # about as many as MAX_TOKENS allows
    assert status == 400
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert body["errors"][0]["message"] == "Validation aborted."


@pytest.mark.parametrize(
    "options",
    [
        {},
        {
            "descriptions": True,
            "specified_by_url": True,
            "directive_is_repeatable": True,
            "schema_description": True,
            "input_value_deprecation": True,
            "one_of": True,
        },
    ],
    ids=["default", "everything"],
)
async def test_the_introspection_query_of_tools_fits_the_limits(
    graphql: GraphQL, options: dict[str, bool]
) -> None:
    status, body = await graphql.post(get_introspection_query(**options))
    assert status == 200, body
    names = {t["name"] for t in body["data"]["__schema"]["types"]}
    assert {"User", "Login", "Query", "Mutation"} <= names


async def test_a_batch_is_refused_whatever_its_size(graphql: GraphQL) -> None:
    batch = [{"query": "{ myProfile { id } }"}] * 1000
    status, body, _ = await post_raw(graphql, json.dumps(batch).encode())
    assert status == 400
    assert body["errors"][0]["message"] == "Operation batching disabled."
    assert error_codes(body) == ["BAD_REQUEST"]


async def test_a_refused_query_leaves_the_server_serving(graphql: GraphQL) -> None:
    await graphql.post(aliased(limits.MAX_ALIASES + 1))
    tokens = await graphql.login()
    assert (await graphql.profile(tokens["access_token"]))["data"]["myProfile"]["id"] == "1"
