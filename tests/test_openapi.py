"""GET /__fakeauth/openapi.json tells the truth: every control route is in it, and every
operation in it answers as it says, with bodies of the schemas it gives."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import GraphQL

from fakeauth import create_app
from fakeauth.web.openapi import DESCRIPTION
from fakeauth.web.paths import CONTROL_PREFIX
from fakeauth.web.routes import NAMESPACE_PREFIX

PATHS: dict[str, dict[str, Any]] = DESCRIPTION["paths"]
METHODS = ("get", "put", "post", "delete", "patch")
OPERATIONS = sorted(
    (path, method) for path, item in PATHS.items() for method in item if method in METHODS
)


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = DESCRIPTION["components"]["schemas"][name]
    return schema


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Where ``value`` breaks ``schema``: the part of JSON Schema this description uses."""
    schema = resolve(schema)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not problems(value, s, where)]
        return [] if len(matching) == 1 else [f"{where}: {len(matching)} of oneOf match {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, kind) for kind in kinds):
            return [f"{where}: {value!r} is not {'/'.join(kinds)}"]
    found: list[str] = []
    if isinstance(value, dict):
        props = schema.get("properties", {})
        found += [f"{where}: no {key!r}" for key in schema.get("required", []) if key not in value]
        if schema.get("type") == "object" and props:
            found += [f"{where}: undescribed {key!r}" for key in value if key not in props]
        for key, sub in props.items():
            if key in value:
                found += problems(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{index}]")
    return found


def _is(value: Any, kind: str) -> bool:
    checks = {
        "object": lambda: isinstance(value, dict),
        "array": lambda: isinstance(value, list),
        "string": lambda: isinstance(value, str),
        "integer": lambda: isinstance(value, int) and not isinstance(value, bool),
        "number": lambda: isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": lambda: isinstance(value, bool),
        "null": lambda: value is None,
    }
    return checks[kind]()


def test_every_registered_control_route_is_described() -> None:
    registered = set()
    for route in create_app().router.routes():
        resource = route.resource
        assert resource is not None
        path = resource.canonical.removeprefix(NAMESPACE_PREFIX)
        if path.startswith(CONTROL_PREFIX) and route.method not in ("HEAD", "OPTIONS"):
            registered.add((path, route.method.lower()))
    assert registered == set(OPERATIONS)


def test_the_prefixed_routes_and_the_catalogue_are_those_that_take_the_header() -> None:
    namespaced = {
        resource.canonical.removeprefix(NAMESPACE_PREFIX)
        for resource in create_app().router.resources()
        if resource.canonical.startswith(NAMESPACE_PREFIX + CONTROL_PREFIX)
    }
    with_header = {
        path
        for path, item in PATHS.items()
        if any(p["in"] == "header" for p in item.get("parameters", []))
    }
    assert with_header == namespaced
    assert "/__fakeauth/catalog" in namespaced


def test_every_reference_resolves_and_every_operation_answers_json_or_nothing() -> None:
    text = repr(DESCRIPTION)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in DESCRIPTION["components"]["schemas"], name
    assert DESCRIPTION["openapi"] == "3.1.0"
    for path, method in OPERATIONS:
        responses = PATHS[path][method]["responses"]
        for status, response in responses.items():
            assert status.isdigit(), (path, method)
            assert ("content" in response) == (status != "204"), (path, method, status)


def _url(path: str) -> str:
    params = {
        p["name"]: p["example"] for p in PATHS[path].get("parameters", []) if p["in"] == "path"
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(params[m[1]]), path)


def _success(responses: dict[str, Any]) -> int:
    # The first one listed: a PUT of a namespace lists 201 (created) before 200 (replaced).
    return int(next(status for status in responses if status.startswith("2")))


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
async def test_every_operation_answers_as_described(
    graphql: GraphQL, path: str, method: str
) -> None:
    operation = PATHS[path][method]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    if "example" in body:
        assert problems(body["example"], body["schema"]) == []
    kwargs = {"json": body["example"]} if "example" in body else {}
    response = await graphql.client.request(method.upper(), _url(path), **kwargs)
    responses = operation["responses"]
    assert response.status == _success(responses), await response.text()
    described = responses[str(response.status)]
    if "content" in described:
        answer = await response.json()
        assert problems(answer, described["content"]["application/json"]["schema"]) == []
    else:
        assert await response.read() == b""


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/users/99", None, 404),
        ("DELETE", "/users/99", None, 404),
        ("POST", "/users/99/revoke", None, 404),
        ("POST", "/users", {"email": "x"}, 400),
        (
            "POST",
            "/users",
            {
                "email": "john@mail.com",
                "password": "p",
                "name": "J",
                "role": "customer",
                "avatar": "https://example.com/a.png",
            },
            409,
        ),
        ("PUT", "/clock", {"now": "soon"}, 400),
        ("POST", "/clock/advance", {}, 400),
        ("POST", "/tokens", {"user": "nobody@mail.com"}, 404),
        ("POST", "/tokens", {}, 400),
        ("POST", "/faults", {"times": "x"}, 400),
        ("PUT", "/catalog", {"products": 1}, 400),
        ("PUT", "/namespaces/default", {}, 409),
        ("PUT", "/namespaces/w1", {"ttl": 1}, 400),
        ("DELETE", "/namespaces/default", None, 409),
        ("DELETE", "/namespaces/a%20b", None, 400),
    ],
)
async def test_errors_are_described_where_they_happen(
    graphql: GraphQL, method: str, path: str, body: Any, status: int
) -> None:
    response = await graphql.client.request(method, CONTROL_PREFIX + path, json=body)
    assert response.status == status
    template = next(
        p for p in PATHS if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", p), CONTROL_PREFIX + path)
    )
    described = PATHS[template][method.lower()]["responses"][str(status)]
    assert problems(await response.json(), described["content"]["application/json"]["schema"]) == []


async def test_a_replaced_namespace_answers_200_as_described(graphql: GraphQL) -> None:
    for expected in (201, 200):
        response = await graphql.client.put("/__fakeauth/namespaces/w1", json={"frozen": True})
        assert response.status == expected
    schema = PATHS["/__fakeauth/namespaces/{name}"]["put"]["responses"]["200"]
    assert problems(await response.json(), schema["content"]["application/json"]["schema"]) == []


async def test_the_description_is_served_as_json(graphql: GraphQL) -> None:
    status, served = await graphql.control("GET", "/openapi.json")
    assert status == 200
    assert served == DESCRIPTION
    response = await graphql.client.get("/ns/w1/__fakeauth/openapi.json")
    assert response.status == 404  # the server's, not a namespace's


def test_the_checker_finds_what_breaks_a_schema() -> None:
    clock = {"$ref": "#/components/schemas/Clock"}
    good = {"now": "2023-01-03T20:44:43.000Z", "timestamp": 1, "frozen": True}
    assert problems(good, clock) == []
    assert problems({**good, "frozen": "yes"}, clock) == ["$.frozen: 'yes' is not boolean"]
    assert problems({"now": "x", "timestamp": 1}, clock) == ["$: no 'frozen'"]
    assert problems({**good, "extra": 1}, clock) == ["$: undescribed 'extra'"]
    assert problems([{"id": 1}], {"type": "array", "items": clock})[0] == "$[0]: no 'now'"
