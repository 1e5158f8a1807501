"""What the tests share: constants, a GraphQL and control-API caller for in-process fakes,
and one way to run `fakeauth` in a subprocess, as a user runs it."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from fakeauth import Config, FakeAuth, Namespaces, create_app
from fakeauth.web.state import NAMESPACE_HEADER, NAMESPACES

TIMEOUT = 20
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


JOHN_CREDENTIALS = {"email": "john@mail.com", "password": "changeme"}
# john as the REST API shows him.
JOHN_JSON = {
    "id": 1,
    "email": "john@mail.com",
    "password": "changeme",
    "name": "Jhon",
    "role": "customer",
    "avatar": "https://api.lorem.space/image/face?w=640&h=480&r=1229",
    "creationAt": "2023-01-01T00:00:00.000Z",
    "updatedAt": "2023-01-01T00:00:00.000Z",
}
# john as an entry of a users file's list.
JOHN_YAML = """\
  - email: john@mail.com
    password: changeme
    name: Jhon
    role: customer
    avatar: https://example.com/john.png
"""
# What Apollo Client sends with a GET, so Apollo's CSRF prevention lets it through.
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
CSRF = (
    "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please"
    " either specify a 'content-type' header (with a type that is not one of"
    " application/x-www-form-urlencoded, multipart/form-data, text/plain) or provide a"
    " non-empty value for one of the following headers: x-apollo-operation-name,"
    " apollo-require-preflight\n"
)
# The settings of a server whose john gets the documented tokens.
FROZEN_ARGS: tuple[str, ...] = ("--now", DOC_NOW, "--frozen")


class GraphQL:
    """A fake behind a test client, with a one-call way to send GraphQL, REST and control."""

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
        """Call the REST twin at /api/v1{path}; every answer is JSON with CORS (a DELETE's
        `true` comes as text/html, as from the real service)."""
        headers: dict[str, str] = {} if token is None else {"Authorization": f"Bearer {token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        response = await self.client.request(
            method, f"/api/v1{path}", json=body, data=data, headers=headers
        )
        deleted = method == "DELETE" and response.status == 200
        assert response.content_type == ("text/html" if deleted else "application/json")
        assert response.charset == "utf-8"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        return response.status, json.loads(await response.text())

    async def control(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Call the control API at /__fakeauth{path}: status, and the JSON (None for 204)."""
        kwargs = {} if body is None else {"json": body}
        response = await self.client.request(method, f"/__fakeauth{path}", **kwargs)
        if response.status == 204:
            assert await response.read() == b""
            return 204, None
        assert response.content_type == "application/json"
        return response.status, await response.json()

    async def log(self) -> list[dict[str, Any]]:
        status, entries = await self.control("GET", "/requests")
        assert status == 200
        return list(entries)

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


def write_users(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "users.yaml"
    path.write_text(text)
    return path


def missing_tool(reason: str) -> NoReturn:
    """Skip for a missing client tool (node, Chromium, Playwright), except in CI.

    With ``CI`` set (``.ci/run`` runs with ``CI=true``) a missing tool is a
    failed install step, so the test fails instead of quietly skipping.
    """
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def fakeauth_cmd(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run one `fakeauth` command to its end."""
    return subprocess.run(
        [sys.executable, "-m", "fakeauth", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


@contextmanager
def serving(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A `fakeauth serve --port 0` process on 127.0.0.1 and the GraphQL URL it printed.

    The process is always stopped (killed if it outlives the test), by its own pid.
    """
    # As a user's shell would: stdout is a pipe, which Python buffers unless the server
    # flushes its "listening" line, so that is tested the same everywhere.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(
        [sys.executable, "-m", "fakeauth", "serve", "--host", "127.0.0.1", "--port", "0", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**environment, **(env or {})},
        # Away from the repository: the bundled users must come from the package.
        cwd=Path(__file__).anchor,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("fakeauth listening on http://127.0.0.1:"):
            process.kill()
            _, stderr = process.communicate(timeout=TIMEOUT)
            pytest.fail(f"fakeauth serve {args} did not start: {line!r}\n{stderr}")
        yield process, line.split()[-1]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(TIMEOUT)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


def base_of(graphql_url: str) -> str:
    return graphql_url.removesuffix("/graphql")


def post(url: str, query: str, token: str | None = None) -> dict[str, object]:
    """Send a GraphQL query with urllib, as a client outside the test's event loop."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps({"query": query}).encode(), headers)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        answer: dict[str, object] = json.load(response)
        return answer


# A web site that is not the developer's: what a drive-by attack comes from.
FOREIGN_HOST = "foreign.example"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Nothing but loopback: no proxy, and no name other than 127.0.0.1 resolves, but for
    # one name of a foreign site that tests serve on loopback (FOREIGN_HOST).
    "--no-proxy-server",
    f"--host-resolver-rules=MAP {FOREIGN_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


PAGE_TIMEOUT_MS = 30_000
THREAD_TIMEOUT = 10.0

# Never through a proxy to reach 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class StaticServer:
    """A tiny aiohttp static file server on a free port of 127.0.0.1, in a thread."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="static-server", daemon=True
        )
        self._runner: web.AppRunner | None = None

    def _call(self, coro: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=THREAD_TIMEOUT)

    async def _start(self) -> int:
        async def no_store(request: web.Request, response: web.StreamResponse) -> None:
            response.headers["Cache-Control"] = "no-store"

        app = web.Application()
        app.on_response_prepare.append(no_store)
        app.router.add_static("/", self._root)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port: int = self._runner.addresses[0][1]
        return port

    def start(self) -> str:
        self._thread.start()
        port = self._call(self._start())
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        try:
            if self._runner is not None:
                self._call(self._runner.cleanup())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=THREAD_TIMEOUT)
            self._loop.close()


