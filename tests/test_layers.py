"""The package's layers, as a newcomer relies on them: a plain core, one public surface."""

from __future__ import annotations

import json
import urllib.request

from helpers import modules_imported

import fakeauth
from fakeauth import FakeAuthServer


def test_the_core_imports_no_web_or_graphql_library() -> None:
    imports = "fakeauth.core.fake, fakeauth.core.token_report"
    assert modules_imported(imports, ("aiohttp", "graphql", "strawberry")) == []


def test_every_public_name_imports_and_is_listed_once() -> None:
    assert len(fakeauth.__all__) == len(set(fakeauth.__all__))
    for name in fakeauth.__all__:
        assert getattr(fakeauth, name) is not None, name
    # The names of 0.2.0 are still there.
    for name in ("Clock", "Config", "FakeAuth", "FakeAuthServer", "TokenPair", "User"):
        assert name in fakeauth.__all__
    assert {"create_app", "load_users", "__version__"} <= set(fakeauth.__all__)


def test_the_threaded_server_starts_as_serve_does_so_a_huge_bearer_is_unauthorized() -> None:
    # The fixture's server once skipped serve()'s settings: aiohttp answered a 100 KB
    # header with a plain-text 400 of its own and logged a traceback.
    with FakeAuthServer() as server:
        request = urllib.request.Request(
            server.graphql_url,
            json.dumps({"query": "{ myProfile { id } }"}).encode(),
            {"Content-Type": "application/json", "Authorization": "Bearer " + "x" * 100_000},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.load(response)
    assert body["errors"][0]["message"] == "Unauthorized"
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_in_process_fake_has_the_verbs_of_the_server() -> None:
    fake = fakeauth.FakeAuth(fakeauth.Config.build(now="2023-01-03T20:44:43Z", frozen=True))
    fake.users.add("ann@mail.com", "secret1", name="Ann")
    pair = fake.login("ann@mail.com", "secret1")
    assert pair == fake.login("ann@mail.com")
    fault = fake.fail("login", "INTERNAL_SERVER_ERROR", times=2)
    assert isinstance(fault, fakeauth.Fault)
    assert fake.faults.pending()[0].times == 2
    assert fake.requests == []
    fake.reset()
    assert "ann@mail.com" not in fake.users
    for name in ("requests", "reset", "login", "fail"):
        assert getattr(FakeAuthServer, name) is getattr(fakeauth.FakeAuth, name)
