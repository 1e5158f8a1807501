"""The pytest plugin: the ``fakeauth`` fixture and marker, and the ``fakeauth_now`` ini option.

pytest imports this in every run wherever fakeauth is installed, so it imports nothing
heavy at the top: the server and its libraries load when a test first asks for one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fakeauth.server import FakeAuthServer

# The instant of the documented example tokens: john's tokens then match the docs.
DEFAULT_NOW = "2023-01-03T20:44:43Z"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "fakeauth_now",
        help=f"where the fakeauth fixture's clock starts, ISO 8601 or Unix seconds "
        f"(default {DEFAULT_NOW})",
        default=DEFAULT_NOW,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fakeauth(now=..., frozen=..., users=..., access_ttl=..., refresh_ttl=...): "
        "settings of the fakeauth fixture's server for this test",
    )


class FakeAuthServers:
    """Servers started on first use, one per distinct settings, stopped with the session."""

    def __init__(self) -> None:
        self._servers: dict[str, FakeAuthServer] = {}

    def get(self, **settings: Any) -> FakeAuthServer:
        key = json.dumps(settings, sort_keys=True, default=str)
        server = self._servers.get(key)
        if server is None:
            from fakeauth.server import FakeAuthServer

            server = self._servers[key] = FakeAuthServer(**settings).start()
        return server

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers.clear()


@pytest.fixture(scope="session")
def fakeauth_servers() -> Iterator[FakeAuthServers]:
    """The session's fakeauth servers, one per distinct settings; prefer ``fakeauth``."""
    servers = FakeAuthServers()
    yield servers
    servers.stop()


@pytest.fixture
def fakeauth(request: pytest.FixtureRequest, fakeauth_servers: FakeAuthServers) -> FakeAuthServer:
    """A running fakeauth server, reset for this test; its clock frozen at 2023-01-03T20:44:43Z.

    ``fakeauth.namespace(name)`` is a namespace of it, created afresh in each test.
    """
    settings: dict[str, Any] = {"now": request.config.getini("fakeauth_now"), "frozen": True}
    marker = request.node.get_closest_marker("fakeauth")
    if marker is not None:
        if marker.args:
            pytest.fail(
                "@pytest.mark.fakeauth takes keywords only, e.g. "
                "@pytest.mark.fakeauth(now='2023-01-03T20:44:43Z', access_ttl='15m')",
                pytrace=False,
            )
        settings.update(marker.kwargs)
    try:
        server = fakeauth_servers.get(**settings)
    except (TypeError, ValueError) as error:
        # Settings of the marker or the ini file: say so, without a traceback into fakeauth.
        problem = f"fakeauth settings {settings}: {error}"
    else:
        server.reset()
        server.namespaces.clear()  # so fakeauth.namespace(name) starts afresh in each test
        return server
    pytest.fail(problem, pytrace=False)