# The catalogue's queries, and a small catalogue of one's own.
PRODUCT_FIELDS = "id title slug price description images creationAt updatedAt"
PRODUCT = f"{PRODUCT_FIELDS} category {{ id name slug image creationAt updatedAt }}"
GOOD_IMAGE = "https://example.com/a.png"


async def product_ids(graphql: GraphQL, args: str = "") -> list[int]:
    """The ids ``products(args)`` answers, in order."""
    query = f"{{ products{f'({args})' if args else ''} {{ id }} }}"
    status, body = await graphql.post(query)
    assert status == 200, body
    assert "errors" not in body, body
    return [int(p["id"]) for p in body["data"]["products"]]


async def rest_ids(graphql: GraphQL, path: str) -> list[int]:
    status, body = await graphql.rest("GET", path)
    assert status == 200, body
    return [p["id"] for p in body]


async def all_products(graphql: GraphQL) -> list[dict[str, Any]]:
    """Every product as REST shows it: the oracle the filter tests compute from."""
    status, body = await graphql.rest("GET", "/products")
    assert status == 200
    assert isinstance(body, list)
    return body


async def put_catalog(
    graphql: GraphQL, categories: list[dict[str, Any]], products: list[dict[str, Any]]
) -> tuple[int, Any]:
    response = await graphql.client.put(
        "/__fakeauth/catalog", json={"categories": categories, "products": products}
    )
    return response.status, await response.json()


def titled(*titles: str, category: int = 1) -> list[dict[str, Any]]:
    """Products with these titles (prices 10, 20, ...), for a catalogue of one's own."""
    return [
        {
            "title": title,
            "price": 10 * number,
            "description": f"about {title}",
            "categoryId": category,
            "images": [f"/images/products/{number}-1.svg"],
        }
        for number, title in enumerate(titles, 1)
    ]


ONE_CATEGORY = [{"id": 1, "name": "Things", "image": "/images/categories/1.svg"}]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body["errors"]]


async def preflight(graphql: GraphQL, path: str, origin: str, method: str) -> Any:
    """A browser's CORS preflight for a call with a bearer token and a JSON body."""
    return await graphql.client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )


def modules_imported(imports: str, packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` that a fresh interpreter has loaded after ``imports``."""
    code = (
        f"import json, sys, {imports}\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        f" if m.split('.')[0] in {packages!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


async def _gql_body(
    graphql: GraphQL, query: str, variables: dict[str, Any] | None, status: int
) -> dict[str, Any]:
    got, body = await graphql.post(query, variables)
    assert got == status, body
    return body


async def gql_data(
    graphql: GraphQL, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await _gql_body(graphql, query, variables, 200)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def gql_error(
    graphql: GraphQL, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The one error of a query that fails in a resolver (HTTP 200, data null)."""
    body = await _gql_body(graphql, query, variables, 200)
    assert body["data"] is None, body
    [error] = body["errors"]
    assert isinstance(error, dict)
    return error


async def gql_refused(graphql: GraphQL, query: str, code: str) -> dict[str, Any]:
    """The one error, of ``code``, of a query refused before it runs (HTTP 400)."""
    body = await _gql_body(graphql, query, None, 400)
    assert error_codes(body) == [code]
    error: dict[str, Any] = body["errors"][0]
    return error


# Namespaces: a fake with its registry behind a test client, and the two selectors.

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
