"""Faults a test asks for: the next matching operations fail, wait, or get no answer.

Only the state lives here; each API shapes a faulted answer its own way. One
vocabulary serves both: a REST route counts as the root field it mirrors
(``POST /api/v1/auth/login`` is ``login``), so one fault covers GraphQL and REST.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypedDict

from fakeauth.core.durations import parse_duration
from fakeauth.core.operations import BY_FIELD

ANY = "*"
NETWORK = "network"  # the connection is closed without an answer
_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
# Bounds, so a test (or a page that should not) cannot make the fake hold or wait too much.
MAX_DELAY = 600.0
MAX_MESSAGE_CHARS = 1000
MAX_PENDING = 1000
_KEYS = ("operation", "error", "delay_ms", "times", "message")


@dataclass(slots=True)
class Fault:
    """What happens to the next ``times`` operations that select ``operation``."""

    operation: str = ANY
    error: str | None = None
    delay: float = 0.0  # real seconds, for loading states
    times: int = 1
    message: str | None = None

    def __post_init__(self) -> None:
        if self.operation != ANY and self.operation not in BY_FIELD:
            names = ", ".join(sorted(BY_FIELD))
            raise ValueError(f"unknown operation {self.operation!r}; use one of {names} or '*'")
        if self.error is not None and self.error != NETWORK and not _CODE.fullmatch(self.error):
            raise ValueError(
                f"error must be a GraphQL error code such as UNAUTHENTICATED or "
                f"INTERNAL_SERVER_ERROR, or 'network', not {self.error!r}"
            )
        if isinstance(self.times, bool) or not isinstance(self.times, int) or self.times < 1:
            raise ValueError(f"times must be a positive integer, not {self.times!r}")
        if not math.isfinite(self.delay) or self.delay > MAX_DELAY:
            raise ValueError(f"delay must be at most {MAX_DELAY:g} seconds, not {self.delay!r}")
        if self.delay < 0:
            raise ValueError(f"delay must not be negative, not {self.delay!r}")
        if self.error is None and not self.delay:
            raise ValueError("a fault needs an error, a delay, or both")
        if self.message is not None and not isinstance(self.message, str):
            raise ValueError(f"message must be a string, not {self.message!r}")
        if self.message is not None and len(self.message) > MAX_MESSAGE_CHARS:
            raise ValueError(f"message must be at most {MAX_MESSAGE_CHARS} characters")

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
        unknown = sorted(set(body) - set(_KEYS))
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})")
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


class FaultOptions(TypedDict, total=False):
    """How a fault acts besides its error: ``delay`` (real time), ``times``, ``message``."""

    delay: timedelta | str | float
    times: int
    message: str | None


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
        """Add a fault; ValueError when MAX_PENDING are waiting already."""
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                raise ValueError(
                    f"{MAX_PENDING} faults are pending already, the most there may be;"
                    " clear them (DELETE /__fakeauth/faults) or use times instead"
                )
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
