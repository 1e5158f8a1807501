"""The control API's guard: loopback is open, a --control-token is checked, elsewhere closed."""

from __future__ import annotations

import os
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from helpers import TIMEOUT, fakeauth_cmd, post, serving

from fakeauth import Config, FakeAuth, create_app

HEADER = "X-Fakeauth-Control-Token"


async def ping(request: web.Request) -> web.Response:
    return web.json_response({"pong": True})


async def client_for(aiohttp_client: Any, **settings: Any) -> TestClient[Any, Any]:
    # A stand-in for the control API's handlers: the guard covers any /__fakeauth path.
    app = create_app(FakeAuth(Config.build(**settings)))
    app.router.add_get("/__fakeauth/ping", ping)
    app.router.add_get("/__fakeauth", ping)
    client: TestClient[Any, Any] = await aiohttp_client(app)
    return client


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"])
async def test_on_loopback_the_control_api_is_open(aiohttp_client: Any, host: str) -> None:
    client = await client_for(aiohttp_client, host=host)
    response = await client.get("/__fakeauth/ping")
    assert response.status == 200
    assert await response.json() == {"pong": True}


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "fakeauth.test"])
async def test_beyond_loopback_without_a_token_the_control_api_is_closed(
    aiohttp_client: Any, host: str
) -> None:
    client = await client_for(aiohttp_client, host=host)
    for path in ("/__fakeauth/ping", "/__fakeauth", "/__fakeauth/anything"):
        response = await client.get(path)
        assert response.status == 403
        body = await response.json()
        assert body["statusCode"] == 403
        assert "--control-token" in body["message"]
    # The fake itself stays open: only the control API is closed.
    assert (await client.get("/health")).status == 200


async def test_control_open_opens_it_beyond_loopback(aiohttp_client: Any) -> None:
    client = await client_for(aiohttp_client, host="0.0.0.0", control_open=True)
    assert (await client.get("/__fakeauth/ping")).status == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
async def test_a_control_token_is_required_when_given(aiohttp_client: Any, host: str) -> None:
    client = await client_for(aiohttp_client, host=host, control_token="s3cret")
    for headers in ({}, {HEADER: "wrong"}, {HEADER: "s3cretX"}, {HEADER: "S3CRET"}, {HEADER: ""}):
        response = await client.get("/__fakeauth/ping", headers=headers)
        assert response.status == 401, headers
        body = await response.json()
        assert body["error"] == "Unauthorized"
        assert HEADER in body["message"]
    response = await client.get("/__fakeauth/ping", headers={HEADER: "s3cret"})
    assert response.status == 200


async def test_the_token_guards_encoded_and_dotted_paths(aiohttp_client: Any) -> None:
    client = await client_for(aiohttp_client, control_token="s3cret")
    for path in ("/%5F%5Ffakeauth/ping", "/x/../__fakeauth/ping", "/__fakeauth/./ping"):
        response = await client.get(path)
        assert response.status in (401, 404), path
        assert response.status != 200


async def test_other_paths_need_no_control_token(aiohttp_client: Any) -> None:
    client = await client_for(aiohttp_client, control_token="s3cret")
    assert (await client.get("/health")).status == 200
    response = await client.post("/graphql", json={"query": "{ myProfile { id } }"})
    assert response.status == 200
    assert (await client.get("/__fakeauthx")).status == 404


async def test_a_preflight_may_ask_for_the_token_header(aiohttp_client: Any) -> None:
    client = await client_for(aiohttp_client, control_token="s3cret", allowed_hosts="app.test")
    response = await client.options(
        "/__fakeauth/ping",
        headers={
            "Origin": "http://app.test",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": HEADER.lower(),
        },
    )
    assert response.status == 204
    assert HEADER.lower() in response.headers["Access-Control-Allow-Headers"]


def test_an_empty_control_token_is_refused() -> None:
    with pytest.raises(ValueError, match="control_token must not be empty"):
        Config.build(control_token=" ")


# The CLI. Tests bind loopback only: 192.0.2.1 (TEST-NET-1) is nobody's address, so
# binding it fails after the checks under test have run.


def test_serve_refuses_a_non_loopback_host_without_token_or_open() -> None:
    result = fakeauth_cmd("serve", "--host", "192.0.2.1", "--port", "0")
    assert result.returncode == 2
    assert "not a loopback address" in result.stderr
    assert "--control-token" in result.stderr
    assert "--control-open" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "flag", [["--control-open"], ["--control-token", "s3cret"], ["--no-control"]]
)
def test_serve_on_a_non_loopback_host_warns_that_the_secrets_are_public(flag: list[str]) -> None:
    result = fakeauth_cmd("serve", "--host", "192.0.2.1", "--port", "0", *flag)
    assert "warning: fakeauth listens on 192.0.2.1" in result.stderr
    assert "secrets" in result.stderr
    assert "public" in result.stderr
    assert "cannot listen on 192.0.2.1" in result.stderr  # nobody's address, as planned
    assert result.returncode == 1


def test_serve_on_loopback_does_not_warn() -> None:
    with serving() as (process, url):
        assert "data" in post(url, "{ __typename }")
        process.terminate()
        _, stderr = process.communicate(timeout=TIMEOUT)
    assert "warning" not in stderr


def test_the_control_token_can_come_from_the_environment() -> None:
    result = fakeauth_cmd(
        "serve",
        "--host",
        "192.0.2.1",
        "--port",
        "0",
        env={**os.environ, "FAKEAUTH_CONTROL_TOKEN": "s3cret"},
    )
    assert "not a loopback address" not in result.stderr
    assert result.returncode == 1  # got past the guard, then could not bind
