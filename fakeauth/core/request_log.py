"""The log of GraphQL and REST requests a fake answered: bounded, newest kept, passwords masked.

Each entry is made when its request is answered: the bearer's user as it was then,
passwords masked once, and every stored text cut to a bounded size, so reading the
log costs no more than the entries it holds.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fakeauth.core import json_values
from fakeauth.core.clock import Clock, format_instant
from fakeauth.core.users import User

MAX_ENTRIES = 1000
# What one entry keeps of a query, its variables or a REST body, at most: 1000 entries
# of 1 MiB bodies would hold a gigabyte.
MAX_KEPT_BYTES = 16 * 1024
MASK = "***"

# `password: "..."` (or a """block""" string) written into the query text itself, with
# any spaces, line breaks or comments between: for queries that do not parse (those that
# do are masked from their syntax tree).
_INLINE_PASSWORD = re.compile(
    r'(\b\w*password\w*\s*:(?:\s|#[^\n]*)*)("""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*")',
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the log shows it, GraphQL or REST alike.

    ``operation`` is a GraphQL request's operation name, or the root field a REST
    route mirrors; ``fields`` the root fields, the names faults take.
    """

    time: datetime
    api: str
    method: str
    path: str
    operation: str | None
    fields: tuple[str, ...]
    query: str | None
    variables: dict[str, Any]
    body: Any
    user: User | None
    outcome: str
    status: int | None
    # Why it failed or was refused, in plain words (None when it went well).
    reason: str | None = None

    @property
    def operation_name(self) -> str | None:
        """The GraphQL operation's own name (``Login``); None for REST and anonymous ones."""
        return self.operation if self.api == "graphql" else None

    def line(self, namespace: str) -> str:
        """One line for ``--log-requests``: clock time, namespace, operation, user, outcome."""
        what = ",".join(self.fields) or f"{self.method} {self.path}"
        user = "-" if self.user is None else self.user.email
        reason = "" if self.reason is None else f": {self.reason}"
        return (
            f"{format_instant(self.time.timestamp())} {namespace} {self.api} {what}"
            f" {user} {self.outcome}{reason}"
        )

    def to_json(self) -> dict[str, Any]:
        user = self.user
        return {
            "time": format_instant(self.time.timestamp()),
            "api": self.api,
            "method": self.method,
            "path": self.path,
            # Both names, for GraphQL and REST alike: the root fields are what faults take.
            "operation_name": self.operation_name,
            "root_fields": list(self.fields),
            "operation": self.operation,
            "fields": list(self.fields),
            "query": self.query,
            "variables": self.variables,
            "body": self.body,
            "user": None if user is None else {"id": user.id, "email": user.email},
            "outcome": self.outcome,
            "reason": self.reason,
            "status": self.status,
        }


class RequestLog:
    """The last ``size`` requests, oldest first. Shared with test threads, hence the lock."""

    def __init__(self, clock: Clock, size: int = MAX_ENTRIES) -> None:
        self._clock = clock
        self._entries: deque[LoggedRequest] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(
        self,
        *,
        api: str,
        method: str,
        path: str,
        operation: str | None = None,
        fields: tuple[str, ...] = (),
        query: str | None = None,
        variables: dict[str, Any] | None = None,
        password_variables: frozenset[str] = frozenset(),
        body: bytes = b"",
        user: User | None = None,
        outcome: str = "ok",
        status: int | None = None,
        reason: str | None = None,
    ) -> LoggedRequest:
        """Record one request as it was answered; ``outcome`` is "ok" or an error code."""
        entry = LoggedRequest(
            time=datetime.fromtimestamp(self._clock.timestamp(), UTC),
            api=api,
            method=method,
            path=_cut(path),
            operation=operation,
            fields=fields,
            query=None if query is None else _cut(mask_query(query)),
            variables=_kept_variables(variables, password_variables, len(body)),
            body=mask_body(body) if api == "rest" else None,
            user=user,
            outcome=outcome,
            status=status,
            reason=None if reason is None else _cut(reason),
        )
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _cut(text: str) -> str:
    if len(text) <= MAX_KEPT_BYTES:
        return text
    return f"{text[:MAX_KEPT_BYTES]}… ({len(text)} characters; the rest is not kept)"


def _kept_variables(
    variables: dict[str, Any] | None, passwords: frozenset[str], body_bytes: int
) -> dict[str, Any]:
    if not variables:
        return {}
    if body_bytes > MAX_KEPT_BYTES:
        return {"(not kept)": f"the request body was {body_bytes} bytes"}
    masked: dict[str, Any] = mask_variables(variables, passwords)
    return masked


def mask_body(raw: bytes) -> Any:
    """A REST body as the log shows it: its JSON with passwords masked, None when empty.

    A body that is not JSON shows as text, unless it mentions a password: it cannot be
    masked piece by piece, so it is masked whole.
    """
    if not raw.strip():
        return None
    if len(raw) > MAX_KEPT_BYTES:
        return f"(not kept: {len(raw)} bytes)"
    try:
        return mask_variables(json_values.loads(raw))
    except json_values.JsonError:
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


def mask_query(query: str) -> str:
    """The query with password literals (``password: "..."``) replaced by MASK."""
    return _INLINE_PASSWORD.sub(rf'\1"{MASK}"', query)
