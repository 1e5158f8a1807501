"""The catalogue's REST handlers under /api/v1, by operation name, for ``rest.HANDLERS``.

Bodies and query strings go through REST's implicit conversion first ("10" is 10,
unknown fields dropped); path ids through Nest's ParseIntPipe, before anything else.
Lookups and changes the database refuses answer as the real service's TypeORM
exception filter does: HTTP 400 ``{"path", "timestamp", "name", "message"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from fakeauth.core.accounts import parse_id
from fakeauth.core.catalog import Category, Product
from fakeauth.core.catalog_rules import Catalog, rest_input
from fakeauth.core.fake import FakeAuth
from fakeauth.web.bodies import json_body
from fakeauth.web.urls import public_base

RestHandler = Callable[[FakeAuth, web.Request, bytes], Any]
_R = TypeVar("_R", Product, Category)


def _body(request: web.Request, raw: bytes) -> dict[str, Any]:
    return rest_input(json_body(request, raw))


def _path_id(request: web.Request) -> int:
    return parse_id(request.match_info["id"])


def _found(
    fake: FakeAuth,
    request: web.Request,
    by_id: Callable[[Catalog, int], _R],
    by_slug: Callable[[Catalog, str], _R],
) -> _R:
    slug = request.match_info.get("slug")
    if slug is not None:
        return by_slug(fake.catalog, slug)
    return by_id(fake.catalog, _path_id(request))


def _product(fake: FakeAuth, request: web.Request) -> Product:
    return _found(fake, request, Catalog.product, Catalog.product_by_slug)


def products(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _listed(request, fake.catalog.products(rest_input(request.query)))


def product(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _product(fake, request).to_json(public_base(request))


def related(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _listed(request, fake.catalog.related(_product(fake, request)))


def categories(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _listed(request, fake.catalog.categories(rest_input(request.query)))


def category(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    found = _found(fake, request, Catalog.category, Catalog.category_by_slug)
    return found.to_json(public_base(request))


def category_products(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    category_id = _path_id(request)
    products = fake.catalog.category_products(category_id, rest_input(request.query))
    return _listed(request, products)


# Products and categories are created, changed and deleted alike, by their Catalog methods.


def _adding(add: Callable[[Catalog, dict[str, Any]], Product | Category]) -> RestHandler:
    def handle(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
        return add(fake.catalog, _body(request, raw)).to_json(public_base(request))

    return handle


def _updating(update: Callable[[Catalog, int, dict[str, Any]], Product | Category]) -> RestHandler:
    def handle(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
        record_id = _path_id(request)  # ParseIntPipe answers before the body is read
        return update(fake.catalog, record_id, _body(request, raw)).to_json(public_base(request))

    return handle


def _deleting(delete: Callable[[Catalog, int], bool]) -> RestHandler:
    def handle(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
        return delete(fake.catalog, _path_id(request))

    return handle


# The catalogue's handlers by operation name (see the operations table).
CATALOG_HANDLERS: dict[str, RestHandler] = {
    name: handle
    for name, handle in {
        "products": products,
        "product": product,
        "relatedProducts": related,
        "addProduct": _adding(Catalog.add_product),
        "updateProduct": _updating(Catalog.update_product),
        "deleteProduct": _deleting(Catalog.delete_product),
        "categories": categories,
        "category": category,
        "categoryProducts": category_products,
        "addCategory": _adding(Catalog.add_category),
        "updateCategory": _updating(Catalog.update_category),
        "deleteCategory": _deleting(Catalog.delete_category),
    }.items()
}


def _listed(request: web.Request, records: list[Product] | list[Category]) -> list[Any]:
    base = public_base(request)
    return [record.to_json(base) for record in records]
