"""Every route twice: as it is, and under ``/ns/{namespace}`` for a namespace of its own.

aiohttp picks the route before any middleware runs, so a prefix cannot be stripped on
the way in; registering each route under the prefix too keeps one handler per route,
and ``state.fake_of`` reads the name from the match.
"""

from __future__ import annotations

import re

from aiohttp import web
from aiohttp.typedefs import Handler

from fakeauth.web.paths import CONTROL_PREFIX

NAMESPACE_PREFIX = "/ns/{namespace}"
_PREFIXED = re.compile(r"/ns/([^/]+)(/.*)?")


def add_everywhere(
    router: web.UrlDispatcher, method: str, path: str, handler: Handler, *, head: bool = False
) -> None:
    """Add a route as it is and under the namespace prefix (``head``: HEAD as well as GET)."""
    for where in (path, NAMESPACE_PREFIX + path):
        router.add_route(method, where, handler)
        if head:
            router.add_route("HEAD", where, handler)


def split_namespace(path: str) -> tuple[str | None, str]:
    """The namespace named by a path's prefix (or None), and the path without it."""
    match = _PREFIXED.fullmatch(path)
    if match is None:
        return None, path
    return match[1], match[2] or "/"


def unprefixed(path: str) -> str:
    """The path as the namespace sees it: ``/ns/w3/graphql`` is ``/graphql``."""
    return split_namespace(path)[1]


def route_path(request: web.Request) -> str:
    """The path of the route a request matched, without the prefix: ``/graphql`` for
    ``/ns/w3/graphql``, however the name was spelled; the request's path when none matched."""
    resource = request.match_info.route.resource
    return unprefixed(request.path if resource is None else resource.canonical)


def is_control(request: web.Request) -> bool:
    """True for a request to the control API, inside a namespace or not.

    Judged by the path and by the route it matched, so that no spelling of the
    path (an encoded slash in a namespace name, say) gets past the guard.
    """
    return _under_control(unprefixed(request.rel_url.path)) or _under_control(route_path(request))


def _under_control(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")
