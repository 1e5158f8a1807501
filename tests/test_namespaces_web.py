"""Namespaces on every path: CORS, the pages, GraphiQL, assets, health, 404s, the guard, the CLI."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from helpers import DOC_NOW, LOGIN, TIMEOUT, Server, make_server, serving

HEADER = "X-Fakeauth-Namespace"
CONTROL_HEADER = "X-Fakeauth-Control-Token"


@pytest.fixture
async def server(aiohttp_client: Any) -> Server:
    return await make_server(aiohttp_client)


@pytest.mark.parametrize("path", ["/graphql", "/ns/w1/graphql", "/api/v1/auth/login"])
async def test_a_browser_preflight_may_ask_for_the_namespace_header(
    server: Server, path: str
) -> None:
    # What Chromium sends before a cross-origin POST with JSON and the header.
    response = await server.client.options(
        path,
        headers={
            "Origin": "http://app.test:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-fakeauth-namespace",
        },
    )
    assert response.status == 204
    allowed = response.headers["Access-Control-Allow-Headers"].lower().split(",")
    assert "x-fakeauth-namespace" in allowed
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    # The request itself then carries CORS headers too, even when it is refused.
    answer = await server.client.post(
        "/graphql", json={"query": LOGIN}, headers={HEADER: "bad name"}
    )
    assert (answer.status, answer.headers["Access-Control-Allow-Origin"]) == (400, "*")


async def test_the_start_page_lists_the_namespaces_and_shows_one_inside_it(
    server: Server,
) -> None:
    await server.ns("w1").control("POST", "/clock/advance", {"by": "1h"})
    await server.ns("w1").rest(
        "POST",
        "/users",
        {
            "email": "ann@mail.com",
            "name": "Ann",
            "password": "secret1",
            "avatar": "https://example.com/a.png",
        },
    )
    base = f"http://{server.client.host}:{server.client.port}"
    page = await (await server.client.get("/")).text()
    assert '<code id="namespace">default</code>' in page
    assert f'href="{base}/ns/w1/"' in page
    assert "<code>ann@mail.com</code>" not in page
    for path, headers in (("/ns/w1/", {}), ("/", {HEADER: "w1"})):
        response = await server.client.get(path, headers=headers)
        assert response.status == 200
        page = await response.text()
        assert '<code id="namespace">w1</code>' in page
        assert '<code id="clock-now">2023-01-03T21:44:43.000Z</code>' in page
        assert "<code>ann@mail.com</code>" in page
        # Every URL on the page, curl examples included, works inside the namespace.
        assert f"{base}/ns/w1/graphql" in page
        assert f"{base}/ns/w1/api/v1/auth/login" in page
        assert f"{base}/ns/w1/__fakeauth/clock" in page
        assert f"{base}/graphql" not in page.replace(f"{base}/ns/w1/graphql", "")


async def test_graphiql_and_its_assets_inside_a_namespace(server: Server) -> None:
    response = await server.client.get("/ns/w1/graphql", headers={"Accept": "text/html"})
    assert response.status == 200
    page = await response.text()
    # It queries the URL it was served from, so inside a namespace it stays there.
    assert "location.origin + location.pathname" in page
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts
    for src in scripts:
        assert (await server.client.get(src)).status == 200
        prefixed = await server.client.get("/ns/w1" + src)
        assert prefixed.status == 200
        assert await prefixed.read() == await (await server.client.get(src)).read()
    for path in ("/ns/w1/graphql/assets/graphiql/nope.js", "/ns/w1/graphql/assets/..%2Fstart.html"):
        assert (await server.client.get(path)).status == 404
    escape = await server.client.get("/ns/w1/graphql/assets/..%2F..%2F__init__.py")
    assert escape.status == 404


async def test_health_and_404s_inside_a_namespace(server: Server) -> None:
    response = await server.client.get("/ns/w1/health")
    assert (response.status, (await response.json())["status"]) == (200, "ok")
    assert (await server.client.head("/ns/w1/health")).status == 200
    status, body = await server.ns("w1").rest("PATCH", "/users/1")
    assert (status, body["message"]) == (404, "Cannot PATCH /ns/w1/api/v1/users/1")
    response = await server.client.get("/ns/w1/nope")
    assert (response.status, (await response.json())["statusCode"]) == (404, 404)
    response = await server.client.put("/ns/w1/graphql")
    body = await response.json()
    assert response.status == 405
    assert body["errors"][0]["message"] == "Apollo Server supports only GET/POST requests."


async def test_the_control_token_guards_the_control_api_inside_namespaces(
    aiohttp_client: Any,
) -> None:
    server = await make_server(aiohttp_client, control_token="s3cret")
    for path in (
        "/ns/w1/__fakeauth/clock",
        "/ns/w1/__fakeauth/users/1/revoke",
        "/ns/a%2Fb/__fakeauth/clock",
        "/ns/w1/%5F%5Ffakeauth/clock",
        "/__fakeauth/namespaces",
    ):
        response = await server.client.get(path)
        assert response.status in (401, 404), path
    assert (await server.client.post("/ns/w1/__fakeauth/reset")).status == 401
    assert (await server.client.put("/__fakeauth/namespaces/w1", json={})).status == 401
    response = await server.client.get(
        "/ns/w1/__fakeauth/clock", headers={CONTROL_HEADER: "s3cret"}
    )
    assert response.status == 200
    # The API itself needs no control token, inside a namespace or not.
    assert (await server.client.post("/ns/w1/graphql", json={"query": LOGIN})).status == 200


async def test_without_the_control_api_there_is_none_inside_namespaces(
    aiohttp_client: Any,
) -> None:
    server = await make_server(aiohttp_client, control=False)
    for path in ("/ns/w1/__fakeauth/clock", "/__fakeauth/namespaces"):
        assert (await server.client.get(path)).status == 404
    assert (await server.client.post("/ns/w1/graphql", json={"query": LOGIN})).status == 200


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def test_serve_takes_max_namespaces_and_refresh_rotation_from_its_environment() -> None:
    env = {"FAKEAUTH_MAX_NAMESPACES": "1", "FAKEAUTH_REFRESH_ROTATION": "1"}
    with serving("--now", DOC_NOW, "--frozen", env={**os.environ, **env}) as (_, url):
        base = url.removesuffix("/graphql")
        assert _get(f"{base}/ns/w1/__fakeauth/clock")[0] == 200
        status, body = _get(f"{base}/__fakeauth/clock", {HEADER: "w2"})
        assert status == 429
        assert "--max-namespaces" in body["message"]
        _, listed = _get(f"{base}/__fakeauth/namespaces")
        assert [(entry["name"], entry["refresh_rotation"]) for entry in listed] == [
            ("default", True),
            ("w1", True),
        ]
