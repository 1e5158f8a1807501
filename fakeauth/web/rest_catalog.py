"""The catalogue's REST handlers under /api/v1, by operation name, for ``rest.HANDLERS``.

Bodies and query strings go through REST's implicit conversion first ("10" is 10,
unknown fields dropped); path ids through Nest's ParseIntPipe, before anything else.
Lookups and changes the database refuses answer as the real service's TypeORM
exception filter does: HTTP 400 ``{"path", "timestamp", "name", "message"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from fakeauth.core.accounts import parse_id
from fakeauth.core.catalog import Category, Product
from fakeauth.core.catalog_rules import CatalogError, rest_input
from fakeauth.core.clock import format_instant
from fakeauth.core.errors import ApiError
from fakeauth.core.fake import FakeAuth
from fakeauth.web.bodies import json_body
from fakeauth.web.urls import public_base

RestHandler = Callable[[FakeAuth, web.Request, bytes], Any]


class _TypeOrmAnswer(ApiError):
    """A CatalogError as REST answers it: TypeORM's body, always with HTTP 400."""

    def __init__(self, error: CatalogError, body: dict[str, Any]) -> None:
        super().__init__(error.message, error.code, body)

    @property
    def status(self) -> int:
        return 400


def _shaped(handle: RestHandler) -> RestHandler:
    def shaped(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
        try:
            return handle(fake, request, raw)
        except CatalogError as error:
            now = format_instant(fake.clock.timestamp())
            raise _TypeOrmAnswer(error, error.rest_body(request.raw_path, now)) from None

    return shaped


def _body(request: web.Request, raw: bytes) -> dict[str, Any]:
    return rest_input(json_body(request, raw))


def _found(fake: FakeAuth, request: web.Request) -> Product:
    slug = request.match_info.get("slug")
    if slug is not None:
        return fake.catalog.product_by_slug(slug)
    return fake.catalog.product(parse_id(request.match_info["id"]))


def products(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _listed(request, fake.catalog.products(rest_input(request.query)))


def product(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _found(fake, request).to_json(public_base(request))


def related(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _listed(request, fake.catalog.related(_found(fake, request)))


def add_product(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.catalog.add_product(_body(request, raw)).to_json(public_base(request))


def update_product(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    product_id = parse_id(request.match_info["id"])
    product = fake.catalog.update_product(product_id, _body(request, raw))
    return product.to_json(public_base(request))


def delete_product(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.catalog.delete_product(parse_id(request.match_info["id"]))


def categories(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return _listed(request, fake.catalog.categories(rest_input(request.query)))


def category(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    slug = request.match_info.get("slug")
    if slug is not None:
        category = fake.catalog.category_by_slug(slug)
    else:
        category = fake.catalog.category(parse_id(request.match_info["id"]))
    return category.to_json(public_base(request))


def category_products(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    category_id = parse_id(request.match_info["id"])
    products = fake.catalog.category_products(category_id, rest_input(request.query))
    return _listed(request, products)


def add_category(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.catalog.add_category(_body(request, raw)).to_json(public_base(request))


def update_category(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    category_id = parse_id(request.match_info["id"])
    category = fake.catalog.update_category(category_id, _body(request, raw))
    return category.to_json(public_base(request))


def delete_category(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.catalog.delete_category(parse_id(request.match_info["id"]))


# The catalogue's handlers by operation name (see the operations table).
CATALOG_HANDLERS: dict[str, RestHandler] = {
    name: _shaped(handle)
    for name, handle in {
        "products": products,
        "product": product,
        "relatedProducts": related,
        "addProduct": add_product,
        "updateProduct": update_product,
        "deleteProduct": delete_product,
        "categories": categories,
        "category": category,
        "categoryProducts": category_products,
        "addCategory": add_category,
        "updateCategory": update_category,
        "deleteCategory": delete_category,
    }.items()
}


def _listed(request: web.Request, records: list[Product] | list[Category]) -> list[Any]:
    base = public_base(request)
    return [record.to_json(base) for record in records]
