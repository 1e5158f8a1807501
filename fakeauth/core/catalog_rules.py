"""The rules of the catalogue operations, shared by GraphQL and REST.

Input rules are the real service's DTOs as tables (class-validator's messages, in its
order); listing follows its ProductsService line by line, JavaScript truthiness
included: a filter given as 0 is no filter. Values may come typed (GraphQL) or
converted from JSON and query strings (REST, see ``rest_input``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from fakeauth.core import validation as v
from fakeauth.core.accounts import parse_id
from fakeauth.core.catalog import (
    CatalogStore,
    Category,
    InUse,
    Product,
    ProductQuery,
    Taken,
    slugify,
)
from fakeauth.core.clock import Clock
from fakeauth.core.errors import (
    DatabaseError,
    bad_request,
    bad_request_message,
    entity_not_found,
    not_found,
)

# CreateProductDto and CreateCategoryDto; each field's rules in the order of their messages.
PRODUCT_DTO: v.Dto = {
    "title": (v.NOT_EMPTY, v.IS_STRING),
    "price": (v.NOT_EMPTY, v.IS_POSITIVE),
    "description": (v.NOT_EMPTY, v.IS_STRING),
    "categoryId": (v.NOT_EMPTY, v.IS_NUMBER),
    "images": (v.array_min_size(1), v.NOT_EMPTY, v.EACH_URL, v.IS_ARRAY),
}
# UpdateProductDto: the same rules without IsNotEmpty, every field optional.
PRODUCT_CHANGES_DTO: v.Dto = {
    name: tuple(rule for rule in rules if rule is not v.NOT_EMPTY)
    for name, rules in PRODUCT_DTO.items()
}
CATEGORY_DTO: v.Dto = {"name": (v.NOT_EMPTY, v.IS_STRING), "image": (v.NOT_EMPTY, v.IS_URL)}
CATEGORY_CHANGES_DTO: v.Dto = {"name": (v.IS_STRING,), "image": (v.IS_URL,)}
# FilterProductsDto (price and price_max have no rule that ever acts).
FILTER_DTO: v.Dto = {
    "limit": (v.IS_NUMBER,),
    "offset": (v.IS_NUMBER,),
    "price_min": (v.min_value(0),),
    "title": (v.IS_STRING,),
    "categoryId": (v.IS_NUMBER,),
    "categorySlug": (v.IS_STRING,),
}
FILTER_FIELDS = (
    "limit",
    "offset",
    "price",
    "price_min",
    "price_max",
    "title",
    "categoryId",
    "categorySlug",
)
CATEGORIES_FILTER_DTO: v.Dto = {"limit": (v.IS_NUMBER,)}
# The DTO fields of each kind, for REST's implicit conversion.
_NUMBERS = ("limit", "offset", "price", "price_min", "price_max", "categoryId")
_STRINGS = ("title", "description", "name", "image", "categorySlug")


def rest_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """REST's body or query as the real ValidationPipe hands it on: known fields only,
    numbers and strings converted as JavaScript converts them ("10" is 10)."""
    converted = v.implicit_conversion(data, numbers=_NUMBERS, strings=_STRINGS)
    if "images" in data:
        converted["images"] = data["images"]
    return converted


# The catalogue's refusals are the database's, in TypeORM's words (see core/errors.py).
CatalogError = DatabaseError


def _missing(entity: str, criteria: dict[str, Any], what: str) -> CatalogError:
    plural = "products" if entity == "Product" else "categories"
    error = not_found(f"{entity} with {what} not found; list the {plural} to see the ones in use")
    return entity_not_found(error, entity, criteria)


def product_not_found(product_id: Any) -> CatalogError:
    return _missing(
        "Product", {"relations": ["category"], "where": {"id": product_id}}, f"id {product_id}"
    )


def product_slug_not_found(slug: str) -> CatalogError:
    criteria = {"relations": ["category"], "where": {"slug": slug}}
    return _missing("Product", criteria, f"slug {slug!r}")


def category_not_found(category_id: Any) -> CatalogError:
    return _missing("Category", {"id": category_id}, f"id {category_id}")


def category_slug_not_found(slug: str) -> CatalogError:
    return _missing("Category", {"where": {"slug": slug}}, f"slug {slug!r}")


def slug_taken(taken: Taken) -> CatalogError:
    source = "title" if taken.entity == "product" else "name"
    error = bad_request_message(
        f"The slug {taken.slug!r} is already used by {taken.entity} {taken.holder}; slugs are"
        f" unique, so choose another {source}"
    )
    detail = f"SqliteError: UNIQUE constraint failed: {taken.entity}.slug"
    return CatalogError(error, "QueryFailedError", detail, "SQLITE_CONSTRAINT_UNIQUE")


def category_in_use(in_use: InUse) -> CatalogError:
    error = bad_request_message(
        f"Category {in_use.category_id} still has {in_use.count} products; delete them or"
        " move them to another category first"
    )
    detail = "SqliteError: FOREIGN KEY constraint failed"
    return CatalogError(error, "QueryFailedError", detail, "SQLITE_CONSTRAINT_FOREIGNKEY")


def _truthy(value: Any) -> bool:
    """JavaScript's truthiness for the numbers and strings of a filter."""
    if value is None or value == "" or value == 0:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _whole(number: float) -> float:
    """A whole float as an int, so that it is written 12, not 12.0, as JavaScript does."""
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _check(data: Mapping[str, Any], dto: v.Dto, optional: Iterable[str] = ()) -> None:
    problems = v.problems(data, dto, optional=optional)
    if problems:
        raise bad_request(problems)


