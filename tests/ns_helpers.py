"""Callers for one namespace of an in-process fake, chosen by the prefix or by the header."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.test_utils import TestClient
from helpers import DOC_NOW, GraphQL

from fakeauth import Config, FakeAuth, Namespaces, create_app
from fakeauth.web.state import NAMESPACE_HEADER, NAMESPACES

SELECTORS = ("prefix", "header")


class InNamespace:
    """A TestClient stand-in whose requests go to one namespace, by ``/ns/{name}`` or header."""

    def __init__(self, client: TestClient[Any, Any], name: str, via: str) -> None:
        assert via in SELECTORS
        self._client, self.name, self.via = client, name, via
        self.host, self.port = client.host, client.port

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        if self.via == "prefix":
            path = f"/ns/{self.name}{path}"
        else:
            kwargs["headers"] = {**(kwargs.get("headers") or {}), NAMESPACE_HEADER: self.name}
        return self._client.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)


class NamespacedGraphQL(GraphQL):
    """tests/helpers.py's caller, for one namespace; ``fake`` is looked up on each use."""

    def __init__(self, namespaces: Namespaces, client: InNamespace) -> None:
        self.namespaces = namespaces
        self.client = client  # type: ignore[assignment]

    @property  # type: ignore[override]
    def fake(self) -> FakeAuth:
        return self.namespaces.get(self.client.name)


class Server:
    """One in-process app; ``ns(name, via)`` is a caller inside one of its namespaces."""

    def __init__(self, fake: FakeAuth, client: TestClient[Any, Any]) -> None:
        self.default = GraphQL(fake, client)
        self.client = client
        self.namespaces: Namespaces = client.app[NAMESPACES]

    def ns(self, name: str, via: str = "prefix") -> NamespacedGraphQL:
        return NamespacedGraphQL(self.namespaces, InNamespace(self.client, name, via))


MakeServer = Callable[..., Awaitable[Server]]


async def make_server(aiohttp_client: Any, **settings: Any) -> Server:
    fake = FakeAuth(Config.build(**{"now": DOC_NOW, "frozen": True, **settings}))
    return Server(fake, await aiohttp_client(create_app(fake)))
