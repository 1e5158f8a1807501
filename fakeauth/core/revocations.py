"""Sessions the server ended: per user, the last second whose tokens are refused."""

from __future__ import annotations

import threading

from fakeauth.core.tokens import Claims


class Revocations:
    """Revoking a user refuses its tokens issued at or before that instant, to the second.

    Tokens carry their issue time in whole seconds, so a token issued later in the
    same second is refused too: move the clock a second before logging in again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[int, int] = {}

    def revoke(self, user_id: int, now: float) -> int:
        """Refuse the user's tokens issued up to ``now``; returns that second."""
        second = int(now)
        with self._lock:
            self._until[user_id] = max(second, self._until.get(user_id, second))
        return second

    def until(self, user_id: int) -> int | None:
        """The last second whose tokens of that user are refused, or None."""
        return self._until.get(user_id)

    def refuses(self, claims: Claims) -> bool:
        until = self._until.get(claims.sub)
        return until is not None and claims.iat <= until

    def clear(self) -> None:
        with self._lock:
            self._until.clear()

    def __len__(self) -> int:
        return len(self._until)