def _given(changes: Mapping[str, Any], dto: v.Dto) -> dict[str, Any]:
    """An update DTO's checked fields; absent and null ones are no change."""
    given = {key: value for key, value in changes.items() if value is not None}
    _check(given, dto, optional=dto)
    return given


_R = TypeVar("_R", Product, Category)
_K = TypeVar("_K")


def _found(record: _R | None, missing: Callable[[_K], CatalogError], key: _K) -> _R:
    """What a lookup found, else the error that names what was looked for."""
    if record is None:
        raise missing(key)
    return record


def _page(args: Mapping[str, Any]) -> tuple[int, int] | None:
    limit: Any = args.get("limit")
    offset: Any = args.get("offset")
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (limit, offset))
    if numbers and limit > 0 and offset >= 0 and math.isfinite(limit + offset):
        return int(offset), int(limit)
    return None


class Catalog:
    """The catalogue operations over a store, timestamped in whole seconds by the clock."""

    def __init__(self, store: CatalogStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def _now(self) -> float:
        # SQLite's CURRENT_TIMESTAMP has whole seconds.
        return float(math.floor(self.clock.timestamp()))

    def _renamed(self, given: Mapping[str, Any], name: str) -> dict[str, Any]:
        """An update's first fields: the time, and the name (or title) with its new slug."""
        fields: dict[str, Any] = {"updated_at": self._now()}
        if name in given:
            fields[name] = given[name]
            if given[name]:
                fields["slug"] = slugify(given[name])
        return fields

    # -- products

    def products(self, args: Mapping[str, Any]) -> list[Product]:
        """``products(...)``: FilterProductsDto's arguments by their real names."""
        return self.store.select(self.query(args))

    def query(self, args: Mapping[str, Any]) -> ProductQuery:
        _check(args, FILTER_DTO, optional=FILTER_DTO)
        price: Any = args.get("price")
        low: Any = args.get("price_min")
        high: Any = args.get("price_max")
        title, slug = args.get("title"), args.get("categorySlug")
        return ProductQuery(
            title=title if _truthy(title) else None,
            price=price if _truthy(price) and not _truthy(low) and not _truthy(high) else None,
            price_range=(low, high)
            if not _truthy(price) and _truthy(low) and _truthy(high)
            else None,
            category_id=args["categoryId"] if _truthy(args.get("categoryId")) else None,
            category_slug=slug if _truthy(slug) else None,
            page=_page(args),
        )

    def product(self, product_id: Any) -> Product:
        number = parse_id(product_id)
        return _found(self.store.product(number), product_not_found, number)

    def product_by_slug(self, slug: str) -> Product:
        return _found(self.store.product_by_slug(slug), product_slug_not_found, slug)

    def related(self, product: Product) -> list[Product]:
        """The other products of its category (unpaginated)."""
        return [p for p in self.store.in_category(product.category.id) if p.id != product.id]

    def add_product(self, data: Mapping[str, Any]) -> Product:
        _check(data, PRODUCT_DTO)
        category = self._category_for(data["categoryId"])
        now = self._now()
        try:
            return self.store.add_product(
                title=data["title"],
                slug=slugify(data["title"]),
                price=_whole(data["price"]),
                description=data["description"],
                category=category,
                images=tuple(data["images"]),
                creation_at=now,
                updated_at=now,
            )
        except Taken as taken:
            raise slug_taken(taken) from None

    def update_product(self, product_id: Any, changes: Mapping[str, Any]) -> Product:
        """Apply UpdateProductDto fields; absent or null ones stay as they are.

        Unlike the real service, ``images`` may be left out and ``categoryId`` moves
        the product (its evident intent).
        """
        given = _given(changes, PRODUCT_CHANGES_DTO)
        product = self.product(product_id)
        fields = self._renamed(given, "title")
        if "price" in given:
            fields["price"] = _whole(given["price"])
        if "description" in given:
            fields["description"] = given["description"]
        if "categoryId" in given:
            fields["category"] = self._category_for(given["categoryId"])
        if "images" in given:
            fields["images"] = tuple(given["images"])
        try:
            return self.store.update_product(product.id, **fields)
        except Taken as taken:
            raise slug_taken(taken) from None
        except KeyError:  # deleted meanwhile, by another thread
            raise product_not_found(product.id) from None

    def delete_product(self, product_id: Any) -> bool:
        product = self.product(product_id)
        try:
            self.store.remove_product(product.id)
        except KeyError:
            raise product_not_found(product.id) from None
        return True

    def _category_for(self, category_id: float) -> Category:
        category_id = _whole(category_id)
        category = self.store.category(category_id) if isinstance(category_id, int) else None
        return _found(category, category_not_found, category_id)

    # -- categories

    def categories(self, args: Mapping[str, Any] | None = None) -> list[Category]:
        """All categories, or (REST's ``?limit``) the first ``limit`` of them."""
        args = args or {}
        _check(args, CATEGORIES_FILTER_DTO, optional=CATEGORIES_FILTER_DTO)
        categories = self.store.categories()
        limit: Any = args.get("limit")
        # SQLite reads a negative LIMIT as no limit at all.
        if _truthy(limit) and limit > 0 and math.isfinite(limit):
            return categories[: int(limit)]
        return categories

    def category(self, category_id: Any) -> Category:
        number = parse_id(category_id)
        return _found(self.store.category(number), category_not_found, number)

    def category_by_slug(self, slug: str) -> Category:
        return _found(self.store.category_by_slug(slug), category_slug_not_found, slug)

    def category_products(
        self, category_id: Any, args: Mapping[str, Any] | None = None
    ) -> list[Product]:
        """A category's products, paginated as ``products``; none for an unknown id.

        The whole FilterProductsDto is checked, but only ``limit`` and ``offset`` act.
        """
        args = args or {}
        _check(args, FILTER_DTO, optional=FILTER_DTO)
        products = self.store.in_category(parse_id(category_id))
        page = _page(args)
        if page is None:
            return products
        offset, limit = page
        return products[offset : offset + limit]

    def add_category(self, data: Mapping[str, Any]) -> Category:
        _check(data, CATEGORY_DTO)
        now = self._now()
        try:
            return self.store.add_category(
                name=data["name"],
                slug=slugify(data["name"]),
                image=data["image"],
                creation_at=now,
                updated_at=now,
            )
        except Taken as taken:
            raise slug_taken(taken) from None

    def update_category(self, category_id: Any, changes: Mapping[str, Any]) -> Category:
        given = _given(changes, CATEGORY_CHANGES_DTO)
        category = self.category(category_id)
        fields = self._renamed(given, "name")
        if "image" in given:
            fields["image"] = given["image"]
        try:
            return self.store.update_category(category.id, **fields)
        except Taken as taken:
            raise slug_taken(taken) from None
        except KeyError:
            raise category_not_found(category.id) from None

    def delete_category(self, category_id: Any) -> bool:
        """Refused while products belong to it, as the real foreign key refuses it."""
        category = self.category(category_id)
        try:
            self.store.remove_category(category.id)
        except InUse as in_use:
            raise category_in_use(in_use) from None
        except KeyError:
            raise category_not_found(category.id) from None
        return True
