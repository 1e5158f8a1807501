"""The pytest plugin, used by a foreign project as pytester builds one."""

from __future__ import annotations

import pytest
from helpers import modules_imported

pytest_plugins = ["pytester"]

# Warnings are errors in the foreign project too; the other line quiets pytest-asyncio.
INI = """[pytest]
filterwarnings = error
asyncio_default_fixture_loop_scope = function
"""

USES_THE_FIXTURE = """
import json
import urllib.request
from datetime import UTC, datetime

import pytest

LOGIN = 'mutation { login(email: "john@mail.com", password: "changeme") { access_token } }'


def login(fakeauth):
    body = json.dumps({"query": LOGIN}).encode()
    request = urllib.request.Request(fakeauth.graphql_url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_default_clock_is_frozen_at_the_documented_instant(fakeauth):
    assert fakeauth.clock.now() == datetime(2023, 1, 3, 20, 44, 43, tzinfo=UTC)
    assert fakeauth.clock.frozen
    token = login(fakeauth)["data"]["login"]["access_token"]
    assert token.split(".")[1] == "eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjc0NTA2NjgzfQ"


def test_a_test_changes_the_state(fakeauth):
    fakeauth.clock.advance(days=3)
    fakeauth.users.remove(1)
    fakeauth.fail("login", "INTERNAL_SERVER_ERROR")
    pytest.first_url = fakeauth.url


def test_the_next_test_gets_it_reset_on_the_same_server(fakeauth):
    assert fakeauth.url == pytest.first_url
    assert fakeauth.clock.now().day == 3
    assert len(fakeauth.users) == 3
    assert fakeauth.requests == []
    assert "data" in login(fakeauth)
    assert len(fakeauth.requests) == 1


@pytest.mark.fakeauth(now="2030-05-01T00:00:00Z", access_ttl="15m")
def test_the_marker_sets_a_test_apart(fakeauth):
    assert fakeauth.url != pytest.first_url
    assert fakeauth.clock.now().year == 2030
    pair = fakeauth.login("john@mail.com")
    payload = json.loads(__import__("base64").urlsafe_b64decode(pair.access_token.split(".")[1] + "=="))
    assert payload["exp"] - payload["iat"] == 900


@pytest.mark.fakeauth(frozen=False, users=[
    {"email": "ann@x.io", "password": "pw", "name": "Ann", "role": "admin", "avatar": "https://x.io/a"},
])
def test_the_marker_gives_users_and_a_running_clock(fakeauth):
    assert [user.email for user in fakeauth.users] == ["ann@x.io"]
    assert not fakeauth.clock.frozen


@pytest.mark.fakeauth(access_ttl="soon")
def test_bad_settings_fail_clearly(fakeauth):
    pass
"""


def test_the_fixture_and_marker_in_a_foreign_project(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_app=USES_THE_FIXTURE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(["*fakeauth settings*not a duration: 'soon'*"])
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*During handling*")


def test_the_ini_option_moves_the_default_instant(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI + "fakeauth_now = 2024-02-29T12:00:00Z\n")
    pytester.makepyfile(
        """
        def test_now(fakeauth):
            assert fakeauth.clock.now().isoformat() == "2024-02-29T12:00:00+00:00"
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_fixtures_are_listed_with_a_one_line_docstring(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    result = pytester.runpytest("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "*fixtures defined from fakeauth.pytest_plugin*",
            "fakeauth_servers [[]session scope[]]*",
            "    The session's fakeauth servers*",
            "fakeauth -- *",
            "    A running fakeauth server, reset for this test*2023-01-03T20:44:43Z*",
        ]
    )


def test_the_marker_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    result = pytester.runpytest("--markers", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["@pytest.mark.fakeauth(now=*frozen=*users=*access_ttl=*"])


def test_loading_the_plugin_imports_no_server_libraries() -> None:
    heavy = ("aiohttp", "strawberry", "graphql", "jwt", "yaml")
    assert modules_imported("fakeauth.pytest_plugin", heavy) == []
