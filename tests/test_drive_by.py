"""Drive-by control: web pages of other sites, and DNS rebinding, cannot drive the fake.

The attacks of issue 15, as raw requests and as a page on a foreign origin in headless
Chromium; each is refused and leaves the state as it was. GraphQL and REST keep the
real service's `Access-Control-Allow-Origin: *`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from helpers import (
    FOREIGN_HOST,
    FROZEN_ARGS,
    LOGIN,
    OPENER,
    GraphQL,
    MakeGraphQL,
    StaticServer,
    base_of,
    serving,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

PAGE_DIR = Path(__file__).resolve().parent / "clients" / "drive_by"
EVIL = "http://evil.example"


async def state(graphql: GraphQL) -> tuple[Any, ...]:
    _, clock = await graphql.control("GET", "/clock")
    _, users = await graphql.control("GET", "/users")
    _, faults = await graphql.control("GET", "/faults")
    return clock, [user["email"] for user in users], faults


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/graphql"),
        ("POST", "/__fakeauth/reset"),
        ("GET", "/__fakeauth/users"),
        ("GET", "/api/v1/users"),
        ("GET", "/"),
    ],
)
async def test_a_rebound_host_name_is_refused_everywhere(
    graphql: GraphQL, method: str, path: str
) -> None:
    before = await state(graphql)
    response = await graphql.client.request(
        method, path, json={"query": LOGIN}, headers={"Host": "rebind.evil.example:3001"}
    )
    assert response.status == 421
    body = await response.json()
    assert "--allowed-hosts rebind.evil.example" in body["message"]
    assert body["statusCode"] == 421
    assert await state(graphql) == before


async def test_allowed_hosts_name_the_extra_names_on_any_port(make_graphql: MakeGraphQL) -> None:
    graphql = await make_graphql(allowed_hosts="fakeauth, ci-service")
    for host in ("fakeauth:3001", "CI-SERVICE:8080", "localhost:1", "127.0.0.1", "[::1]:3001"):
        status, _ = await graphql.post(LOGIN, headers={"Host": host})
        assert status == 200, host
    status, _ = await graphql.post(LOGIN, headers={"Host": "other:3001"})
    assert status == 421


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/__fakeauth/users", None),
        ("PUT", "/__fakeauth/clock", {"now": "2099-01-01T00:00:00Z"}),
        ("POST", "/__fakeauth/faults", {"operation": "*", "error": "network", "times": 10**6}),
        ("POST", "/__fakeauth/reset", None),
    ],
)
async def test_pages_of_other_origins_may_not_use_the_control_api(
    graphql: GraphQL, method: str, path: str, body: Any
) -> None:
    before = await state(graphql)
    response = await graphql.client.request(method, path, json=body, headers={"Origin": EVIL})
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "john@mail.com" not in await response.text()
    assert await state(graphql) == before


async def test_a_preflight_from_another_origin_is_refused(graphql: GraphQL) -> None:
    response = await graphql.client.options(
        "/__fakeauth/clock", headers={"Origin": EVIL, "Access-Control-Request-Method": "PUT"}
    )
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_control_bodies_must_be_json(graphql: GraphQL) -> None:
    before = await state(graphql)
    admin = {"email": "a@mail.com", "password": "x", "name": "A", "role": "admin", "avatar": "u"}
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = await graphql.client.post(
            "/__fakeauth/users", data=json.dumps(admin), headers={"Content-Type": content_type}
        )
        assert response.status == 415, content_type
        assert (await response.json())["message"].startswith("The control API takes JSON")
    assert await state(graphql) == before


async def test_the_apis_keep_the_real_services_any_origin(graphql: GraphQL) -> None:
    for path in ("/graphql", "/api/v1/auth/login"):
        response = await graphql.client.options(
            path, headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"}
        )
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    response = await graphql.client.post(
        "/graphql", json={"query": LOGIN}, headers={"Origin": EVIL}
    )
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.fixture(scope="module")
def fakeauth_url() -> Iterator[str]:
    with serving(*FROZEN_ARGS) as (_, graphql_url):
        yield base_of(graphql_url)


@pytest.fixture(scope="module")
def foreign_site() -> Iterator[str]:
    server = StaticServer(PAGE_DIR)
    try:
        yield server.start().replace("127.0.0.1", FOREIGN_HOST)
    finally:
        server.stop()


def control(base_url: str, path: str) -> Any:
    with OPENER.open(f"{base_url}/__fakeauth{path}", timeout=10) as response:
        return json.load(response)


def test_a_foreign_page_in_a_browser_cannot_drive_the_fake(
    context: BrowserContext, fakeauth_url: str, foreign_site: str
) -> None:
    before = (control(fakeauth_url, "/clock"), control(fakeauth_url, "/users"))
    page = context.new_page()
    page.goto(f"{foreign_site}/index.html?fakeauth={fakeauth_url}")
    page.wait_for_function("document.body.dataset.results !== undefined")
    results = json.loads(page.evaluate("document.body.dataset.results"))
    # Reading needs CORS, which the control API refuses this origin; the rest is refused
    # by the server whatever the browser lets through.
    assert "error" in results["readUsers"]
    assert "error" in results["moveClock"]
    assert "access_token" in results["login"]["text"]  # GraphQL stays open to any page
    assert (control(fakeauth_url, "/clock"), control(fakeauth_url, "/users")) == before
    assert control(fakeauth_url, "/faults") == []
    emails = [user["email"] for user in control(fakeauth_url, "/users")]
    assert "evil@mail.com" not in emails
    assert "form@mail.com" not in emails


def test_a_rebound_name_in_a_browser_gets_421(context: BrowserContext, fakeauth_url: str) -> None:
    rebound = fakeauth_url.replace("127.0.0.1", FOREIGN_HOST)
    page = context.new_page()
    response = page.goto(f"{rebound}/__fakeauth/users")
    assert response is not None
    assert response.status == 421
    assert "john@mail.com" not in page.content()


def test_the_fakes_own_pages_may_use_the_control_api(fakeauth_url: str) -> None:
    request = urllib.request.Request(
        f"{fakeauth_url}/__fakeauth/clock/advance",
        data=b'{"by": "1s"}',
        method="POST",
        headers={"Origin": fakeauth_url, "Content-Type": "application/json"},
    )
    try:
        with OPENER.open(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Access-Control-Allow-Origin"] == fakeauth_url
    finally:
        with OPENER.open(
            urllib.request.Request(f"{fakeauth_url}/__fakeauth/reset", method="POST"), timeout=10
        ):
            pass
    with pytest.raises(urllib.error.HTTPError) as refused:
        OPENER.open(
            urllib.request.Request(
                f"{fakeauth_url}/__fakeauth/reset", method="POST", headers={"Origin": EVIL}
            ),
            timeout=10,
        )
    refused.value.close()
    assert refused.value.code == 403
