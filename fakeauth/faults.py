"""Faults a test asks for: the next matching operations fail, wait, or get no answer.

One vocabulary for both APIs: a REST route counts as the root field it mirrors
(``POST /api/v1/auth/login`` is ``login``), so one fault serves GraphQL and REST.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from fakeauth import errors
from fakeauth.durations import parse_duration

if TYPE_CHECKING:
    from aiohttp import web

    from fakeauth.engine import Operation, Outcome

ANY = "*"
NETWORK = "network"  # the connection is closed without an answer
_CODE = re.compile(r"[A-Z][A-Z0-9_]*")


@cache
def known_operations() -> frozenset[str]:
    """Root fields of the GraphQL schema: the operations a fault can name."""
    from fakeauth.schema import schema

    graphql_schema = schema._schema
    roots = (graphql_schema.query_type, graphql_schema.mutation_type)
    return frozenset(name for root in roots if root is not None for name in root.fields)


@dataclass(slots=True)
class Fault:
    """What happens to the next ``times`` operations that select ``operation``."""

    operation: str = ANY
    error: str | None = None
    delay: float = 0.0  # real seconds, for loading states
    times: int = 1
    message: str | None = None

    def __post_init__(self) -> None:
        if self.operation != ANY and self.operation not in known_operations():
            names = ", ".join(sorted(known_operations()))
            raise ValueError(f"unknown operation {self.operation!r}; use one of {names} or '*'")
        if self.error is not None and self.error != NETWORK and not _CODE.fullmatch(self.error):
            raise ValueError(
                f"error must be a GraphQL error code such as UNAUTHENTICATED or "
                f"INTERNAL_SERVER_ERROR, or 'network', not {self.error!r}"
            )
        if isinstance(self.times, bool) or not isinstance(self.times, int) or self.times < 1:
            raise ValueError(f"times must be a positive integer, not {self.times!r}")
        if self.delay < 0:
            raise ValueError(f"delay must not be negative, not {self.delay!r}")
        if self.error is None and not self.delay:
            raise ValueError("a fault needs an error, a delay, or both")
        if self.message is not None and not isinstance(self.message, str):
            raise ValueError(f"message must be a string, not {self.message!r}")

    def matches(self, fields: tuple[str, ...]) -> bool:
        return self.operation == ANY or self.operation in fields

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "error": self.error,
            "delay_ms": round(self.delay * 1000),
            "times": self.times,
            "message": self.message,
        }

    @classmethod
    def from_json(cls, body: Any) -> Fault:
        """A fault from the control API's JSON; ValueError says what is wrong."""
        if not isinstance(body, dict):
            raise ValueError('expected a JSON object such as {"operation": "login", "error": ...}')
        unknown = sorted(set(body) - {"operation", "error", "delay_ms", "times", "message"})
        if unknown:
            raise ValueError(
                f"unknown key {unknown[0]!r} (known: operation, error, delay_ms, times, message)"
            )
        delay_ms = body.get("delay_ms", 0)
        if isinstance(delay_ms, bool) or not isinstance(delay_ms, int | float):
            raise ValueError(f"delay_ms must be a number of milliseconds, not {delay_ms!r}")
        error = body.get("error")
        if error is not None and not isinstance(error, str):
            raise ValueError(f"error must be a string, not {error!r}")
        operation = body.get("operation", ANY)
        if not isinstance(operation, str):
            raise ValueError(f"operation must be a string, not {operation!r}")
        return cls(operation, error, delay_ms / 1000, body.get("times", 1), body.get("message"))


