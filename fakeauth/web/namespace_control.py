"""The namespaces themselves, under /__fakeauth/namespaces: list, create or replace, delete.

These routes are the server's, not a namespace's, so they are not doubled under
``/ns/{name}``; every other control route is.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from fakeauth.core.durations import format_duration
from fakeauth.core.fake import FakeAuth
from fakeauth.core.namespaces import (
    DEFAULT_NAME,
    BadNamespaceName,
    DefaultNamespace,
    TooManyNamespaces,
    check_name,
)
from fakeauth.web.control import Problem, _clock_json, _object
from fakeauth.web.responses import json_response
from fakeauth.web.state import NAMESPACES

routes = web.RouteTableDef()


def describe(name: str, fake: FakeAuth) -> dict[str, Any]:
    """A namespace as the control API shows it."""
    config = fake.config
    return {
        "name": name,
        "prefix": "" if name == DEFAULT_NAME else f"/ns/{name}",
        "users": len(fake.store),
        "clock": _clock_json(fake.clock),
        "requests": len(fake.requests),
        "access_ttl": format_duration(config.access_ttl),
        "refresh_ttl": format_duration(config.refresh_ttl),
        "refresh_rotation": config.refresh_rotation,
    }


@routes.get("/namespaces", allow_head=False)
async def list_namespaces(request: web.Request) -> web.Response:
    return json_response([describe(name, fake) for name, fake in request.app[NAMESPACES]])


@routes.put("/namespaces/{name}")
async def put_namespace(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    settings = await _object(request)
    try:
        fake, created = request.app[NAMESPACES].put(name, settings)
    except TooManyNamespaces as error:
        raise Problem(429, str(error)) from None
    except DefaultNamespace as error:
        raise Problem(409, str(error)) from None
    except (TypeError, ValueError) as error:
        raise Problem(400, str(error)) from None
    return json_response(describe(name, fake), 201 if created else 200)


@routes.delete("/namespaces/{name}")
async def delete_namespace(request: web.Request) -> web.Response:
    # Deleting one that does not exist is no error, so a teardown may always delete.
    try:
        request.app[NAMESPACES].delete(check_name(request.match_info["name"]))
    except DefaultNamespace as error:
        raise Problem(409, str(error)) from None
    except BadNamespaceName as error:
        raise Problem(400, str(error)) from None
    return web.Response(status=204)
