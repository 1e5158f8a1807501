"""`fakeauth storage-state`: Playwright's storageState holding a user's tokens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from helpers import (
    DOC_ACCESS_PREFIX,
    DOC_REFRESH_PREFIX,
    FROZEN_ARGS,
    StaticServer,
    base_of,
    fakeauth_cmd,
    payload_of,
    serving,
    signed_part,
)

from fakeauth.core.tokens import TokenPair
from fakeauth.storage_state import StorageStateError, parse_assignments, storage_state

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ORIGIN = "http://127.0.0.1:5173"
PAIR = TokenPair(
    DOC_ACCESS_PREFIX + ".signature-of-the-access-token",
    DOC_REFRESH_PREFIX + ".signature-of-the-refresh-token",
)


def run_json(*args: str) -> Any:
    result = fakeauth_cmd("storage-state", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_keys_hold_the_documented_tokens_of_john() -> None:
    state = run_json(
        "john@mail.com",
        *FROZEN_ARGS[:2],
        "--origin",
        ORIGIN + "/",
        "--local-storage",
        "token=access_token",
        "--local-storage",
        "refresh=refresh_token",
    )
    [origin] = state["origins"]
    assert origin["origin"] == ORIGIN
    [access, refresh] = origin["localStorage"]
    assert (access["name"], signed_part(access["value"])) == ("token", DOC_ACCESS_PREFIX)
    assert (refresh["name"], signed_part(refresh["value"])) == ("refresh", DOC_REFRESH_PREFIX)
    assert state["cookies"] == []
    # The same tokens `fakeauth token` prints with the same settings.
    pair = json.loads(fakeauth_cmd("token", "john@mail.com", *FROZEN_ARGS[:2]).stdout)
    assert (access["value"], refresh["value"]) == (pair["access_token"], pair["refresh_token"])


def test_a_cookie_lasts_as_long_as_its_token_and_goes_to_a_file(tmp_path: Path) -> None:
    output = tmp_path / "john.json"
    result = fakeauth_cmd(
        "storage-state",
        "maria@mail.com",
        "--now",
        "2030-01-01T00:00:00Z",
        "--refresh-ttl",
        "1h",
        "--origin",
        "https://app.example",
        "--cookie",
        "rt=refresh_token",
        "--output",
        str(output),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    state = json.loads(output.read_text())
    assert state["origins"] == []
    [cookie] = state["cookies"]
    assert payload_of(cookie["value"]) == {"sub": 2, "iat": 1893456000, "exp": 1893456000 + 3600}
    assert cookie == {
        "name": "rt",
        "value": cookie["value"],
        "domain": "app.example",
        "path": "/",
        "expires": 1893456000 + 3600,
        "httpOnly": False,
        "secure": True,
        "sameSite": "Lax",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nobody@mail.com", "--local-storage", "t=access_token"],
            "no user with email 'nobody@mail.com'",
        ),
        (
            ["john@mail.com", "--local-storage", "t=id_token"],
            "t=id_token: a key holds access_token or refresh_token",
        ),
        (
            ["john@mail.com", "--local-storage", "access_token"],
            "--local-storage 'access_token': give NAME=access_token",
        ),
        (["john@mail.com"], "name at least one localStorage key or cookie"),
        (
            ["john@mail.com", "--namespace", "w1", "--local-storage", "t=access_token"],
            "--namespace needs --url",
        ),
    ],
)
def test_bad_settings_are_refused_with_a_message(args: list[str], message: str) -> None:
    result = fakeauth_cmd("storage-state", *args, "--origin", ORIGIN)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_origin_is_refused() -> None:
    result = fakeauth_cmd(
        "storage-state",
        "john@mail.com",
        "--origin",
        "127.0.0.1:5173/app",
        "--cookie",
        "t=access_token",
    )
    assert result.returncode == 1
    assert "give the app's origin, such as http://127.0.0.1:5173" in result.stderr


def test_with_url_the_running_server_mints_by_its_clock_in_a_namespace() -> None:
    with serving(*FROZEN_ARGS) as (_, graphql_url):
        base = base_of(graphql_url)
        args = ["john@mail.com", "--origin", ORIGIN, "--local-storage", "t=access_token"]
        state = run_json(*args, "--url", graphql_url)
        token = state["origins"][0]["localStorage"][0]["value"]
        assert signed_part(token) == DOC_ACCESS_PREFIX
        missing = fakeauth_cmd("storage-state", *args, "--url", base, "--namespace", "w1")
        assert missing.returncode == 0, missing.stderr
        refused = fakeauth_cmd("storage-state", "ann@mail.com", *args[1:], "--url", base)
        assert refused.returncode == 1
        assert f"{base} answered 404: no user with email 'ann@mail.com'" in refused.stderr
        both = fakeauth_cmd("storage-state", *args, "--url", base, "--now", "2030-01-01T00:00:00Z")
        assert both.returncode == 2
        assert "--now and --url" in both.stderr
    gone = fakeauth_cmd("storage-state", *args, "--url", base)
    assert gone.returncode == 1
    assert f"cannot reach fakeauth at {base}" in gone.stderr


def test_the_builder_checks_its_arguments() -> None:
    assert parse_assignments(["a=access_token", "b=c=d"], "--x") == {
        "a": "access_token",
        "b": "c=d",
    }
    with pytest.raises(StorageStateError, match="give NAME="):
        parse_assignments(["=access_token"], "--x")
    with pytest.raises(StorageStateError, match="give the app's origin"):
        storage_state(PAIR, "ftp://host", {"t": "access_token"})


def test_playwright_takes_it_and_the_page_finds_its_tokens(
    browser: Browser, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    static = StaticServer(tmp_path)
    origin = static.start()
    try:
        state = run_json(
            "john@mail.com",
            "--origin",
            origin,
            "--local-storage",
            "token=access_token",
            "--cookie",
            "rt=refresh_token",
        )
        path = tmp_path / "state.json"
        path.write_text(json.dumps(state))
        context = browser.new_context(storage_state=str(path))
        try:
            page = context.new_page()
            page.goto(f"{origin}/index.html")
            stored = page.evaluate("() => localStorage.getItem('token')")
            cookie = page.evaluate("() => document.cookie")
        finally:
            context.close()
    finally:
        static.stop()
    assert stored == state["origins"][0]["localStorage"][0]["value"]
    assert cookie == f"rt={state['cookies'][0]['value']}"
