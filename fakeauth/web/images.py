"""GET /images/...: the catalogue's placeholder images, drawn by fakeauth itself, offline.

``/images/products/7-1.svg`` is product 7's first image, ``/images/categories/2.svg``
category 2's. A product or category changed or deleted since loading is drawn as it is
now, or else as it was loaded; any other path is Nest's 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from aiohttp import web

from fakeauth.core.catalog import CatalogStore, Category, Product
from fakeauth.core.placeholders import placeholder_svg
from fakeauth.web.responses import nest_error
from fakeauth.web.state import fake_of

IMAGES_PATH = "/images"
_PRODUCT = re.compile(r"([1-9][0-9]{0,15})-([1-9][0-9]{0,2})\.svg")
_CATEGORY = re.compile(r"([1-9][0-9]{0,15})\.svg")
_R = TypeVar("_R", Product, Category)


def image_routes() -> list[web.RouteDef]:
    async def product_image(request: web.Request) -> web.Response:
        found = _drawn(request, _PRODUCT, CatalogStore.product, CatalogStore.seed_product)
        if found is None:
            return _missing(request)
        product, match = found
        caption = f"{product.category.name} · image {match[2]}"
        return _svg(placeholder_svg(product.title, caption, product.category.id, int(match[2])))

    async def category_image(request: web.Request) -> web.Response:
        found = _drawn(request, _CATEGORY, CatalogStore.category, CatalogStore.seed_category)
        if found is None:
            return _missing(request)
        category, _ = found
        return _svg(placeholder_svg(category.name, f"/{category.slug}", category.id))

    return [
        web.get(IMAGES_PATH + "/products/{name}", product_image),
        web.get(IMAGES_PATH + "/categories/{name}", category_image),
    ]


def _drawn(
    request: web.Request,
    name: re.Pattern[str],
    now: Callable[[CatalogStore, int], _R | None],
    loaded: Callable[[CatalogStore, int], _R | None],
) -> tuple[_R, re.Match[str]] | None:
    """The record an image name is of, as it is now or else as it was loaded, and the
    name's match; None when the name is not such a name or there is no such record."""
    match = name.fullmatch(request.match_info["name"])
    if match is None:
        return None
    record_id = int(match[1])
    store = fake_of(request).catalog_store
    record = now(store, record_id) or loaded(store, record_id)
    return None if record is None else (record, match)


def _svg(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="image/svg+xml")


def _missing(request: web.Request) -> web.Response:
    return nest_error(404, f"Cannot GET {request.path}")
