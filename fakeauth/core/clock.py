"""The one source of time for tokens and checks: a clock tests can move."""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fakeauth.core.durations import parse_duration

WallClock = Callable[[], float]

# The instants a clock may show: what JavaScript's toISOString writes with four digits.
EARLIEST = 0.0  # 1970-01-01T00:00:00Z
LATEST = 253402300799.0  # 9999-12-31T23:59:59Z
_NUMBER = re.compile(r"[-+]?[0-9]{1,15}(\.[0-9]{1,9})?")
_MOST_CHARS = 64


def parse_instant(value: str | int | float | datetime) -> float:
    """Read an instant: ISO 8601 with a zone, Unix seconds, or an aware datetime.

    ValueError, unless it is a finite instant in the years 1970 to 9999.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"datetime {value.isoformat()} has no time zone; add one, e.g. UTC")
        return checked_instant(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not an instant: {_shown(value)}")
    if isinstance(value, int | float):
        return checked_instant(value)
    text = value.strip()
    if _NUMBER.fullmatch(text):
        return checked_instant(float(text))
    try:
        parsed = datetime.fromisoformat(text) if len(text) <= _MOST_CHARS else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(
            f"not an instant: {_shown(value)}; use ISO 8601 with a zone "
            "(2023-01-03T20:44:43Z) or Unix seconds (1672778683)"
        )
    if parsed.tzinfo is None:
        raise ValueError(f"instant {value!r} has no time zone; add one, e.g. 'Z' or '+00:00'")
    return checked_instant(parsed.timestamp())


def checked_instant(seconds: float) -> float:
    """``seconds`` as an instant, or ValueError when it is not one a clock may show."""
    if not math.isfinite(seconds) or not EARLIEST <= seconds <= LATEST:
        raise ValueError(
            f"instant {_shown(seconds)} is out of range: use one from 1970-01-01T00:00:00Z"
            " to 9999-12-31T23:59:59Z"
        )
    return float(seconds)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_instant(timestamp: float) -> str:
    """ISO 8601 in UTC with milliseconds, as JavaScript's toISOString writes it."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Clock:
    """A clock that starts where it is told and runs at real speed, or stands still.

    Only the wall clock given here (``time.time`` by default) is ever read for
    the real time; everything else in fakeauth asks this object.
    It is shared with test threads, hence the lock.
    """

    def __init__(
        self,
        start: str | int | float | datetime | None = None,
        *,
        frozen: bool = False,
        wall: WallClock = time.time,
    ) -> None:
        self._wall = wall
        self._lock = threading.Lock()
        self._initial = (None if start is None else parse_instant(start), frozen)
        self._base = 0.0
        self._wall_base = 0.0
        self._frozen = frozen
        self.reset()

    def reset(self) -> None:
        """Go back to the start settings (a real-time start means now again)."""
        start, frozen = self._initial
        with self._lock:
            self._wall_base = self._wall()
            self._base = self._wall_base if start is None else start
            self._frozen = frozen

    def timestamp(self) -> float:
        with self._lock:
            return self._read()

    def _read(self) -> float:
        if self._frozen:
            return self._base
        return self._base + (self._wall() - self._wall_base)

    def now(self) -> datetime:
        """The clock's time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp(), UTC)

    @property
    def frozen(self) -> bool:
        return self._frozen

    def _rebase(self, to: float, frozen: bool) -> None:
        self._wall_base = self._wall()
        self._base = to
        self._frozen = frozen

    def set(
        self, instant: str | int | float | datetime | None = None, *, frozen: bool | None = None
    ) -> float:
        """Move to an instant, and/or freeze or unfreeze, in one step; returns where it is."""
        target = None if instant is None else parse_instant(instant)
        with self._lock:
            self._rebase(
                self._read() if target is None else target,
                self._frozen if frozen is None else frozen,
            )
            return self._base

    def advance(
        self,
        by: timedelta | str | int | float = 0,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> float:
        """Move forward by a duration (a timedelta, '1h30m', seconds) plus any keywords;
        returns where it is then."""
        step = by.total_seconds() if isinstance(by, timedelta) else parse_duration(by)
        seconds = (
            step
            + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds).total_seconds()
        )
        if seconds < 0:
            raise ValueError("the clock only moves forward with advance(); use set() to go back")
        with self._lock:
            self._rebase(checked_instant(self._read() + seconds), self._frozen)
            return self._base

    def freeze(self) -> float:
        return self.set(frozen=True)

    def unfreeze(self) -> float:
        return self.set(frozen=False)

    def __repr__(self) -> str:
        state = "frozen" if self._frozen else "running"
        return f"<Clock {format_instant(self.timestamp())} {state}>"
