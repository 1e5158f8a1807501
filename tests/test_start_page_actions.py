"""The start page acts: headless Chromium clicks it against a real `fakeauth serve`.

Each test clicks as a developer would, then reads the result from the page itself (and,
where it matters, from the control API, to show the click did reach the fake). The
server is shared by the module and reset before each test.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from helpers import (
    DOC_ACCESS_PREFIX,
    DOC_REFRESH_PREFIX,
    FROZEN_ARGS,
    OPENER,
    base_of,
    payload_of,
    post,
    serving,
    signed_part,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

START = "2023-01-03T20:44:43.000Z"  # FROZEN_ARGS' instant, as the page shows it
NARROW = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(*FROZEN_ARGS) as (_, graphql_url):
        yield base_of(graphql_url)


@pytest.fixture
def base(server: str) -> str:
    """The shared server's URL, reset: users, clock, faults and log as at start."""
    control(server, "POST", "/__fakeauth/reset")
    return server


def control(base: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with OPENER.open(request, timeout=10) as response:
        text = response.read()
    return json.loads(text) if text else None


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    # The page's script failing would leave the buttons dead: say so at once.
    page.wait_for_load_state("load")
    assert errors == []
    return page


def user_button(page: Page, email: str, name: str) -> Any:
    row = page.locator("#users tbody tr", has_text=email)
    return row.get_by_role("button", name=name)


def token_pair(page: Page) -> dict[str, str]:
    from playwright.sync_api import expect

    expect(page.locator("#token-pair")).not_to_have_value("")
    pair: dict[str, str] = json.loads(page.locator("#token-pair").input_value())
    return pair


def test_plus_ten_hours_moves_the_clock_the_page_shows(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    page = open_page(context, f"{base}/")
    assert page.locator("#clock-now").inner_text() == START
    page.get_by_role("button", name="+10 h").click()
    expect(page.locator("#clock-now")).to_have_text("2023-01-04T06:44:43.000Z")
    assert control(base, "GET", "/__fakeauth/clock")["now"] == "2023-01-04T06:44:43.000Z"
    expect(page.locator("#clock-message")).to_contain_text("+10h")


def test_typed_duration_instant_unfreeze_and_freeze(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    page = open_page(context, f"{base}/")
    page.locator("#advance-by").fill("1h30m")
    page.get_by_role("button", name="Advance", exact=True).click()
    expect(page.locator("#clock-now")).to_have_text("2023-01-03T22:14:43.000Z")

    page.locator("#set-now").fill("2024-02-29T12:00:00Z")
    page.get_by_role("button", name="Set", exact=True).click()
    expect(page.locator("#clock-now")).to_have_text("2024-02-29T12:00:00.000Z")

    page.get_by_role("button", name="Unfreeze").click()
    expect(page.locator("#clock-state")).to_have_text("running")
    assert control(base, "GET", "/__fakeauth/clock")["frozen"] is False
    page.get_by_role("button", name="Freeze", exact=True).click()
    expect(page.locator("#clock-state")).to_have_text("frozen")
    assert control(base, "GET", "/__fakeauth/clock")["frozen"] is True


def test_a_refused_clock_move_says_why(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    page = open_page(context, f"{base}/")
    page.locator("#set-now").fill("2023-01-23")
    page.get_by_role("button", name="Set", exact=True).click()
    message = page.locator("#clock-message.bad")
    expect(message).to_contain_text("has no time zone")
    assert page.locator("#clock-now").inner_text() == START


def test_copy_token_pair_for_john(context: BrowserContext, base: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = open_page(context, f"{base}/")
    user_button(page, "john@mail.com", "Copy token pair").click()
    pair = token_pair(page)
    # The clock is frozen at the documented instant: the documented tokens, byte for byte.
    assert signed_part(pair["access_token"]) == DOC_ACCESS_PREFIX
    assert signed_part(pair["refresh_token"]) == DOC_REFRESH_PREFIX
    assert page.locator("#token-label").inner_text() == "Token pair for john@mail.com"
    copied = json.loads(page.evaluate("navigator.clipboard.readText()"))
    assert copied == pair
    assert "Copied" in page.locator("#token-message").inner_text()


def test_token_pair_is_shown_when_the_clipboard_is_denied(
    context: BrowserContext, base: str
) -> None:
    context.clear_permissions()
    page = open_page(context, f"{base}/")
    # A page that may not write the clipboard: as in many headless or locked-down browsers.
    page.evaluate(
        "() => { navigator.clipboard.writeText = async () => {"
        " throw new DOMException('denied', 'NotAllowedError'); }; }"
    )
    user_button(page, "maria@mail.com", "Copy token pair").click()
    pair = token_pair(page)
    assert payload_of(pair["access_token"])["sub"] == 2
    assert "Ctrl+C" in page.locator("#token-message").inner_text()


def test_a_fault_from_the_form_shows_in_the_log_without_reloading(
    context: BrowserContext, base: str
) -> None:
    from playwright.sync_api import expect

    page = open_page(context, f"{base}/")
    page.evaluate("window.notReloaded = true")
    page.locator("#fault-operation").select_option("login")
    page.locator("#fault-error").select_option("UNAUTHENTICATED")
    page.locator("#fault-times").fill("2")
    page.get_by_role("button", name="Add fault").click()
    expect(page.locator("#faults-list")).to_have_text("login: UNAUTHENTICATED, 2 times")
    assert control(base, "GET", "/__fakeauth/faults")[0]["operation"] == "login"

    # One login from the page, one from outside it: both fail, both show up.
    user_button(page, "john@mail.com", "Copy token pair").click()
    expect(page.locator("#token-message.bad")).to_contain_text("UNAUTHENTICATED")
    login = (
        'mutation Outside { login(email: "maria@mail.com", password: "12345") { access_token } }'
    )
    answer = post(f"{base}/graphql", login)
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"  # type: ignore[index]

    newest = page.locator("#requests tbody tr").first
    expect(newest).to_contain_text("Outside (login)")
    expect(newest.locator(".badge")).to_have_text("UNAUTHENTICATED")
    second = page.locator("#requests tbody tr").nth(1)
    expect(second).to_contain_text("StartPageLogin (login)")
    expect(second.locator(".badge.error")).to_have_text("UNAUTHENTICATED")
    # The reason column shows the log's reason where the log gives one, else nothing.
    entry = control(base, "GET", "/__fakeauth/requests")[-1]
    assert newest.locator("td").nth(4).inner_text() == (entry.get("reason") or "")
    assert page.locator("#requests thead th").nth(4).inner_text() == "reason"
    expect(page.locator("#faults-list")).to_have_text("none")
    assert page.evaluate("window.notReloaded") is True


def test_a_network_fault_and_clear_faults(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    page = open_page(context, f"{base}/")
    page.locator("#fault-operation").select_option("login")
    page.locator("#fault-error").select_option("network")
    # Chromium sends a request again, on each kept-alive connection it holds, when one
    # closes without an answer: enough faults that the retries get none either.
    page.locator("#fault-times").fill("10")
    page.get_by_role("button", name="Add fault").click()
    expect(page.locator("#faults-list")).to_have_text("login: network, 10 times")
    user_button(page, "john@mail.com", "Copy token pair").click()
    expect(page.locator("#token-message.bad")).to_contain_text("no answer")
    expect(page.locator("#requests tbody tr").first.locator(".badge")).to_have_text("network")
    page.get_by_role("button", name="Clear faults").click()
    expect(page.locator("#faults-list")).to_have_text("none")
    page.locator("#fault-times").fill("1")

    page.locator("#fault-operation").select_option("*")
    page.locator("#fault-error").select_option("UNAUTHENTICATED")
    page.get_by_role("button", name="Add fault").click()
    expect(page.locator("#faults-list")).to_contain_text("*: UNAUTHENTICATED")
    page.get_by_role("button", name="Clear faults").click()
    expect(page.locator("#faults-list")).to_have_text("none")
    assert control(base, "GET", "/__fakeauth/faults") == []


def test_reset_puts_clock_log_and_faults_back(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    control(base, "POST", "/__fakeauth/clock/advance", {"by": "20d"})
    control(base, "POST", "/__fakeauth/faults", {"operation": "users", "error": "FORBIDDEN"})
    post(f"{base}/graphql", "{ users { id } }")
    page = open_page(context, f"{base}/")
    assert page.locator("#clock-now").inner_text() == "2023-01-23T20:44:43.000Z"
    expect(page.locator("#requests tbody tr").first).to_contain_text("FORBIDDEN")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator("#clock-now")).to_have_text(START)
    expect(page.locator("#requests tbody")).to_have_text("No requests yet.")
    assert page.locator("#faults-list").inner_text() == "none"
    assert control(base, "GET", "/__fakeauth/requests") == []


def test_clear_the_log(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    post(f"{base}/graphql", "{ users { id } }")
    page = open_page(context, f"{base}/")
    expect(page.locator("#requests tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Clear the log").click()
    expect(page.locator("#requests tbody")).to_have_text("No requests yet.")
    assert control(base, "GET", "/__fakeauth/requests") == []


def test_page_fits_a_390_px_screen(browser: Any, base: str) -> None:
    context = browser.new_context(viewport=NARROW)
    try:
        # Long words on show: tokens, a long e-mail and a log entry with its URL.
        long_email = "a" * 60 + "@mail.com"
        user = {
            "email": long_email,
            "password": "abcd1234",
            "role": "customer",
            "name": "Long",
            "avatar": "https://a.io/x",
        }
        control(base, "POST", "/__fakeauth/users", user)
        post(f"{base}/graphql", "{ users { id } }")
        page = open_page(context, f"{base}/")
        user_button(page, "john@mail.com", "Copy token pair").click()
        token_pair(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"]
        # Each grid cell names its column, since narrow screens hide the heading row.
        cell = page.locator("#users tbody tr").first.locator("td").nth(1)
        assert cell.get_attribute("data-label") == "email"
        assert page.locator("#users thead").is_hidden()
    finally:
        context.close()


def test_graphiql_as_a_user_prefills_the_bearer_header(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    page = open_page(context, f"{base}/")
    user_button(page, "maria@mail.com", "GraphiQL as this user").click()
    page.wait_for_url(f"{base}/graphql")  # the fragment is gone from the address bar
    page.wait_for_selector(".graphiql-container .graphiql-query-editor .CodeMirror")
    editors = page.evaluate(
        "[...document.querySelectorAll('.CodeMirror')].map(n => n.CodeMirror.getValue())"
    )
    headers = next(json.loads(value) for value in editors if "Authorization" in value)
    scheme, token = headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    assert payload_of(token)["sub"] == 2
    expect(page.locator("#as-user")).to_have_text("Authorization header set for maria@mail.com")

    page.locator(".graphiql-execute-button").click()
    page.locator(".result-window").get_by_text("maria@mail.com").wait_for()
    assert page.locator("#start-page").get_attribute("href") == f"{base}/"
    page.locator("#start-page").click()
    page.wait_for_url(f"{base}/")
    # The IDE's own request ran as maria; the page's login is in the log too.
    entries = control(base, "GET", "/__fakeauth/requests")
    assert any(e["operation"] == "MyProfile" and e["user"]["id"] == 2 for e in entries)


def test_namespace_page_acts_on_its_own_namespace(context: BrowserContext, base: str) -> None:
    from playwright.sync_api import expect

    page = open_page(context, f"{base}/ns/actions/")
    page.get_by_role("button", name="+1 h").click()
    expect(page.locator("#clock-now")).to_have_text("2023-01-03T21:44:43.000Z")
    user_button(page, "john@mail.com", "Copy token pair").click()
    token_pair(page)
    expect(page.locator("#requests tbody tr").first).to_contain_text("StartPageLogin")
    namespaced = control(base, "GET", "/ns/actions/__fakeauth/clock")
    assert namespaced["now"] == "2023-01-03T21:44:43.000Z"
    assert control(base, "GET", "/__fakeauth/clock")["now"] == START
    assert control(base, "GET", "/__fakeauth/requests") == []
    user_button(page, "john@mail.com", "GraphiQL as this user").click()
    page.wait_for_url(f"{base}/ns/actions/graphql")
    assert page.locator("#start-page").get_attribute("href") == f"{base}/ns/actions/"


def test_without_the_control_api_the_page_only_logs_in(context: BrowserContext) -> None:
    with serving(*FROZEN_ARGS, "--no-control") as (_, graphql_url):
        base = base_of(graphql_url)
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{base}/")
        for name in ("+10 h", "Freeze", "Reset", "Add fault", "Clear the log"):
            assert page.get_by_role("button", name=name).count() == 0, name
        assert "Reload the page" in page.locator("#requests").inner_text()
        user_button(page, "john@mail.com", "Copy token pair").click()
        assert signed_part(token_pair(page)["access_token"]) == DOC_ACCESS_PREFIX
        page.wait_for_timeout(2500)  # longer than the poll: nothing may poll
        assert [url for url in asked if "/__fakeauth" in url] == []


def test_with_a_control_token_the_page_sends_the_one_typed_in(context: BrowserContext) -> None:
    from playwright.sync_api import expect

    with serving(*FROZEN_ARGS, "--control-token", "s3cret") as (_, graphql_url):
        page = open_page(context, base_of(graphql_url) + "/")
        page.get_by_role("button", name="+1 h").click()
        expect(page.locator("#clock-message.bad")).to_contain_text("X-Fakeauth-Control-Token")
        page.locator("#control-token").fill("s3cret")
        page.get_by_role("button", name="+1 h").click()
        expect(page.locator("#clock-now")).to_have_text("2023-01-03T21:44:43.000Z")
        expect(page.locator("#clock-message")).not_to_have_class(re.compile("bad"))


def test_try_it_block_prints_each_answer_on_its_own_line(base: str) -> None:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("curl and bash run the page's examples")
    with OPENER.open(f"{base}/", timeout=10) as response:
        page = response.read().decode()
    blocks = {
        number: html.unescape(text)
        for number, text in re.findall(r'<pre id="example-(\d)">(.*?)</pre>', page, re.S)
    }
    # Log in, then the REST block: three curls, three answers, three lines.
    script = f"set -e\n{blocks['1']}\n{blocks['4']}\n"
    # Straight to 127.0.0.1, whatever proxy the environment names.
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=30, check=True, env=env
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 3, done.stdout
    login, profile, refreshed = (json.loads(line) for line in lines)
    assert signed_part(login["access_token"]) == DOC_ACCESS_PREFIX
    assert profile["email"] == "john@mail.com"
    assert set(refreshed) == {"access_token", "refresh_token"}
