"""The aiohttp application: GraphQL, health, CORS, for one FakeAuth."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from fakeauth import __version__
from fakeauth.config import Config
from fakeauth.control_guard import control_guard
from fakeauth.cors import cors_middleware
from fakeauth.engine import Engine
from fakeauth.graphql_view import GraphQLView, json_response
from fakeauth.http_errors import json_errors_middleware
from fakeauth.ide import ASSETS_PATH, STATIC_DIR
from fakeauth.limits import MAX_BODY_BYTES
from fakeauth.rest import RestApi
from fakeauth.schema import schema
from fakeauth.service import FakeAuth
from fakeauth.start_page import StartPage

FAKE = web.AppKey("fakeauth", FakeAuth)


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
        middlewares=[cors_middleware, json_errors_middleware, control_guard(fake.config)],
        client_max_size=MAX_BODY_BYTES,
    )
    app[FAKE] = fake
    view = GraphQLView(fake, Engine(schema._schema))
    app.router.add_route("GET", "/graphql", view.handle)
    app.router.add_route("POST", "/graphql", view.handle)
    app.router.add_get("/health", _health)
    app.router.add_routes(RestApi(fake).routes())
    app.router.add_static(ASSETS_PATH, STATIC_DIR)
    app.router.add_get("/", StartPage(fake).handle)
    if fake.config.control:
        from fakeauth.control import add_control_routes

        add_control_routes(app, fake)
    return app


async def _health(request: web.Request) -> web.Response:
    return json_response({"status": "ok", "version": __version__})
