"""GET and PUT /__fakeauth/catalog: the whole catalogue, in the catalogue file's shape."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from fakeauth.core import json_values
from fakeauth.core.catalog import CatalogStore
from fakeauth.core.catalog_file import TOP_KEYS, RecordError, build_seed
from fakeauth.web.bodies import read_body
from fakeauth.web.control import Problem
from fakeauth.web.paths import CONTROL_PREFIX
from fakeauth.web.responses import json_response
from fakeauth.web.routes import add_everywhere
from fakeauth.web.state import fake_of

CATALOG_PATH = CONTROL_PREFIX + "/catalog"


def add_catalog_control_routes(app: web.Application) -> None:
    def listing(store: CatalogStore) -> dict[str, Any]:
        # Image paths unresolved, so that what GET gives, PUT takes back unchanged.
        return {
            "categories": [category.to_file() for category in store.categories()],
            "products": [product.to_file() for product in store],
        }

    async def get_catalog(request: web.Request) -> web.Response:
        return json_response(listing(fake_of(request).catalog_store))

    async def put_catalog(request: web.Request) -> web.Response:
        try:
            body = _catalog_body(await read_body(request))
            seed = build_seed(body.get("categories", []), body.get("products", []))
        except Problem as problem:
            return problem.response()
        except RecordError as error:
            where = "categories" if error.kind == "category" else "products"
            field = "" if error.field is None else f".{error.field}"
            return Problem(400, f"{where}[{error.index}]{field}: {error}").response()
        store = fake_of(request).catalog_store
        store.replace(seed)
        return json_response(listing(store))

    add_everywhere(app.router, "GET", CATALOG_PATH, get_catalog)
    add_everywhere(app.router, "PUT", CATALOG_PATH, put_catalog)


def _catalog_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json_values.loads(raw) if raw.strip() else None
    except json_values.JsonError as error:
        raise Problem(400, f"the body is not JSON ({error}); send a JSON object") from None
    if not isinstance(body, dict):
        raise Problem(
            400, 'send a JSON object: {"categories": [...], "products": [...]}, as GET gives it'
        )
    unknown = sorted(set(body) - set(TOP_KEYS))
    if unknown:
        raise Problem(400, f"unknown key {unknown[0]!r} (known: categories, products)")
    for key in TOP_KEYS:
        if not isinstance(body.get(key, []), list):
            raise Problem(400, f"{key} must be a list")
    return body
