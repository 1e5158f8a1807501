"""A handle on one namespace of a server: the verbs of a FakeAuth, and its own URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Unpack

from fakeauth.core.clock import Clock
from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import ANY, Fault, FaultOptions
from fakeauth.core.namespaces import Namespaces, check_name
from fakeauth.core.request_log import LoggedRequest
from fakeauth.core.tokens import TokenPair
from fakeauth.core.users import Users


class Namespace:
    """One namespace, found by name on each use: after a delete or a replacement the
    handle works on the namespace's new fake, and its first use creates it."""

    def __init__(self, namespaces: Namespaces, name: str, base_url: Callable[[], str]) -> None:
        self.name = check_name(name)
        self._namespaces = namespaces
        self._base_url = base_url

    @property
    def fake(self) -> FakeAuth:
        """The FakeAuth behind the namespace now (TooManyNamespaces past the limit)."""
        return self._namespaces.get(self.name)

    @property
    def url(self) -> str:
        """The server's URL with this namespace's prefix: ``http://127.0.0.1:PORT/ns/w3``."""
        return f"{self._base_url()}/ns/{self.name}"

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    @property
    def clock(self) -> Clock:
        return self.fake.clock

    @property
    def users(self) -> Users:
        return self.fake.users

    @property
    def requests(self) -> list[LoggedRequest]:
        """This namespace's requests since its last reset, oldest first."""
        return self.fake.requests

    def login(self, email: str, password: str | None = None) -> TokenPair:
        """The pair a login in this namespace would give now (see FakeAuth.login)."""
        return self.fake.login(email, password)

    def fail(
        self, operation: str = ANY, error: str | None = None, **options: Unpack[FaultOptions]
    ) -> Fault:
        """Fail or delay this namespace's next matching operations (see FakeAuth.fail)."""
        return self.fake.fail(operation, error, **options)

    def reset(self) -> None:
        """This namespace alone back to the server's start settings."""
        self.fake.reset()

    def delete(self) -> None:
        """Forget the namespace; its next use creates it afresh. The default one cannot be
        deleted (DefaultNamespace): reset it instead."""
        self._namespaces.delete(self.name)

    def __repr__(self) -> str:
        return f"<Namespace {self.name!r} of {self._base_url() or 'a server not started'}>"
