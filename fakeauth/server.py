"""A real fakeauth server on a background thread, driven from the test's own thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from fakeauth.app import create_app
from fakeauth.clock import Clock
from fakeauth.config import Config
from fakeauth.faults import ANY, Fault, delay_seconds
from fakeauth.request_log import LoggedRequest
from fakeauth.serve import base_url
from fakeauth.service import FakeAuth
from fakeauth.tokens import TokenPair
from fakeauth.users import User, UserStore, validate_user_fields

START_TIMEOUT = 30.0
DEFAULT_AVATAR = "https://api.lorem.space/image/face?w=640&h=480"

UserSpec = User | Mapping[str, Any]


class FakeAuthServer:
    """A fakeauth server in this process, on 127.0.0.1 and a free port unless told otherwise.

    ``with FakeAuthServer(now="2023-01-03T20:44:43Z", frozen=True) as server:`` starts it
    and always stops it. Settings are those of :class:`Config`; ``users`` may also be a
    list of users (mappings as in the users file) instead of a file.
    """

    def __init__(
        self,
        config: Config | None = None,
        /,
        *,
        users: str | Path | Iterable[UserSpec] | None = None,
        **settings: Any,
    ) -> None:
        seed: list[User] | None = None
        if isinstance(users, str | Path):
            settings["users"] = users
        elif users is not None:
            seed = users_from(users)
        if config is None:
            config = Config.build(**{"port": 0, **settings})
        elif settings:
            config = config.with_changes(**settings)
        self.fake = FakeAuth(config, users=seed)
        self.users = Users(self.fake)
        self.url = ""
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._failure: BaseException | None = None

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    @property
    def clock(self) -> Clock:
        return self.fake.clock

    @property
    def requests(self) -> list[LoggedRequest]:
        """The GraphQL and REST requests since the last reset, oldest first, passwords masked."""
        return self.fake.requests.entries()

    def start(self) -> FakeAuthServer:
        """Start serving; returns once the port accepts connections."""
        if self._thread is not None:
            raise RuntimeError("this FakeAuthServer is already started")
        ready = threading.Event()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._serve(ready),), name="fakeauth-server", daemon=True
        )
        self._thread.start()
        if not ready.wait(START_TIMEOUT):
            raise RuntimeError(f"fakeauth did not start within {START_TIMEOUT:g} s")
        if self._failure is not None:
            self._thread.join()
            self._thread = None
            raise self._failure
        return self

    def stop(self) -> None:
        """Stop serving and wait for it; does nothing when not started."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None:
            return
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)
        thread.join(START_TIMEOUT)
        self._thread = self._loop = self._stop = None

    async def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        runner = web.AppRunner(create_app(self.fake), handle_signals=False, access_log=None)
        try:
            await runner.setup()
            await web.TCPSite(runner, self.fake.config.host, self.fake.config.port).start()
            host, port = runner.addresses[0][:2]
            self.url = base_url(host, port)
        except BaseException as error:  # handed to start(), in the caller's thread
            self._failure = error
            await runner.cleanup()
            return
        finally:
            ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    def __enter__(self) -> FakeAuthServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def reset(self) -> None:
        """Users as loaded, clock back to its start settings, no faults, an empty request log."""
        self.fake.reset()

    def login(self, email: str, password: str | None = None) -> TokenPair:
        """The token pair a login would give now; without a password, the user is trusted."""
        if password is not None:
            return self.fake.auth.login(email, password)
        user = self.users.get(email)
        if user is None:
            raise KeyError(f"no user with email {email!r}; add one with users.add(...)")
        return self.fake.tokens.issue_pair(user.id)

    def fail(
        self,
        operation: str = ANY,
        error: str | None = None,
        *,
        delay: timedelta | str | float = 0,
        times: int = 1,
        message: str | None = None,
    ) -> Fault:
        """Make the next ``times`` matching operations fail with ``error``, wait, or both.

        ``error`` is a GraphQL error code (``"UNAUTHENTICATED"``), or ``"network"`` to
        close the connection without an answer; ``operation`` a root field or ``"*"``.
        """
        fault = Fault(operation, error, delay_seconds(delay), times, message)
        return self.fake.faults.add(fault)

    def __repr__(self) -> str:
        return f"<FakeAuthServer {self.url or 'not started'}>"


class Users:
    """The users of a running fake: look up by id or email, add, remove."""

    def __init__(self, fake: FakeAuth) -> None:
        self._fake = fake

    def add(
        self,
        email: str,
        password: str = "changeme",
        *,
        name: str | None = None,
        role: str = "customer",
        avatar: str = DEFAULT_AVATAR,
        **more: Any,
    ) -> User:
        """Add a user, checked like the users file; name defaults to the email's local part."""
        fields = {
            "email": email,
            "password": password,
            "name": name or email.partition("@")[0],
            "role": role,
            "avatar": avatar,
            **more,
        }
        return self._fake.add_user(fields)

    def remove(self, key: int | str) -> User:
        """Remove a user by id or email; its tokens stop working."""
        return self._fake.users.remove(self[key].id)

    def get(self, key: int | str) -> User | None:
        store = self._fake.users
        return store.by_email(key) if isinstance(key, str) else store.get(key)

    def __getitem__(self, key: int | str) -> User:
        user = self.get(key)
        if user is None:
            raise KeyError(f"no user {key!r}")
        return user

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int | str) and self.get(key) is not None

    def __iter__(self) -> Iterator[User]:
        return iter(self._fake.users)

    def __len__(self) -> int:
        return len(self._fake.users)


def users_from(items: Iterable[UserSpec]) -> list[User]:
    """Users from User objects or mappings as in the users file; ValueError says why not."""
    store = UserStore()
    for item in items:
        store.add(item if isinstance(item, User) else validate_user_fields(item, store.next_id()))
    return list(store)
