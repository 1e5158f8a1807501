"""A store frontend in headless Chromium: a page on another origin lists a category's
products with the images fakeauth draws, logs in, adds a product, and shows it.

The same set-up as tests/test_browser.py: Debian's Chromium through Playwright for
Python, a static server for the page, a real `fakeauth serve` process, and no network
beyond 127.0.0.1.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import FROZEN_ARGS, PAGE_TIMEOUT_MS, StaticServer, base_of, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

STORE_DIR = Path(__file__).resolve().parent / "clients" / "store"


def test_a_store_page_lists_logs_in_and_adds(browser: Browser, tmp_path: Path) -> None:
    server = StaticServer(STORE_DIR)
    origin = server.start()
    try:
        with serving(*FROZEN_ARGS) as (_, graphql_url):
            fakeauth_url = base_of(graphql_url)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(PAGE_TIMEOUT_MS)
            page = context.new_page()
            outside: list[str] = []

            def only_loopback(route: Route) -> None:
                host = urllib.parse.urlsplit(route.request.url).hostname
                if route.request.url.startswith("http") and host != "127.0.0.1":
                    outside.append(route.request.url)
                    route.abort("blockedbyclient")
                else:
                    route.continue_()

            page.route("**/*", only_loopback)
            query = urllib.parse.urlencode({"graphql": f"{fakeauth_url}/graphql"})
            page.goto(f"{origin}/index.html?{query}")
            page.wait_for_selector("body[data-state=done], body[data-state=failed]")
            state = page.evaluate("document.body.dataset.state")
            assert state == "done", page.locator("#error").inner_text()

            assert page.locator("#category-name").inner_text() == "Electronics"
            assert page.locator("#user-name").inner_text() == "Jhon"
            titles = page.locator("#products .title").all_inner_texts()
            assert titles[-1] == "Browser Test Lamp — $42"
            assert int(page.locator("#count").inner_text()) == len(titles) >= 2
            added = page.locator("#added").inner_text()
            assert added.startswith("added ")
            assert page.locator("#products li").last.get_attribute("data-id") == added.split()[1]
            # Every image was drawn by fakeauth itself, on the address the page used.
            sources = page.locator("#products img").evaluate_all(
                "imgs => imgs.map(i => [i.src, i.naturalWidth, i.naturalHeight])"
            )
            assert len(sources) == len(titles)
            for src, width, height in sources:
                assert src.startswith(f"{fakeauth_url}/images/products/")
                assert (width, height) == (640, 480)
            assert outside == []
            page.screenshot(path=str(tmp_path / "store.png"), full_page=True)
            context.close()
    finally:
        server.stop()
