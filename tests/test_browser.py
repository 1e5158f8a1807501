"""Proof where users meet it: headless Chromium against fakeauth.

A static page (tests/clients/browser/) is served from another origin than
fakeauth by a tiny aiohttp server started here; it logs in with ``fetch``,
reads ``myProfile`` with the bearer header (so the browser sends a CORS
preflight), refreshes, and shows the results in the DOM, which the tests read.
Two more tests take screenshots of fakeauth's own pages.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright for Python
(``playwright install`` is never run). Where either is missing the browser
tests skip with the reason, or fail when CI is set.
"""

from __future__ import annotations

import json
import struct
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from helpers import (
    DOC_ACCESS_PREFIX,
    DOC_REFRESH_PREFIX,
    FROZEN_ARGS,
    OPENER,
    StaticServer,
    base_of,
    payload_of,
    serving,
    signed_part,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route

PAGE_DIR = Path(__file__).resolve().parent / "clients" / "browser"
AVATAR = "https://api.lorem.space/image/face?w=640&h=480&r=1229"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fakeauth_url() -> Iterator[str]:
    with serving(*FROZEN_ARGS) as (_, graphql_url):
        base_url = base_of(graphql_url)
        yield base_url


@pytest.fixture(scope="module")
def page_origin() -> Iterator[str]:
    server = StaticServer(PAGE_DIR)
    try:
        yield server.start()
    finally:
        server.stop()


def _stays_local(url: str) -> bool:
    """True for 127.0.0.1 and for URLs that need no network (data:, blob:, about:)."""
    if not url.startswith(("http:", "https:", "ws:", "wss:")):
        return True
    return urllib.parse.urlsplit(url).hostname == "127.0.0.1"


def test_preflight_allows_authorization(fakeauth_url: str, page_origin: str) -> None:
    """What the browser asks before the profile read, asked directly."""
    request = urllib.request.Request(
        f"{fakeauth_url}/graphql",
        method="OPTIONS",
        headers={
            "Origin": page_origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    with OPENER.open(request, timeout=10) as response:
        assert 200 <= response.status < 300
        headers = response.headers
    assert headers["Access-Control-Allow-Origin"] in ("*", page_origin)
    allowed = {
        h.strip().lower() for h in headers.get("Access-Control-Allow-Headers", "").split(",")
    }
    # A "*" here does not cover Authorization (Fetch standard): it must be named.
    assert {"authorization", "content-type"} <= allowed, headers
    methods = headers.get("Access-Control-Allow-Methods", "")
    assert "POST" in methods.upper() or methods.strip() == "*", headers


def test_page_from_another_origin_logs_in(
    context: BrowserContext, fakeauth_url: str, page_origin: str, tmp_path: Path
) -> None:
    graphql_url = f"{fakeauth_url}/graphql"
    assert urllib.parse.urlsplit(graphql_url).port != urllib.parse.urlsplit(page_origin).port

    page = context.new_page()
    # Watch the network through DevTools: Playwright reports no CORS preflights
    # (and would answer them itself if a route were set, so none is set here).
    cdp = context.new_cdp_session(page)
    preflights: list[dict[str, Any]] = []
    outside: list[str] = []

    def on_request(event: dict[str, Any]) -> None:
        request = event["request"]
        if not _stays_local(request["url"]):
            outside.append(request["url"])
        if (
            event.get("initiator", {}).get("type") == "preflight"
            or event.get("type") == "Preflight"
        ):
            preflights.append(request)

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.send("Network.enable")
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    query = urllib.parse.urlencode({"graphql": graphql_url})
    response = page.goto(f"{page_origin}/index.html?{query}")
    assert response is not None
    assert response.status == 200
    page.wait_for_selector("body[data-state=done], body[data-state=failed]")

    def text(element_id: str) -> str:
        return page.locator(f"#{element_id}").inner_text()

    assert page.evaluate("document.body.dataset.state") == "done", (
        f"page failed: {text('error')}\nconsole: {console}"
    )
    assert text("page-origin") == page_origin

    assert signed_part(text("access-token")) == DOC_ACCESS_PREFIX
    assert signed_part(text("refresh-token")) == DOC_REFRESH_PREFIX
    assert text("profile-id") == "1"
    assert text("profile-name") == "Jhon"
    assert text("profile-avatar") == AVATAR
    assert payload_of(text("new-access-token"))["sub"] == 1
    assert payload_of(text("new-refresh-token"))["sub"] == 1
    assert text("new-profile-name") == "Jhon"
    assert text("bad-token-status") == "200"
    assert text("bad-token-message") == "Unauthorized"
    assert text("bad-token-code") == "UNAUTHENTICATED"

    # The browser did ask fakeauth before sending Authorization cross-origin.
    assert any(p["method"] == "OPTIONS" and p["url"] == graphql_url for p in preflights), preflights
    assert outside == []
    cdp.detach()
    page.screenshot(path=str(tmp_path / "cross-origin-page.png"), full_page=True)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# What shows that a page really rendered, not merely loaded.
START_PAGE_READY = "#users table tbody tr"
IDE_READY = ".graphiql-container .graphiql-query-editor .CodeMirror"
# Where the screenshots go, so a person can look at them after a run.
SCREENSHOT_DIR_ENV = "FAKEAUTH_SCREENSHOTS"


def _offline_page(context: BrowserContext) -> tuple[Page, list[str]]:
    """A page that may reach 127.0.0.1 only; outside requests are recorded and refused."""
    page: Page = context.new_page()
    blocked: list[str] = []

    def only_loopback(route: Route) -> None:
        if _stays_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    page.route("**/*", only_loopback)
    return page, blocked


def _screenshot_dir(tmp_path: Path) -> Path:
    import os

    where = os.environ.get(SCREENSHOT_DIR_ENV)
    if not where:
        return tmp_path
    path = Path(where)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize(
    ("path", "name", "ready"),
    [("/", "start-page", START_PAGE_READY), ("/graphql", "graphql-ide", IDE_READY)],
    ids=["start-page", "graphql-ide"],
)
def test_screenshot(
    context: BrowserContext, fakeauth_url: str, tmp_path: Path, path: str, name: str, ready: str
) -> None:
    page, blocked = _offline_page(context)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(f"{fakeauth_url}{path}", wait_until="load")
    assert response is not None
    assert response.status == 200, f"GET {path} answered {response.status}"
    assert "text/html" in response.headers.get("content-type", "")
    # Rendered by its own scripts and styles, with the network limited to loopback.
    page.wait_for_selector(ready, state="visible")
    assert blocked == [], f"{path} wanted assets from outside: {blocked}"
    assert errors == []
    target = _screenshot_dir(tmp_path) / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    width, height = _png_size(target)
    assert width >= 1280
    assert height >= 600
    print(f"{name}: {target} ({width}x{height})")


def test_start_page_shows_users_and_clock(context: BrowserContext, fakeauth_url: str) -> None:
    page, blocked = _offline_page(context)
    page.goto(f"{fakeauth_url}/")
    rows = page.locator("#users tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().split("\t")[:5] == [
        "1",
        "john@mail.com",
        "changeme",
        "Jhon",
        "customer",
    ]
    # The server runs with --now 2023-01-03T20:44:43Z --frozen.
    assert page.locator("#clock-now").inner_text() == "2023-01-03T20:44:43.000Z"
    assert page.locator("#clock-state").inner_text() == "frozen"
    assert page.locator("#access-ttl").inner_text() == "20d"
    assert page.locator("#refresh-ttl").inner_text() == "10h"
    assert f"{fakeauth_url}/graphql" in page.locator("#endpoints").inner_text()
    assert f"{fakeauth_url}/api/v1/auth/login" in page.locator("#examples").inner_text()
    assert blocked == []


def test_graphiql_runs_a_query_offline(context: BrowserContext, fakeauth_url: str) -> None:
    """The IDE is usable, not just drawn: it runs the Login operation at the cursor."""
    page, blocked = _offline_page(context)
    page.goto(f"{fakeauth_url}/graphql")
    page.wait_for_selector(IDE_READY, state="visible")
    page.locator(".graphiql-query-editor .CodeMirror-line", has_text="login(email").click()
    page.keyboard.press("Control+Enter")
    result = page.locator(".result-window")
    result.get_by_text("access_token").wait_for()
    # CodeMirror draws only what is in view; its own value is the whole answer.
    answer = json.loads(
        result.locator(".CodeMirror").evaluate("node => node.CodeMirror.getValue()")
    )
    assert signed_part(answer["data"]["login"]["access_token"]) == DOC_ACCESS_PREFIX
    assert blocked == []