def delay_seconds(value: timedelta | str | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else parse_duration(value)


class Faults:
    """Pending faults, first added first used. Shared with test threads, hence the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def __bool__(self) -> bool:
        # Read on every request without the lock: a list's truth is atomic.
        return bool(self._pending)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._pending.append(fault)
        return fault

    def take(self, fields: tuple[str, ...]) -> Fault | None:
        """The first pending fault for these root fields, counted as used once."""
        with self._lock:
            for index, fault in enumerate(self._pending):
                if fault.matches(fields):
                    fault.times -= 1
                    if fault.times == 0:
                        del self._pending[index]
                    return fault
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return [Fault(f.operation, f.error, f.delay, f.times, f.message) for f in self._pending]

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()


async def befall(faults: Faults, request: web.Request, fields: tuple[str, ...]) -> Fault | None:
    """Take the pending fault for these root fields, if any, and act out its delay and,
    for ``"network"``, the dropped connection; what is left to answer is the caller's."""
    fault = faults.take(fields)
    if fault is None:
        return None
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.error == NETWORK and request.transport is not None:
        # Aborted, not closed: the client sees a reset rather than a polite end.
        request.transport.abort()
    return fault


async def intercept(faults: Faults, request: web.Request, operation: Operation) -> Outcome | None:
    """Apply the pending fault for this operation, if any: None means answer it as usual."""
    fault = await befall(faults, request, operation.root_fields)
    if fault is None or fault.error is None:
        return None
    if fault.error == NETWORK:
        from fakeauth.engine import Outcome

        return Outcome(200, {}, operation, [NETWORK])
    return error_outcome(fault.error, fault, operation)


def error_outcome(code: str, fault: Fault, operation: Operation) -> Outcome:
    """The answer of a failed operation, as Apollo gives it for an error thrown in a resolver."""
    from graphql.language import FieldNode, get_location

    from fakeauth.engine import Outcome

    nodes = [n for n in operation.definition.selection_set.selections if isinstance(n, FieldNode)]
    node = next((n for n in nodes if fault.matches((n.name.value,))), nodes[0])
    entry: dict[str, Any] = {"message": ""}
    if node.loc is not None:
        where = get_location(node.loc.source, node.loc.start)
        entry["locations"] = [{"line": where.line, "column": where.column}]
    entry["path"] = [(node.alias or node.name).value]
    entry.update(_described(code, node.name.value, fault.message))
    return Outcome(200, {"errors": [entry], "data": None}, operation, [code])


def _described(code: str, field: str, message: str | None) -> dict[str, Any]:
    real = _real_error(code, field, message)
    if real is None:
        text = message or code.replace("_", " ").capitalize()
        return {"message": text, "extensions": {"code": code}}
    return {
        "message": message or real.message,
        "extensions": {"code": code, "originalError": real.original},
    }


def rest_error(code: str, field: str, message: str | None) -> tuple[int, dict[str, Any]]:
    """Status and body of a REST request failed with ``code``, as the NestJS service answers.

    The codes it uses give its own body (the ``originalError`` of the GraphQL answer);
    a code that names an HTTP error status (``TOO_MANY_REQUESTS``) gives that status;
    any other code, like ``INTERNAL_SERVER_ERROR``, Nest's answer to an unhandled error.
    ``message``, when given, replaces the body's text.
    """
    real = _real_error(code, field, message)
    if real is not None:
        body = real.original
        if message is not None and isinstance(body["message"], str):
            body = {**body, "message": message}
        return real.status, body
    status = HTTPStatus.__members__.get(code)
    if status is None or status < 400 or status == HTTPStatus.INTERNAL_SERVER_ERROR:
        return 500, {"message": message or "Internal server error", "statusCode": 500}
    return status.value, {"message": message or status.phrase, "statusCode": status.value}


def _real_error(code: str, field: str, message: str | None) -> errors.ApiError | None:
    # The codes the real service answers with come with its NestJS body; others as Apollo's.
    return {
        "UNAUTHENTICATED": errors.invalid_refresh_token()
        if field == "refreshToken"
        else errors.unauthorized(),
        "BAD_REQUEST": errors.bad_request([message or "Bad Request"]),
        "NOT_FOUND": errors.not_found(message or "Not Found"),
        "FORBIDDEN": errors.ApiError(
            "Forbidden resource",
            "FORBIDDEN",
            {"message": "Forbidden resource", "error": "Forbidden", "statusCode": 403},
        ),
    }.get(code)
