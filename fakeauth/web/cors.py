"""CORS: as the real service sends it on its APIs (any origin, no credentials), and on the
control API only for origins allowed to use it."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from fakeauth.core.config import Config
from fakeauth.web.guard import Hosts
from fakeauth.web.responses import nest_error
from fakeauth.web.routes import is_control

ALLOWED_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE"


def cors_middleware(config: Config) -> Middleware:
    hosts = Hosts(config)

    def allowed_origin(request: web.Request) -> str | None:
        if not is_control(request):
            return "*"
        origin = request.headers.get("Origin")
        # Echoed, never "*": a page elsewhere must not read the users or their passwords.
        return origin if origin and hosts.allows_origin(origin, request.host) else None

    @web.middleware
    async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
        allow = allowed_origin(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            if allow is None:
                return nest_error(403, "This origin may not use the control API.")
            # A browser's preflight: allow whatever headers it asks for, like Nest's default.
            return web.Response(
                status=204,
                headers={
                    "Access-Control-Allow-Origin": allow,
                    "Access-Control-Allow-Methods": ALLOWED_METHODS,
                    "Access-Control-Allow-Headers": request.headers.get(
                        "Access-Control-Request-Headers", "*"
                    ),
                    "Access-Control-Max-Age": "86400",
                    "Vary": "Origin, Access-Control-Request-Headers",
                },
            )
        try:
            response = await handler(request)
        except web.HTTPException as error:
            if allow is not None:
                error.headers["Access-Control-Allow-Origin"] = allow
            raise
        if allow is not None:
            response.headers["Access-Control-Allow-Origin"] = allow
        if allow != "*":
            response.headers["Vary"] = "Origin"
        return response

    return cors
