"""Settings of one fake: a frozen dataclass with documented defaults."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from fakeauth.core.clock import parse_instant
from fakeauth.core.durations import parse_duration

# Public on purpose: tokens must be the same on every machine. Never use them for real.
DEFAULT_ACCESS_SECRET = "fakeauth-access-secret-public-for-testing-only"
DEFAULT_REFRESH_SECRET = "fakeauth-refresh-secret-public-for-testing-only"
DEFAULT_ACCESS_TTL = 20 * 86400.0
DEFAULT_REFRESH_TTL = 10 * 3600.0
# So that every token's exp stays an instant a clock can show (before the year 9999).
MAX_TTL = 1000 * 365.25 * 86400
DEFAULT_MAX_USERS = 100_000
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3001
DEFAULT_MAX_NAMESPACES = 1000


@dataclass(frozen=True)
class Config:
    """How a fakeauth server runs. Durations are seconds; ``now=None`` means the real time."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    users: Path | None = None
    # The catalogue file; None is the bundled one.
    catalog: Path | None = None
    now: float | None = None
    frozen: bool = False
    access_ttl: float = DEFAULT_ACCESS_TTL
    refresh_ttl: float = DEFAULT_REFRESH_TTL
    access_secret: str = field(default=DEFAULT_ACCESS_SECRET, repr=False)
    refresh_secret: str = field(default=DEFAULT_REFRESH_SECRET, repr=False)
    # Real seconds added before every GraphQL answer (for loading states), not clock time.
    latency: float = 0.0
    # The test control API under /__fakeauth/.
    control: bool = True
    # Required in X-Fakeauth-Control-Token on /__fakeauth/ paths when set.
    control_token: str | None = field(default=None, repr=False)
    # Lets a non-loopback server run its control API without a token.
    control_open: bool = False
    # One line per request on stderr: clock time, namespace, operation, user, outcome, reason.
    log_requests: bool = False
    # The most users it holds; adding one more is refused.
    max_users: int = DEFAULT_MAX_USERS
    # Host names it answers to besides loopback ones and its own host ("*": any).
    allowed_hosts: tuple[str, ...] = ()
    # Each refresh token exchanged once; off, as the real service keeps no state.
    refresh_rotation: bool = False
    # Named namespaces that may exist at once, besides the default one.
    max_namespaces: int = DEFAULT_MAX_NAMESPACES

    def __post_init__(self) -> None:
        for name in ("access_ttl", "refresh_ttl"):
            ttl = getattr(self, name)
            if not 0 < ttl <= MAX_TTL:
                raise ValueError(f"{name} must be positive and at most 1000 years, not {ttl!r}")
        if self.latency < 0:
            raise ValueError(f"latency must not be negative, not {self.latency!r}")
        if not self.access_secret or not self.refresh_secret:
            raise ValueError("secrets must not be empty")
        if self.access_secret == self.refresh_secret:
            raise ValueError("the access and refresh secrets must differ")
        if (
            isinstance(self.max_users, bool)
            or not isinstance(self.max_users, int)
            or self.max_users < 1
        ):
            raise ValueError(f"max_users must be a positive integer, not {self.max_users!r}")
        if re.fullmatch(r"[0-9.]+", self.host) and not _is_ip(self.host):
            raise ValueError(f"host {self.host!r} is not a valid IP address")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be 0 to 65535, not {self.port}")
        if isinstance(self.max_namespaces, bool) or self.max_namespaces < 0:
            raise ValueError(f"max_namespaces must be 0 or more, not {self.max_namespaces!r}")
        if self.control_token is not None and not self.control_token.strip():
            raise ValueError("control_token must not be empty; leave it out to go without one")

    @classmethod
    def build(cls, **settings: Any) -> Config:
        """A Config from loose values: durations as '20d', instants as ISO 8601, paths as str."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise TypeError(f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
        return replace(cls(), **_normalised(settings))

    def with_changes(self, **settings: Any) -> Config:
        return replace(self, **_normalised(settings))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _normalised(settings: dict[str, Any]) -> dict[str, Any]:
    # None means "the default", so a CLI flag left out changes nothing.
    values = {key: value for key, value in settings.items() if value is not None}
    for name in ("access_ttl", "refresh_ttl", "latency"):
        if name in values:
            values[name] = parse_duration(values[name])
    if "now" in values:
        values["now"] = parse_instant(values["now"])
    if "users" in values:
        values["users"] = Path(values["users"])
    if isinstance(values.get("allowed_hosts"), str):
        values["allowed_hosts"] = tuple(
            name.strip() for name in values["allowed_hosts"].split(",") if name.strip()
        )
    if "catalog" in values:
        values["catalog"] = Path(values["catalog"])
    return values
