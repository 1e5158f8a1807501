"""One fake service in memory: its clock, users, tokens, catalogue, faults and request log."""

from __future__ import annotations

from typing import Unpack

from fakeauth.core.accounts import Accounts
from fakeauth.core.auth import Auth
from fakeauth.core.catalog import CatalogStore, Seed
from fakeauth.core.catalog_file import load_catalog
from fakeauth.core.catalog_rules import Catalog
from fakeauth.core.clock import Clock
from fakeauth.core.config import Config
from fakeauth.core.faults import ANY, Fault, FaultOptions, Faults, delay_seconds
from fakeauth.core.request_log import LoggedRequest, RequestLog
from fakeauth.core.revocations import Revocations
from fakeauth.core.rotation import SpentRefreshTokens
from fakeauth.core.tokens import TokenIssuer, TokenPair
from fakeauth.core.users import User, Users, UserStore
from fakeauth.core.users_file import load_users


class FakeAuth:
    """Everything a running fake holds, and the verbs tests use on it. No server needed."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        users: list[User] | UserStore | None = None,
        catalog: Seed | None = None,
    ) -> None:
        """``users`` overrides the config's users file; a UserStore is used as it is."""
        self.config = config = config or Config()
        self.clock = Clock(config.now, frozen=config.frozen)
        if isinstance(users, UserStore):
            self.store = users
        else:
            seed = load_users(config.users) if users is None else users
            self.store = UserStore(seed, limit=config.max_users)
        self.revocations = Revocations()
        self.users = Users(self.store, self.clock, self.revocations)
        self.tokens = TokenIssuer(
            self.clock,
            access_secret=config.access_secret,
            refresh_secret=config.refresh_secret,
            access_ttl=config.access_ttl,
            refresh_ttl=config.refresh_ttl,
        )
        self.spent = SpentRefreshTokens(self.clock)
        self.auth = Auth(
            self.store,
            self.tokens,
            self.revocations,
            self.spent if config.refresh_rotation else None,
        )
        self.accounts = Accounts(self.store, self.clock)
        self.catalog_store = CatalogStore(
            load_catalog(config.catalog) if catalog is None else catalog
        )
        self.catalog = Catalog(self.catalog_store, self.clock)
        self.log = RequestLog(self.clock)
        self.faults = Faults()

    @property
    def requests(self) -> list[LoggedRequest]:
        """The GraphQL and REST requests since the last reset, oldest first, passwords masked."""
        return self.log.entries()

    def reset(self) -> None:
        """Users and catalogue as loaded, clock back to its start settings, no faults, an empty
        request log, no revocations, no spent refresh tokens."""
        self.store.reset()
        self.catalog_store.reset()
        self.clock.reset()
        self.faults.clear()
        self.log.clear()
        self.revocations.clear()
        self.spent.clear()

    def login(self, email: str, password: str | None = None) -> TokenPair:
        """The token pair a login would give now; without a password, the user is trusted.

        With a password, a wrong one raises the real service's ApiError ("Unauthorized").
        """
        if password is not None:
            return self.auth.login(email, password)
        user = self.users.get(email)
        if user is None:
            raise KeyError(f"no user with email {email!r}; add one with users.add(...)")
        return self.tokens.issue_pair(user.id)

    def fail(
        self, operation: str = ANY, error: str | None = None, **options: Unpack[FaultOptions]
    ) -> Fault:
        """Make the next ``times`` (1) matching operations fail with ``error``, wait
        ``delay`` first, or both; ``message`` replaces the error's text.

        ``error`` is a GraphQL error code (``"UNAUTHENTICATED"``), or ``"network"`` to
        close the connection without an answer; ``operation`` a root field or ``"*"``.
        """
        delay = delay_seconds(options.get("delay", 0))
        times, message = options.get("times", 1), options.get("message")
        return self.faults.add(Fault(operation, error, delay, times, message))
