"""Namespaces: one server, an isolated fake per parallel test worker.

The default namespace is the server's own FakeAuth. A named one is a FakeAuth of its
own, created on first use from the server's settings, whose users are the loaded
users, shared with the default one until the namespace changes them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from fakeauth.core.config import Config
from fakeauth.core.fake import FakeAuth
from fakeauth.core.users import UserStore, users_from

DEFAULT_NAME = "default"
NAME_RULE = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"
_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
# What PUT /__fakeauth/namespaces/{name} may set; the rest is the server's.
SETTINGS = ("now", "frozen", "access_ttl", "refresh_ttl", "users", "refresh_rotation")


class BadNamespaceName(ValueError):
    """A namespace name outside the rule."""


class TooManyNamespaces(Exception):
    """Creating one more namespace would pass the server's ``max_namespaces``."""


class DefaultNamespace(ValueError):
    """The default namespace is the server's own: it cannot be deleted or replaced."""


def check_name(name: str) -> str:
    """The name, when it follows the rule; BadNamespaceName says the rule otherwise."""
    if not _NAME.fullmatch(name):
        shown = repr(name) if len(name) <= 70 else repr(name[:67] + "...")
        raise BadNamespaceName(f"bad namespace name {shown}: a name is {NAME_RULE}")
    return name


class Namespaces:
    """The default fake and the named ones, looked up from any thread.

    Nothing is ever evicted: past ``max_namespaces`` named ones, creating another
    raises TooManyNamespaces until some are deleted.
    """

    def __init__(self, default: FakeAuth) -> None:
        self.default = default
        self.limit = default.config.max_namespaces
        self._named: dict[str, FakeAuth] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> FakeAuth:
        """The fake of that namespace, created on first use with the server's settings."""
        fake = self._named.get(name)
        if fake is not None:
            return fake
        if check_name(name) == DEFAULT_NAME:
            return self.default
        with self._lock:
            fake = self._named.get(name)
            if fake is None:
                self._check_room()
                fake = self._named[name] = self._create(self.default.config)
            return fake

    def find(self, name: str) -> FakeAuth | None:
        """The fake of that namespace if it exists; creates nothing."""
        return self.default if name == DEFAULT_NAME else self._named.get(name)

    def put(self, name: str, settings: Mapping[str, Any] | None = None) -> tuple[FakeAuth, bool]:
        """Create or replace a namespace with these settings; True when it was created.

        ValueError (TypeError for an unknown setting) says what is wrong, and changes nothing.
        """
        if check_name(name) == DEFAULT_NAME:
            raise DefaultNamespace(
                "the default namespace has the server's own settings and cannot be replaced;"
                " reset it (POST /__fakeauth/reset) or give another name"
            )
        fake = self._create(self._config(settings or {}), (settings or {}).get("users"))
        with self._lock:
            created = name not in self._named
            if created:
                self._check_room()
            self._named[name] = fake
        return fake, created

    def delete(self, name: str) -> bool:
        """Forget a namespace (its next use creates it afresh); False when there was none."""
        if name == DEFAULT_NAME:
            raise DefaultNamespace(
                "the default namespace cannot be deleted; reset it instead (POST /__fakeauth/reset)"
            )
        with self._lock:
            return self._named.pop(name, None) is not None

    def clear(self) -> None:
        """Delete every named namespace."""
        with self._lock:
            self._named.clear()

    def __iter__(self) -> Iterator[tuple[str, FakeAuth]]:
        """The default namespace, then the named ones by name."""
        with self._lock:
            named = sorted(self._named.items())
        yield DEFAULT_NAME, self.default
        yield from named

    def __len__(self) -> int:
        """The named namespaces, which the limit counts."""
        return len(self._named)

    def _check_room(self) -> None:
        if len(self._named) >= self.limit:
            raise TooManyNamespaces(
                f"fakeauth already holds {self.limit} namespaces besides the default one"
                " (--max-namespaces): delete some with DELETE /__fakeauth/namespaces/{name}"
                " (GET /__fakeauth/namespaces lists them), or start fakeauth with a higher"
                " --max-namespaces; none is evicted"
            )

    def _config(self, settings: Mapping[str, Any]) -> Config:
        unknown = sorted(set(settings) - set(SETTINGS))
        if unknown:
            raise TypeError(f"unknown setting {unknown[0]!r} (known: {', '.join(SETTINGS)})")
        for name in ("frozen", "refresh_rotation"):
            if settings.get(name) is not None and not isinstance(settings[name], bool):
                raise ValueError(f"{name} must be true or false, not {settings[name]!r}")
        for name in ("now", "access_ttl", "refresh_ttl"):
            value = settings.get(name)
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                raise ValueError(f"{name} must be a string or a number, not {value!r}")
        changes = {key: value for key, value in settings.items() if key != "users"}
        return self.default.config.with_changes(**changes) if changes else self.default.config

    def _create(self, config: Config, users: Any = None) -> FakeAuth:
        # The catalogue as loaded, without reading its file again: a seed is never changed.
        catalog = self.default.catalog_store.seed
        if users is None:
            return FakeAuth(config, users=UserStore.sharing(self.default.store), catalog=catalog)
        if not isinstance(users, list) or not all(isinstance(user, Mapping) for user in users):
            raise ValueError("users must be a list of users, each written as in the users file")
        try:
            return FakeAuth(config, users=users_from(users), catalog=catalog)
        except ValueError as error:
            raise ValueError(f"users: {error}") from None
