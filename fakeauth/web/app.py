"""The aiohttp application for one FakeAuth: GraphQL, REST, control API, pages, health."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from fakeauth._version import __version__
from fakeauth.core.config import Config
from fakeauth.core.fake import FakeAuth
from fakeauth.gql.engine import Engine
from fakeauth.gql.schema import schema
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
from fakeauth.web.start_page import start_page
from fakeauth.web.state import FAKE


def create_app(config: Config | FakeAuth | None = None, **settings: Any) -> web.Application:
    """An aiohttp Application serving fakeauth.

    Give a Config, a FakeAuth to share its state, or settings as keywords
    (``create_app(now="2023-01-03T20:44:43Z", frozen=True)``).
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
    graphql = graphql_handler(Engine(schema._schema))
    app.router.add_route("GET", GRAPHQL_PATH, graphql)
    app.router.add_route("POST", GRAPHQL_PATH, graphql)
    app.router.add_get(HEALTH_PATH, _health)
    app.router.add_routes(rest_routes())
    app.router.add_routes(image_routes())
    app.router.add_static(ASSETS_PATH, STATIC_DIR)
    app.router.add_get("/", start_page)
    if fake.config.control:
        add_control_routes(app)
        add_catalog_control_routes(app)
    return app


async def _health(request: web.Request) -> web.Response:
    return json_response({"status": "ok", "version": __version__})
