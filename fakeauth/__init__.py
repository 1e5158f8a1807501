"""fakeauth: a fake of the Platzi Fake Store API's JWT auth over GraphQL, for tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "Clock",
    "Config",
    "FakeAuth",
    "FakeAuthServer",
    "TokenPair",
    "User",
    "__version__",
    "create_app",
    "load_users",
]

if TYPE_CHECKING:
    from fakeauth.app import create_app
    from fakeauth.clock import Clock
    from fakeauth.config import Config
    from fakeauth.server import FakeAuthServer
    from fakeauth.service import FakeAuth
    from fakeauth.tokens import TokenPair
    from fakeauth.users import User
    from fakeauth.users_file import load_users

_WHERE = {
    "create_app": "fakeauth.app",
    "Clock": "fakeauth.clock",
    "Config": "fakeauth.config",
    "FakeAuth": "fakeauth.service",
    "FakeAuthServer": "fakeauth.server",
    "TokenPair": "fakeauth.tokens",
    "User": "fakeauth.users",
    "load_users": "fakeauth.users_file",
}


def __getattr__(name: str) -> Any:
    # Lazy, so `fakeauth --version` and the pytest plugin's import stay cheap.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'fakeauth' has no attribute {name!r}")
