"""A real fakeauth server on a background thread, driven from the test's own thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from fakeauth.core.config import Config
from fakeauth.core.fake import FakeAuth
from fakeauth.core.namespaces import Namespaces
from fakeauth.core.users import User, UserSpec, users_from
from fakeauth.namespace import Namespace
from fakeauth.serve import serve

START_TIMEOUT = 30.0


class FakeAuthServer(FakeAuth):
    """A FakeAuth served from this process, on 127.0.0.1 and a free port unless told otherwise.

    ``with FakeAuthServer(now="2023-01-03T20:44:43Z", frozen=True) as server:`` starts it
    and always stops it. Settings are those of :class:`Config`; ``users`` may also be a
    list of users (mappings as in the users file) instead of a file. Its verbs (``clock``,
    ``users``, ``login``, ``fail``, ``requests``, ``reset``) are the FakeAuth's own.
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
        super().__init__(config, users=seed)
        self.namespaces = Namespaces(self)
        self.url = ""
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._failure: BaseException | None = None

    @property
    def fake(self) -> FakeAuth:
        """The fake it serves: itself (0.2.0 kept it apart)."""
        return self

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    def namespace(self, name: str) -> Namespace:
        """A handle on the namespace ``name`` of this server, with the verbs of a FakeAuth."""
        return Namespace(self.namespaces, name, lambda: self.url)

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

        def started(url: str) -> None:
            self.url = url
            ready.set()

        try:
            await serve(self, stop=self._stop, ready=started, namespaces=self.namespaces)
        except BaseException as error:  # handed to start(), in the caller's thread
            self._failure = error
        finally:
            ready.set()

    def __enter__(self) -> FakeAuthServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<FakeAuthServer {self.url or 'not started'}>"
