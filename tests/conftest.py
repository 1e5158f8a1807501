"""Fixtures shared by the tests; the helpers they use live in helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp.test_utils import TestServer
from helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DOC_NOW,
    PAGE_TIMEOUT_MS,
    GraphQL,
    MakeGraphQL,
    missing_tool,
)

from fakeauth import Config, FakeAuth, create_app
from fakeauth.web.limits import SERVER_OPTIONS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


@pytest.fixture
def make_graphql(aiohttp_client: Any) -> MakeGraphQL:
    """Factory: ``await make_graphql(now=..., frozen=True, ...)`` gives a GraphQL caller."""

    async def go(**settings: Any) -> GraphQL:
        fake = FakeAuth(Config.build(**settings))
        # Started with the server options `fakeauth serve` uses (TestServer's constructor
        # would drop them), so these tests see what users see.
        server = TestServer(create_app(fake))
        await server.start_server(**SERVER_OPTIONS)
        client = await aiohttp_client(server)
        return GraphQL(fake, client)

    return go


@pytest.fixture
async def graphql(make_graphql: MakeGraphQL) -> GraphQL:
    """A fake with the bundled users, its clock frozen at the documented example's instant."""
    return await make_graphql(now=DOC_NOW, frozen=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium through Playwright; skipped (failed in CI) without them.

    Per module: Playwright's sync API runs an event loop of its own, which must be gone
    before the next module's async tests run theirs.
    """
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        missing_tool(f"Playwright for Python is missing (pip install playwright): {exc}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no cookies, no storage) for one test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the figures tests recorded with ``record_property`` (image size, start and
    stop times), so a CI log shows them without -s or a junit file."""
    lines = [
        f"{report.nodeid}: {name} = {value}"
        for report in terminalreporter.stats.get("passed", [])
        if report.when == "call"
        for name, value in report.user_properties
    ]
    if lines:
        terminalreporter.section("measurements")
        for line in lines:
            terminalreporter.write_line(line)
