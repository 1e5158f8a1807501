"""One fake auth service in memory: its clock, users and tokens, built from a Config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from fakeauth.accounts import Accounts
from fakeauth.auth import Auth
from fakeauth.clock import Clock
from fakeauth.config import Config
from fakeauth.faults import Faults
from fakeauth.request_log import RequestLog
from fakeauth.tokens import TokenIssuer
from fakeauth.users import User, UserStore, validate_user_fields
from fakeauth.users_file import load_users


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
        self.requests = RequestLog(self.clock, self.auth.user_for_header)
        self.faults = Faults()

    def reset(self) -> None:
        """Users as loaded, clock back to its start settings, no faults, an empty request log."""
        self.users.reset()
        self.clock.reset()
        self.faults.clear()
        self.requests.clear()

    def add_user(self, fields: Mapping[str, Any]) -> User:
        """Add a user given as the users file writes one, created now by the clock.

        ValueError (or its subclass UserConflict, for a taken id or email) says why not.
        """
        now = self.clock.timestamp()
        user = validate_user_fields({"creationAt": now, "updatedAt": now, **fields}, 1)
        if "id" in fields:
            return self.users.add(user)
        # Without an id the store picks the next one under its lock: concurrent adds never clash.
        values = asdict(user)
        del values["id"]
        return self.users.add(**values)
