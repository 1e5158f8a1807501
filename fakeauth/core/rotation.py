"""Refresh rotation: each refresh token is exchanged once, as many real services do."""

from __future__ import annotations

import heapq
import threading

from fakeauth.core.clock import Clock


class SpentRefreshTokens:
    """The refresh tokens already exchanged, each kept only until it expires by the clock.

    An expired token is refused anyway, so forgetting it keeps the memory bounded by
    the refreshes of one refresh lifetime. (Setting the clock back past a forgotten
    token's expiry lets that one token be used once more.)
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._spent: set[str] = set()
        self._by_expiry: list[tuple[int, str]] = []

    def spend(self, signature: str, exp: int) -> bool:
        """Mark a token as exchanged; False when it already was."""
        with self._lock:
            self._forget_expired(self._clock.timestamp())
            if signature in self._spent:
                return False
            self._spent.add(signature)
            heapq.heappush(self._by_expiry, (exp, signature))
            return True

    def _forget_expired(self, now: float) -> None:
        while self._by_expiry and self._by_expiry[0][0] <= now:
            _, signature = heapq.heappop(self._by_expiry)
            self._spent.discard(signature)

    def clear(self) -> None:
        with self._lock:
            self._spent.clear()
            self._by_expiry.clear()

    def __len__(self) -> int:
        return len(self._spent)
