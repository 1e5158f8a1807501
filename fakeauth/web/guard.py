"""Who may use the control API (paths under /__fakeauth/).

On loopback anyone on the machine may, as with any local test server. Beyond it,
fakeauth's public secrets and clock controls would be open to the network, so a
token is required unless the user opened the API on purpose.
"""

from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from fakeauth.core.config import Config
from fakeauth.web.paths import CONTROL_PREFIX
from fakeauth.web.responses import nest_error
from fakeauth.web.routes import route_path, unprefixed

TOKEN_HEADER = "X-Fakeauth-Control-Token"


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1; a wildcard such as 0.0.0.0 is not."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve beyond this machine


def startup_problem(config: Config) -> str | None:
    """Why `fakeauth serve` must not start with this config, or None."""
    if (
        not config.control
        or is_loopback(config.host)
        or config.control_token is not None
        or config.control_open
    ):
        return None
    return (
        f"--host {config.host} is not a loopback address, so the control API would be open"
        " to the network: give --control-token TOKEN (clients send it as"
        f" {TOKEN_HEADER}), --control-open, or --no-control."
    )


def exposure_warning(config: Config) -> str | None:
    """A warning for stderr when fakeauth listens beyond this machine."""
    if is_loopback(config.host):
        return None
    return (
        f"warning: fakeauth listens on {config.host}, beyond this machine. Its token"
        " secrets and passwords are public: never let real users or real data reach it."
    )


def control_guard(config: Config) -> Middleware:
    """Middleware that checks the control token on /__fakeauth paths."""
    expected = None if config.control_token is None else _bytes(config.control_token)
    closed = expected is None and not config.control_open and not is_loopback(config.host)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not is_control(request):
            return await handler(request)
        if expected is not None:
            given = _bytes(request.headers.get(TOKEN_HEADER, ""))
            if not hmac.compare_digest(given, expected):
                return nest_error(
                    401,
                    f"Missing or wrong {TOKEN_HEADER} header: send the token"
                    " fakeauth was started with (--control-token).",
                )
        elif closed:
            return nest_error(
                403,
                f"The control API is closed: fakeauth listens on {config.host} without"
                " a control token. Restart it with --control-token TOKEN or --control-open.",
            )
        return await handler(request)

    return guard


def is_control(request: web.Request) -> bool:
    """True for a request to the control API, inside a namespace or not.

    Judged by the path and by the route it matched, so that no spelling of the
    path (an encoded slash in a namespace name, say) gets past the guard.
    """
    return _under_control(unprefixed(request.rel_url.path)) or _under_control(route_path(request))


def _under_control(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
