"""GET /images/...: the catalogue's placeholder images, drawn by fakeauth itself, offline.

``/images/products/7-1.svg`` is product 7's first image, ``/images/categories/2.svg``
category 2's. A product or category changed or deleted since loading is drawn as it is
now, or else as it was loaded; any other path is Nest's 404.
"""

from __future__ import annotations

import re

from aiohttp import web

from fakeauth.core.catalog import Category, Product
from fakeauth.core.placeholders import placeholder_svg
from fakeauth.web.responses import nest_error
from fakeauth.web.state import fake_of

IMAGES_PATH = "/images"
_PRODUCT = re.compile(r"([1-9][0-9]{0,15})-([1-9][0-9]{0,2})\.svg")
_CATEGORY = re.compile(r"([1-9][0-9]{0,15})\.svg")


def image_routes() -> list[web.RouteDef]:
    async def product_image(request: web.Request) -> web.Response:
        match = _PRODUCT.fullmatch(request.match_info["name"])
        product: Product | None = None
        if match is not None:
            product_id = int(match[1])
            store = fake_of(request).catalog_store
            product = store.product(product_id) or store.seed_product(product_id)
        if product is None or match is None:
            return _missing(request)
        caption = f"{product.category.name} · image {match[2]}"
        return _svg(placeholder_svg(product.title, caption, product.category.id, int(match[2])))

    async def category_image(request: web.Request) -> web.Response:
        match = _CATEGORY.fullmatch(request.match_info["name"])
        category: Category | None = None
        if match is not None:
            category_id = int(match[1])
            store = fake_of(request).catalog_store
            category = store.category(category_id) or store.seed_category(category_id)
        if category is None:
            return _missing(request)
        return _svg(placeholder_svg(category.name, f"/{category.slug}", category.id))

    return [
        web.get(IMAGES_PATH + "/products/{name}", product_image),
        web.get(IMAGES_PATH + "/categories/{name}", category_image),
    ]


def _svg(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="image/svg+xml")


def _missing(request: web.Request) -> web.Response:
    return nest_error(404, f"Cannot GET {request.path}")
