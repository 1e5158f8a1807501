"""One fake auth service in memory: its clock, users and tokens, built from a Config."""

from __future__ import annotations

from fakeauth.accounts import Accounts
from fakeauth.auth import Auth
from fakeauth.clock import Clock
from fakeauth.config import Config
from fakeauth.tokens import TokenIssuer
from fakeauth.users import User, UserStore, load_users


class FakeAuth:
    """Everything a running fake holds. Plain Python: no server needed to use it."""

    def __init__(self, config: Config | None = None, *, users: list[User] | None = None) -> None:
        self.config = config = config or Config()
        self.clock = Clock(config.now, frozen=config.frozen)
        self.users = UserStore(load_users(config.users) if users is None else users)
        self.tokens = TokenIssuer(
            self.clock,
            access_secret=config.access_secret,
            refresh_secret=config.refresh_secret,
            access_ttl=config.access_ttl,
            refresh_ttl=config.refresh_ttl,
        )
        self.auth = Auth(self.users, self.tokens)
        self.accounts = Accounts(self.users, self.clock)

    def reset(self) -> None:
        """Users as loaded, clock back to its start settings."""
        self.users.reset()
        self.clock.reset()
