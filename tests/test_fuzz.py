"""Random requests against the app: never a 500, never a traceback, always JSON.

Hypothesis drives a synchronous test, so the server runs on an event loop of the
test's own. Examples are derandomized: CI runs the same ones every time.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakeauth import Config, FakeAuth, create_app

WORDS = [
    "{", "}", "(", ")", ":", "$", "...", "@", "!", "[", "]", "=", ",",
    "query", "mutation", "subscription", "fragment", "on", "true", "null", '"x"', "1", "1.5e3",
    "myProfile", "login", "refreshToken", "id", "name", "email", "password", "role", "avatar",
    "access_token", "refresh_token", "User", "Login", "String", "__schema", "__type",
    "__typename", "types", "fields", "ofType", "include", "skip", "if", "e", "p", "F",
    'email: "john@mail.com"', 'password: "changeme"', "#", '"""',
]  # fmt: skip

graphqlish = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.text(max_size=80),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
requests_bodies = st.one_of(
    st.fixed_dictionaries(
        {"query": graphqlish},
        optional={"variables": json_values, "operationName": json_values},
    ).map(lambda body: json.dumps(body).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
)
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=120)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Authorization": st.one_of(header_text, header_text.map("Bearer {}".format)),
        "Content-Type": st.sampled_from(
            ["application/json", "text/plain", "application/json; charset=latin-1", "", "*/*"]
        ),
        "X-Fakeauth-Control-Token": header_text,
    },
)
# Not "/": the start page is HTML for people.
paths = st.sampled_from(
    ["/graphql"] * 6
    + ["/health", "/__fakeauth/clock", "/nope", "/api/v1/auth/login", "/api/v1/users/1"]
)


@pytest.fixture
def served() -> Iterator[tuple[asyncio.AbstractEventLoop, TestClient[Any, Any]]]:
    loop = asyncio.new_event_loop()

    async def start() -> TestClient[Any, Any]:
        fake = FakeAuth(Config.build(now="2023-01-03T20:44:43Z", frozen=True))
        client: TestClient[Any, Any] = TestClient(TestServer(create_app(fake)))
        await client.start_server()
        return client

    client = loop.run_until_complete(start())
    try:
        yield loop, client
    finally:
        loop.run_until_complete(client.close())
        loop.close()


def check_answer(status: int, content_type: str, raw: bytes) -> None:
    assert status < 500, raw
    assert content_type == "application/json", (status, raw)

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in a JSON answer")

    json.loads(raw, parse_constant=refuse)


FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    method=st.sampled_from(["POST", "POST", "POST", "GET", "PUT", "DELETE"]),
    path=paths,
    body=requests_bodies,
    request_headers=headers,
)
def test_random_posts_get_json_and_no_500(
    served: tuple[asyncio.AbstractEventLoop, TestClient[Any, Any]],
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    body: bytes,
    request_headers: dict[str, str],
) -> None:
    loop, client = served
    caplog.set_level(logging.INFO)

    async def send() -> None:
        data = None if method == "GET" else body
        async with client.request(method, path, data=data, headers=request_headers) as response:
            check_answer(response.status, response.content_type, await response.read())

    loop.run_until_complete(send())
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@FUZZ
@given(query=graphqlish, variables=st.one_of(json_values, json_values.map(json.dumps)))
def test_random_get_queries_get_json_and_no_500(
    served: tuple[asyncio.AbstractEventLoop, TestClient[Any, Any]],
    caplog: pytest.LogCaptureFixture,
    query: str,
    variables: Any,
) -> None:
    loop, client = served
    caplog.set_level(logging.INFO)
    params = {"query": query, "variables": str(variables)}

    async def send() -> None:
        async with client.get("/graphql", params=params) as response:
            check_answer(response.status, response.content_type, await response.read())

    loop.run_until_complete(send())
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@FUZZ
@given(variables=st.dictionaries(st.sampled_from(["e", "p", "token", "x"]), json_values))
def test_random_variables_for_every_operation_get_json_and_no_500(
    served: tuple[asyncio.AbstractEventLoop, TestClient[Any, Any]],
    caplog: pytest.LogCaptureFixture,
    variables: dict[str, Any],
) -> None:
    loop, client = served
    caplog.set_level(logging.INFO)
    queries = [
        "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }",
        "mutation R($token: String!) { refreshToken(refreshToken: $token) { access_token } }",
        "query P($x: Boolean!) { myProfile { id @include(if: $x) } }",
    ]

    async def send() -> None:
        for query in queries:
            body = {"query": query, "variables": variables}
            async with client.post("/graphql", json=body) as response:
                check_answer(response.status, response.content_type, await response.read())

    loop.run_until_complete(send())
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
