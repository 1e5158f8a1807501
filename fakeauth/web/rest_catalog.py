"""The catalogue's REST handlers under /api/v1, registered in ``RestApi.handlers``.

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
from fakeauth.web.urls import public_base

RestHandler = Callable[[web.Request, bytes], Any]
ReadBody = Callable[[bytes], dict[str, Any]]


class _TypeOrmAnswer(ApiError):
    """A CatalogError as REST answers it: TypeORM's body, always with HTTP 400."""

    def __init__(self, error: CatalogError, body: dict[str, Any]) -> None:
        super().__init__(error.message, error.code, body)

    @property
    def status(self) -> int:
        return 400


class CatalogRest:
    """The catalogue handlers for one FakeAuth, by operation name (see the operations table)."""

    def __init__(self, fake: FakeAuth, read_body: ReadBody) -> None:
        self.fake = fake
        self.catalog = fake.catalog
        self._read_body = read_body
        handlers: dict[str, RestHandler] = {
            "products": self.products,
            "product": self.product,
            "relatedProducts": self.related,
            "addProduct": self.add_product,
            "updateProduct": self.update_product,
            "deleteProduct": self.delete_product,
            "categories": self.categories,
            "category": self.category,
            "categoryProducts": self.category_products,
            "addCategory": self.add_category,
            "updateCategory": self.update_category,
            "deleteCategory": self.delete_category,
        }
        self.handlers = {name: self._shaped(handle) for name, handle in handlers.items()}

    def _shaped(self, handle: RestHandler) -> RestHandler:
        def shaped(request: web.Request, raw: bytes) -> Any:
            try:
                return handle(request, raw)
            except CatalogError as error:
                now = format_instant(self.fake.clock.timestamp())
                raise _TypeOrmAnswer(error, error.rest_body(request.raw_path, now)) from None

        return shaped

    def _body(self, raw: bytes) -> dict[str, Any]:
        return rest_input(self._read_body(raw))

    def _found(self, request: web.Request) -> Product:
        slug = request.match_info.get("slug")
        if slug is not None:
            return self.catalog.product_by_slug(slug)
        return self.catalog.product(parse_id(request.match_info["id"]))

    def products(self, request: web.Request, raw: bytes) -> Any:
        return _listed(request, self.catalog.products(rest_input(request.query)))

    def product(self, request: web.Request, raw: bytes) -> Any:
        return self._found(request).to_json(public_base(request))

    def related(self, request: web.Request, raw: bytes) -> Any:
        return _listed(request, self.catalog.related(self._found(request)))

    def add_product(self, request: web.Request, raw: bytes) -> Any:
        return self.catalog.add_product(self._body(raw)).to_json(public_base(request))

    def update_product(self, request: web.Request, raw: bytes) -> Any:
        product_id = parse_id(request.match_info["id"])
        product = self.catalog.update_product(product_id, self._body(raw))
        return product.to_json(public_base(request))

    def delete_product(self, request: web.Request, raw: bytes) -> Any:
        return self.catalog.delete_product(parse_id(request.match_info["id"]))

    def categories(self, request: web.Request, raw: bytes) -> Any:
        return _listed(request, self.catalog.categories(rest_input(request.query)))

    def category(self, request: web.Request, raw: bytes) -> Any:
        slug = request.match_info.get("slug")
        if slug is not None:
            category = self.catalog.category_by_slug(slug)
        else:
            category = self.catalog.category(parse_id(request.match_info["id"]))
        return category.to_json(public_base(request))

    def category_products(self, request: web.Request, raw: bytes) -> Any:
        category_id = parse_id(request.match_info["id"])
        products = self.catalog.category_products(category_id, rest_input(request.query))
        return _listed(request, products)

    def add_category(self, request: web.Request, raw: bytes) -> Any:
        return self.catalog.add_category(self._body(raw)).to_json(public_base(request))

    def update_category(self, request: web.Request, raw: bytes) -> Any:
        category_id = parse_id(request.match_info["id"])
        category = self.catalog.update_category(category_id, self._body(raw))
        return category.to_json(public_base(request))

    def delete_category(self, request: web.Request, raw: bytes) -> Any:
        return self.catalog.delete_category(parse_id(request.match_info["id"]))


def _listed(request: web.Request, records: list[Product] | list[Category]) -> list[Any]:
    base = public_base(request)
    return [record.to_json(base) for record in records]
