"""The aiohttp application for one FakeAuth: GraphQL, REST, control API, pages, health."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from fakeauth._version import __version__
from fakeauth.core.config import Config
from fakeauth.core.fake import FakeAuth
from fakeauth.core.namespaces import Namespaces
from fakeauth.gql.engine import Engine
from fakeauth.gql.schema import schema
from fakeauth.web import control_tokens, namespace_control, openapi
from fakeauth.web.control import add_control_routes
from fakeauth.web.control_catalog import add_catalog_control_routes
from fakeauth.web.cors import cors_middleware
from fakeauth.web.graphql_view import graphql_handler
from fakeauth.web.guard import control_guard, host_guard
from fakeauth.web.http_errors import json_errors_middleware
from fakeauth.web.ide import STATIC_DIR
from fakeauth.web.images import image_routes
from fakeauth.web.limits import MAX_BODY_BYTES
from fakeauth.web.paths import ASSETS_PATH, GRAPHQL_PATH, HEALTH_PATH
from fakeauth.web.responses import json_response
from fakeauth.web.rest import rest_routes
from fakeauth.web.routes import NAMESPACE_PREFIX, add_everywhere
from fakeauth.web.start_page import start_page
from fakeauth.web.state import FAKE, NAMESPACES, fake_of


def create_app(
    config: Config | FakeAuth | None = None,
    *,
    namespaces: Namespaces | None = None,
    **settings: Any,
) -> web.Application:
    """An aiohttp Application serving fakeauth.

    Give a Config, a FakeAuth to share its state, or settings as keywords
    (``create_app(now="2023-01-03T20:44:43Z", frozen=True)``). The FakeAuth is the
    default namespace; ``namespaces`` (``Namespaces(fake)``) to share the named ones,
    which the app reads as ``app[NAMESPACES]``.
    """
    if isinstance(config, FakeAuth):
        fake = config
    else:
        fake = FakeAuth((config or Config()).with_changes(**settings))
    app = web.Application(
        middlewares=[
            # Outermost first: a request for a host not allowed gets no further.
            host_guard(fake.config),
            cors_middleware(fake.config),
            json_errors_middleware,
            control_guard(fake.config),
        ],
        client_max_size=MAX_BODY_BYTES,
    )
    app[FAKE] = fake
    app[NAMESPACES] = Namespaces(fake) if namespaces is None else namespaces
    graphql = graphql_handler(Engine(schema._schema))
    router = app.router
    add_everywhere(router, "GET", GRAPHQL_PATH, graphql)
    add_everywhere(router, "POST", GRAPHQL_PATH, graphql)
    add_everywhere(router, "GET", HEALTH_PATH, _health, head=True)
    for route in [*rest_routes(), *image_routes()]:
        add_everywhere(router, route.method, route.path, route.handler)
    router.add_static(ASSETS_PATH, STATIC_DIR)
    router.add_get(NAMESPACE_PREFIX + ASSETS_PATH + "/{file:.+}", _namespaced_asset)
    add_everywhere(router, "GET", "/", start_page, head=True)
    if fake.config.control:
        add_control_routes(app)
        add_control_routes(app, namespace_control.routes, everywhere=False)
        add_control_routes(app, control_tokens.routes)
        add_control_routes(app, openapi.routes, everywhere=False)
        add_catalog_control_routes(app)
    return app


async def _health(request: web.Request) -> web.Response:
    fake_of(request)  # a bad or conflicting namespace name is a 400 here too
    return json_response({"status": "ok", "version": __version__})


async def _namespaced_asset(request: web.Request) -> web.StreamResponse:
    # The static route serves the plain path; aiohttp's static routes take no variables.
    fake_of(request)
    root = STATIC_DIR.resolve()
    path = (root / request.match_info["file"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path)
