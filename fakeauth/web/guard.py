"""Who may reach fakeauth, and who may use its control API (paths under /__fakeauth/).

Every request must name an allowed host in its Host header: a loopback name, the
``--host`` it listens on, or one of ``--allowed-hosts``. That stops DNS rebinding,
where a web page's own name is pointed at 127.0.0.1.

The control API also refuses requests from web pages of other origins (a page the
developer happens to visit must not read the users or move the clock) and bodies
that are not JSON (a plain form can post text/plain without a preflight). On
loopback anyone on the machine may use it, as with any local test server; beyond
it, a token is required unless the user opened the API on purpose.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from fakeauth.core.config import Config
from fakeauth.web.responses import nest_error
from fakeauth.web.routes import is_control

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


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port: ``[::1]:3001`` is ``::1``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Hosts:
    """The host names a server answers to, on any port (a container may map it)."""

    def __init__(self, config: Config) -> None:
        names = {name.strip().lower().strip("[]") for name in config.allowed_hosts}
        if config.host not in ("0.0.0.0", "::", ""):
            names.add(config.host.lower().strip("[]"))
        self.any = "*" in names
        self.names = frozenset(names - {"*"})

    def allows(self, name: str) -> bool:
        return self.any or is_loopback(name) or name in self.names

    def allows_origin(self, origin: str, host: str) -> bool:
        """An Origin header of fakeauth's own pages, or of a page on an allowed host."""
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        own = parts.netloc.lower() == host.lower()
        return own or is_loopback(parts.hostname) or parts.hostname in self.names


def host_guard(config: Config) -> Middleware:
    """Middleware that answers only requests whose Host header names an allowed host."""
    hosts = Hosts(config)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        given = request.headers.get("Host")
        if given is not None and not hosts.allows(host_name(given)):
            shown = given if len(given) <= 100 else given[:97] + "..."
            return nest_error(
                421,
                f"Host {shown!r} is not one fakeauth answers to: it answers to loopback"
                " names and its --host. To reach it by this name (a container or CI"
                f" service name), start it with --allowed-hosts {host_name(shown)}"
                " (FAKEAUTH_ALLOWED_HOSTS).",
            )
        return await handler(request)

    return guard


def control_guard(config: Config) -> Middleware:
    """Middleware that guards /__fakeauth paths: origin, content type and control token."""
    hosts = Hosts(config)
    expected = None if config.control_token is None else _bytes(config.control_token)
    closed = expected is None and not config.control_open and not is_loopback(config.host)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not is_control(request):
            return await handler(request)
        origin = request.headers.get("Origin")
        if origin is not None and not hosts.allows_origin(origin, request.host):
            return nest_error(
                403,
                f"Origin {origin[:100]!r} may not use the control API: only fakeauth's own"
                " pages and pages on loopback or --allowed-hosts may.",
            )
        if request.body_exists and request.content_type != "application/json":
            return nest_error(
                415,
                "The control API takes JSON bodies only: send Content-Type: application/json.",
            )
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


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
