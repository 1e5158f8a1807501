"""The log of GraphQL and REST requests a fake answered: bounded, newest kept, passwords masked.

Recording stays cheap (one tuple appended per request); parsing, masking, formatting
and finding the bearer token's user wait until someone reads the log.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from fakeauth.clock import Clock, format_instant
from fakeauth.users import User

if TYPE_CHECKING:
    from fakeauth.engine import Operation

MAX_ENTRIES = 1000
# Bodies and variables kept per entry, at most: 1000 entries of 1 MiB bodies would
# hold a gigabyte.
MAX_KEPT_BYTES = 16 * 1024
MASK = "***"

# Who a bearer header stood for at a given clock time (None when it was refused).
UserResolver = Callable[[str | None, float], User | None]

# `password: "..."` (or a """block""" string) written into the query text itself.
_INLINE_PASSWORD = re.compile(
    r'(\b\w*password\w*\s*:\s*)("""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*")',
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the log shows it. A REST request has the GraphQL keys too
    (``operation`` and ``fields`` name the root field its route mirrors) and its own."""

    time: datetime
    operation: str | None
    fields: tuple[str, ...]
    query: str | None
    variables: dict[str, Any]
    user: User | None
    outcome: str
    api: str = "graphql"
    method: str | None = None  # REST only from here on
    path: str | None = None
    body: Any = None
    status: int | None = None

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "time": format_instant(self.time.timestamp()),
            "api": self.api,
            "operation": self.operation,
            "fields": list(self.fields),
            "query": self.query,
            "variables": self.variables,
            "user": None if self.user is None else {"id": self.user.id, "email": self.user.email},
            "outcome": self.outcome,
        }
        if self.api == "rest":
            shown.update(method=self.method, path=self.path, body=self.body, status=self.status)
        return shown


# timestamp, operation, query, variables, authorization header, outcome
_Entry = tuple[float, "Operation | None", "str | None", "dict[str, Any] | None", "str | None", str]


class _RestEntry(NamedTuple):
    timestamp: float
    operation: str | None
    method: str
    path: str
    body: bytes
    authorization: str | None
    outcome: str
    status: int | None


class RequestLog:
    """The last ``size`` requests, oldest first. Shared with test threads, hence the lock."""

    def __init__(self, clock: Clock, resolve_user: UserResolver, size: int = MAX_ENTRIES) -> None:
        self._clock = clock
        self._resolve_user = resolve_user
        self._entries: deque[_Entry | _RestEntry] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(
        self,
        operation: Operation | None,
        query: str | None,
        variables: dict[str, Any] | None,
        authorization: str | None,
        error_codes: list[str],
        body_bytes: int | None = None,
    ) -> None:
        """Record one request, answered with these error codes (none: it went well)."""
        outcome = error_codes[0] if error_codes else "ok"
        if variables and body_bytes is not None and body_bytes > MAX_KEPT_BYTES:
            variables = {"(not kept)": f"the request body was {body_bytes} bytes"}
        entry = (self._clock.timestamp(), operation, query, variables, authorization, outcome)
        with self._lock:
            self._entries.append(entry)

    def add_rest(
        self,
        operation: str | None,
        method: str,
        path: str,
        body: bytes,
        authorization: str | None,
        outcome: str,
        status: int | None,
    ) -> None:
        """Record one REST request: ``operation`` is the root field its route mirrors."""
        if len(body) > MAX_KEPT_BYTES:
            body = f'"(not kept: {len(body)} bytes)"'.encode()
        entry = _RestEntry(
            self._clock.timestamp(), operation, method, path, body, authorization, outcome, status
        )
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            raw = list(self._entries)
        return [
            self._shown_rest(entry) if isinstance(entry, _RestEntry) else self._shown(*entry)
            for entry in raw
        ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _shown(
        self,
        timestamp: float,
        operation: Operation | None,
        query: str | None,
        variables: dict[str, Any] | None,
        authorization: str | None,
        outcome: str,
    ) -> LoggedRequest:
        return LoggedRequest(
            time=datetime.fromtimestamp(timestamp, UTC),
            operation=None if operation is None else operation.name,
            fields=() if operation is None else operation.root_fields,
            query=None if query is None else mask_query(query),
            variables=mask_variables(variables or {}, _password_variables(operation)),
            user=self._resolve_user(authorization, timestamp),
            outcome=outcome,
        )

    def _shown_rest(self, entry: _RestEntry) -> LoggedRequest:
        return LoggedRequest(
            time=datetime.fromtimestamp(entry.timestamp, UTC),
            operation=entry.operation,
            fields=() if entry.operation is None else (entry.operation,),
            query=None,
            variables={},
            user=self._resolve_user(entry.authorization, entry.timestamp),
            outcome=entry.outcome,
            api="rest",
            method=entry.method,
            path=entry.path,
            body=mask_body(entry.body),
            status=entry.status,
        )


def mask_body(raw: bytes) -> Any:
    """A REST body as the log shows it: its JSON with passwords masked, None when empty.

    A body that is not JSON shows as text, unless it mentions a password: it cannot be
    masked piece by piece, so it is masked whole.
    """
    if not raw.strip():
        return None
    try:
        return mask_variables(json.loads(raw))
    except (ValueError, RecursionError):
        text = raw.decode("utf-8", "replace")
        return MASK if "password" in text.lower() else text


def mask_variables(value: Any, names: frozenset[str] = frozenset()) -> Any:
    """A copy with every password replaced by MASK: under a key that names a password,
    or in one of ``names`` (the variables an operation passes as passwords)."""
    if isinstance(value, dict):
        return {
            key: MASK if key in names or "password" in key.lower() else mask_variables(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_variables(item) for item in value]
    return value


def _password_variables(operation: Operation | None) -> frozenset[str]:
    """Variables given as a password argument or input field, e.g. ``password: $p``."""
    if operation is None:
        return frozenset()
    from graphql.language import ArgumentNode, ObjectFieldNode, VariableNode, Visitor, visit

    names: set[str] = set()

    class Finder(Visitor):
        def enter(self, node: Any, *_: Any) -> None:
            if (
                isinstance(node, ArgumentNode | ObjectFieldNode)
                and "password" in node.name.value.lower()
                and isinstance(node.value, VariableNode)
            ):
                names.add(node.value.name.value)

    visit(operation.document, Finder())
    return frozenset(names)


def mask_query(query: str) -> str:
    """The query with password literals (``password: "..."``) replaced by MASK."""
    return _INLINE_PASSWORD.sub(rf'\1"{MASK}"', query)
