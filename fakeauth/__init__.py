"""fakeauth: a fake of the Platzi Fake Store API's JWT auth over GraphQL, for tests."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fakeauth._version import __version__

# Each public name and the module it lives in. Loaded on first use, so that
# `fakeauth --version` and the pytest plugin's import stay cheap.
_WHERE = {
    "ApiError": "fakeauth.core.errors",
    "CatalogFileError": "fakeauth.core.catalog_file",
    "Clock": "fakeauth.core.clock",
    "Config": "fakeauth.core.config",
    "FakeAuth": "fakeauth.core.fake",
    "FakeAuthServer": "fakeauth.server",
    "Fault": "fakeauth.core.faults",
    "LoggedRequest": "fakeauth.core.request_log",
    "Namespace": "fakeauth.namespace",
    "Namespaces": "fakeauth.core.namespaces",
    "TokenPair": "fakeauth.core.tokens",
    "User": "fakeauth.core.users",
    "TooManyUsers": "fakeauth.core.users",
    "UserConflict": "fakeauth.core.users",
    "Users": "fakeauth.core.users",
    "UsersFileError": "fakeauth.core.users_file",
    "create_app": "fakeauth.web.app",
    "load_catalog": "fakeauth.core.catalog_file",
    "load_users": "fakeauth.core.users_file",
}

__all__ = ["__version__", *_WHERE]

if TYPE_CHECKING:  # the same names, for type checkers
    from fakeauth.core.catalog_file import CatalogFileError as CatalogFileError
    from fakeauth.core.catalog_file import load_catalog as load_catalog
    from fakeauth.core.clock import Clock as Clock
    from fakeauth.core.config import Config as Config
    from fakeauth.core.errors import ApiError as ApiError
    from fakeauth.core.fake import FakeAuth as FakeAuth
    from fakeauth.core.faults import Fault as Fault
    from fakeauth.core.namespaces import Namespaces as Namespaces
    from fakeauth.core.request_log import LoggedRequest as LoggedRequest
    from fakeauth.core.tokens import TokenPair as TokenPair
    from fakeauth.core.users import TooManyUsers as TooManyUsers
    from fakeauth.core.users import User as User
    from fakeauth.core.users import UserConflict as UserConflict
    from fakeauth.core.users import Users as Users
    from fakeauth.core.users_file import UsersFileError as UsersFileError
    from fakeauth.core.users_file import load_users as load_users
    from fakeauth.namespace import Namespace as Namespace
    from fakeauth.server import FakeAuthServer as FakeAuthServer
    from fakeauth.web.app import create_app as create_app


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'fakeauth' has no attribute {name!r}")
