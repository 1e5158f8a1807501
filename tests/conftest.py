"""Shared helpers: a fake behind an in-process test client, and a GraphQL caller."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from fakeauth import Config, FakeAuth, create_app

DOC_NOW = "2023-01-03T20:44:43Z"  # iat of the documented example tokens
# Header and payload of john's documented tokens (auth-jwt.md) at that instant.
DOC_ACCESS_PREFIX = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjc0NTA2NjgzfQ"
)
DOC_REFRESH_PREFIX = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjcyODE0NjgzfQ"
)

LOGIN = """mutation {
  login(email: "john@mail.com", password: "changeme") {
    access_token
    refresh_token
  }
}"""
PROFILE = """query {
  myProfile {
    id
    name
    avatar
  }
}"""
REFRESH = """mutation Refresh($token: String!) {
  refreshToken(refreshToken: $token) { access_token refresh_token }
}"""


class GraphQL:
    """A fake behind a test client, with a one-call way to send GraphQL."""

    def __init__(self, fake: FakeAuth, client: TestClient[Any, Any]) -> None:
        self.fake = fake
        self.client = client

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = await self.client.post("/graphql", json=body, headers=all_headers)
        assert response.content_type == "application/json"
        return response.status, await response.json()

    async def rest(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        data: bytes | None = None,
    ) -> tuple[int, Any]:
        """Call the REST twin at /api/v1{path}; every answer is JSON with CORS."""
        headers: dict[str, str] = {} if token is None else {"Authorization": f"Bearer {token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        response = await self.client.request(
            method, f"/api/v1{path}", json=body, data=data, headers=headers
        )
        assert response.content_type == "application/json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        return response.status, await response.json()

    async def login(
        self, email: str = "john@mail.com", password: str = "changeme"
    ) -> dict[str, str]:
        status, body = await self.post(
            "mutation L($e: String!, $p: String!) "
            "{ login(email: $e, password: $p) { access_token refresh_token } }",
            {"e": email, "p": password},
        )
        assert status == 200, body
        tokens: dict[str, str] = body["data"]["login"]
        return tokens

    async def profile(self, token: str) -> dict[str, Any]:
        _, body = await self.post("{ myProfile { id email name role } }", token=token)
        return body

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        _, body = await self.post(REFRESH, {"token": refresh_token})
        return body


MakeGraphQL = Callable[..., Awaitable[GraphQL]]


def signed_part(token: str) -> str:
    """Header and payload of a JWT: what the documentation fixes byte for byte."""
    return token.rsplit(".", 1)[0]


def payload_of(token: str) -> dict[str, Any]:
    """The decoded payload of a JWT, without checking it."""
    part = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


@pytest.fixture
def make_graphql(aiohttp_client: Any) -> MakeGraphQL:
    """Factory: ``await make_graphql(now=..., frozen=True, ...)`` gives a GraphQL caller."""

    async def go(**settings: Any) -> GraphQL:
        fake = FakeAuth(Config.build(**settings))
        return GraphQL(fake, await aiohttp_client(create_app(fake)))

    return go


@pytest.fixture
async def graphql(make_graphql: MakeGraphQL) -> GraphQL:
    """A fake with the bundled users, its clock frozen at the documented example's instant."""
    return await make_graphql(now=DOC_NOW, frozen=True)
