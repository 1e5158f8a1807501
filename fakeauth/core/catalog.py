"""The catalogue: categories and products, their slugs, the in-memory store and its queries.

Image URLs are kept as given. One that is a path (``/images/products/7-1.svg``) means
"on this server": each API writes it out on the base URL the client used, through
``absolute``, so the core never needs to know where it is served.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import islice
from typing import Any, NamedTuple

from fakeauth.core.clock import format_instant, parse_instant

# A fixed instant rather than the load time, so answers are the same on every run.
DEFAULT_TIMESTAMP = parse_instant("2023-01-01T00:00:00Z")

_COMBINING = re.compile("[\u0300-\u036f]")
_NOT_WORD = re.compile(r"[^A-Za-z0-9_\-]+")  # JavaScript's \w is ASCII only
_SPACES = re.compile(r"\s+")
_HYPHENS = re.compile(r"-+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def slugify(text: str) -> str:
    """The real service's generateSlug, step by step (src/utils/slug.ts)."""
    text = unicodedata.normalize("NFD", text.lower())
    text = _NOT_WORD.sub(" ", _COMBINING.sub("", text)).replace("_", " ")
    text = _SPACES.sub(" ", text).strip().replace(" ", "-")
    return _HYPHENS.sub("-", text).strip("-")


def absolute(url: str, base: str) -> str:
    """A stored image URL as a client sees it: a path is on ``base``, anything else as it is."""
    if url.startswith("/") and not url.startswith("//"):
        return base + url
    return url


# Records are NamedTuples: immutable, fast to read, and some ten times cheaper to
# define at import than dataclasses, which start-up pays for.
class Category(NamedTuple):
    id: int
    name: str
    slug: str
    image: str
    creation_at: float = DEFAULT_TIMESTAMP
    updated_at: float = DEFAULT_TIMESTAMP

    def to_json(self, base: str) -> dict[str, Any]:
        """As the REST API shows it."""
        return {**self.to_file(), "image": absolute(self.image, base)}

    def to_file(self) -> dict[str, Any]:
        """As the catalogue file writes it, image paths unresolved."""
        return {
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "image": self.image,
            "creationAt": format_instant(self.creation_at),
            "updatedAt": format_instant(self.updated_at),
        }


class Product(NamedTuple):
    id: int
    title: str
    slug: str
    price: float
    description: str
    # The category itself, not its id: a listing reads it without a lookup per product.
    category: Category
    images: tuple[str, ...]
    creation_at: float = DEFAULT_TIMESTAMP
    updated_at: float = DEFAULT_TIMESTAMP

    def to_json(self, base: str) -> dict[str, Any]:
        """As the REST API shows it, with its category embedded."""
        images = [absolute(url, base) for url in self.images]
        return self._record("category", self.category.to_json(base), images)

    def to_file(self) -> dict[str, Any]:
        """As the catalogue file writes it: its category by id, image paths unresolved."""
        return self._record("categoryId", self.category.id, list(self.images))

    def _record(self, key: str, category: Any, images: list[str]) -> dict[str, Any]:
        # The category goes in its place: the key order is the real answer's.
        return {
            "id": self.id,
            "title": self.title,
            "slug": self.slug,
            "price": self.price,
            "description": self.description,
            key: category,
            "images": images,
            "creationAt": format_instant(self.creation_at),
            "updatedAt": format_instant(self.updated_at),
        }


_Record = Category | Product


class Seed(NamedTuple):
    """A whole catalogue, as loaded from a file or given to the control API."""

    categories: tuple[Category, ...] = ()
    products: tuple[Product, ...] = ()


class ProductQuery(NamedTuple):
    """Which products a listing wants, once the real service's rules have been applied."""

    title: str | None = None  # a LIKE pattern, without the surrounding %
    price: float | None = None
    price_range: tuple[float, float] | None = None
    category_id: float | None = None
    category_slug: str | None = None
    page: tuple[int, int] | None = None  # (offset, limit)

    @property
    def filtered(self) -> bool:
        return any(
            value is not None
            for value in (
                self.title,
                self.price,
                self.price_range,
                self.category_id,
                self.category_slug,
            )
        )


class Taken(ValueError):
    """A slug that another product or category has (SQLite's UNIQUE constraint)."""

    def __init__(self, entity: str, slug: str, holder: int) -> None:
        super().__init__(f"slug {slug!r} is already used by {entity} {holder}")
        self.entity, self.slug, self.holder = entity, slug, holder


class InUse(ValueError):
    """A category that products still belong to (SQLite's FOREIGN KEY constraint)."""

    def __init__(self, category_id: int, count: int) -> None:
        super().__init__(f"category {category_id} still has {count} products")
        self.category_id, self.count = category_id, count


class _State:
    __slots__ = ("by_category", "categories", "category_slugs", "product_slugs", "products")

    def __init__(
        self,
        categories: dict[int, Category] | None = None,
        category_slugs: dict[str, Category] | None = None,
        products: dict[int, Product] | None = None,
        product_slugs: dict[str, Product] | None = None,
        by_category: dict[int, dict[int, Product]] | None = None,
    ) -> None:
        self.categories = categories or {}
        self.category_slugs = category_slugs or {}
        self.products = products or {}
        self.product_slugs = product_slugs or {}
        # Each category's products in id order, for category filters and Category.products.
        self.by_category = by_category or {}

    def copy(self) -> _State:
        return _State(
            dict(self.categories),
            dict(self.category_slugs),
            dict(self.products),
            dict(self.product_slugs),
            {key: dict(value) for key, value in self.by_category.items()},
        )


def _state_of(seed: Seed) -> _State:
    state = _State()
    for category in sorted(seed.categories, key=lambda c: c.id):
        state.categories[category.id] = category
        state.category_slugs[category.slug] = category
        state.by_category[category.id] = {}
    for product in sorted(seed.products, key=lambda p: p.id):
        state.products[product.id] = product
        state.product_slugs[product.slug] = product
        state.by_category[product.category.id][product.id] = product
    return state


class CatalogStore:
    """Categories and products in memory, by id and by slug in constant time.

    Like the user store: each change happens under the lock, readers take a list of
    what they need in one step; the seed is shared until the first change, so a reset
    is free; ids are never given out twice, not even after a delete, a reset or a
    replacement, so a test never mistakes a newcomer for a deleted product.
    """

    def __init__(self, seed: Seed | None = None) -> None:
        seed = Seed() if seed is None else seed
        self._lock = threading.Lock()
        self._last_category = self._last_product = 0
        self._seed = seed
        self._initial = _state_of(seed)
        self._state = self._initial
        self._version = 0
        self._note_ids(seed)

    @property
    def seed(self) -> Seed:
        return self._seed

    @property
    def version(self) -> int:
        """A number that changes whenever the catalogue may have: for caches of answers."""
        return self._version

    def reset(self) -> None:
        """Back to the seed it was created with."""
        with self._lock:
            self._state = self._initial
            self._version += 1

    def replace(self, seed: Seed) -> None:
        """Hold ``seed`` now (a reset still goes back to the first seed)."""
        state = _state_of(seed)
        with self._lock:
            self._state = state
            self._version += 1
            self._note_ids(seed)

    def _note_ids(self, seed: Seed) -> None:
        self._last_category = max([self._last_category, *(c.id for c in seed.categories)])
        self._last_product = max([self._last_product, *(p.id for p in seed.products)])

    def _own(self) -> _State:
        # Every write starts here, under the lock.
        self._version += 1
        # Copy on the first write: until then the seed's dicts are shared.
        if self._state is self._initial:
            self._state = self._initial.copy()
        return self._state

    # -- reading

    def category(self, category_id: int) -> Category | None:
        return self._state.categories.get(category_id)

    def category_by_slug(self, slug: str) -> Category | None:
        return self._state.category_slugs.get(slug)

    def categories(self) -> list[Category]:
        return list(self._state.categories.values())

    def product(self, product_id: int) -> Product | None:
        return self._state.products.get(product_id)

    def product_by_slug(self, slug: str) -> Product | None:
        return self._state.product_slugs.get(slug)

    def seed_product(self, product_id: int) -> Product | None:
        """The product of that id as first loaded, even if since changed or deleted."""
        return self._initial.products.get(product_id)

    def seed_category(self, category_id: int) -> Category | None:
        return self._initial.categories.get(category_id)

    def in_category(self, category_id: int) -> list[Product]:
        return list(self._state.by_category.get(category_id, {}).values())

    def count_in(self, category_id: int) -> int:
        return len(self._state.by_category.get(category_id, ()))

    def __len__(self) -> int:
        return len(self._state.products)

    def __iter__(self) -> Iterator[Product]:
        return iter(list(self._state.products.values()))

    def select(self, query: ProductQuery) -> list[Product]:
        """The products a query asks for, in id order: filters AND together, then the page."""
        state = self._state
        if not query.filtered:
            if query.page is None:
                return list(state.products.values())
            offset, limit = query.page
            return list(islice(state.products.values(), offset, offset + limit))
        candidates: Iterable[Product]
        if query.category_slug is not None:
            category = state.category_slugs.get(query.category_slug)
            candidates = [] if category is None else state.by_category[category.id].values()
        elif query.category_id is not None:
            group = state.by_category.get(int(query.category_id))
            whole = query.category_id == int(query.category_id)
            candidates = [] if group is None or not whole else group.values()
        else:
            candidates = state.products.values()
        found = [product for product in list(candidates) if _matches(query, product)]
        if query.page is not None:
            offset, limit = query.page
            return found[offset : offset + limit]
        return found

    # -- writing

    def add_category(self, **fields: Any) -> Category:
        with self._lock:
            state = self._own()
            category = Category(id=self._last_category + 1, **fields)
            _check_slug(state.category_slugs, "category", category)
            self._last_category = category.id
            state.categories[category.id] = category
            state.category_slugs[category.slug] = category
            state.by_category[category.id] = {}
            return category

    def update_category(self, category_id: int, **changes: Any) -> Category:
        """Change a category; its products show the change at once."""
        with self._lock:
            state = self._own()
            old = state.categories[category_id]
            new = old._replace(**changes)
            _check_slug(state.category_slugs, "category", new, old)
            del state.category_slugs[old.slug]
            state.categories[new.id] = state.category_slugs[new.slug] = new
            group = state.by_category[new.id]
            for product in list(group.values()):
                moved = product._replace(category=new)
                group[product.id] = state.products[product.id] = moved
                state.product_slugs[moved.slug] = moved
            return new

    def remove_category(self, category_id: int) -> Category:
        with self._lock:
            state = self._own()
            old = state.categories[category_id]
            count = len(state.by_category[category_id])
            if count:
                raise InUse(category_id, count)
            del state.categories[category_id], state.category_slugs[old.slug]
            del state.by_category[category_id]
            return old

    def add_product(self, **fields: Any) -> Product:
        with self._lock:
            state = self._own()
            product = Product(id=self._last_product + 1, **fields)
            _check_slug(state.product_slugs, "product", product)
            self._last_product = product.id
            self._put(state, product)
            return product

    def update_product(self, product_id: int, **changes: Any) -> Product:
        with self._lock:
            state = self._own()
            old = state.products[product_id]
            new = old._replace(**changes)
            _check_slug(state.product_slugs, "product", new, old)
            self._unindex(state, old)
            self._put(state, new)
            return new

    def remove_product(self, product_id: int) -> Product:
        with self._lock:
            state = self._own()
            old = state.products.pop(product_id)
            self._unindex(state, old)
            return old

    @staticmethod
    def _put(state: _State, product: Product) -> None:
        # An update keeps its place in the dicts; a new product has the highest id.
        state.products[product.id] = state.product_slugs[product.slug] = product
        group = state.by_category[product.category.id]
        # Moved here from another category: its place is among the others, by id.
        moved = product.id not in group and bool(group) and next(reversed(group)) > product.id
        group[product.id] = product
        if moved:
            state.by_category[product.category.id] = dict(sorted(group.items()))

    @staticmethod
    def _unindex(state: _State, product: Product) -> None:
        del state.product_slugs[product.slug]
        del state.by_category[product.category.id][product.id]


def _check_slug(
    slugs: Mapping[str, _Record], entity: str, new: _Record, old: _Record | None = None
) -> None:
    holder = slugs.get(new.slug)
    if holder is not None and holder is not old:
        raise Taken(entity, new.slug, holder.id)


def _matches(query: ProductQuery, product: Product) -> bool:
    if query.price is not None and product.price != query.price:
        return False
    if query.price_range is not None:
        low, high = query.price_range
        if not low <= product.price <= high:
            return False
    return query.title is None or like(query.title).matches(product.title)


class _Like:
    """SQLite's ``LIKE '%pattern%'``: ``%`` any run, ``_`` one character, ASCII case folded.

    Matched segment by segment, leftmost first, which is exact for patterns made of
    literal runs and ``%``: no backtracking, so no pattern can make it slow.
    """

    def __init__(self, pattern: str) -> None:
        self._parts = [
            re.compile("".join("." if c == "_" else re.escape(c) for c in part), re.DOTALL)
            for part in pattern.translate(_ASCII_LOWER).split("%")
            if part
        ]

    def matches(self, text: str) -> bool:
        text = text.translate(_ASCII_LOWER)
        position = 0
        for part in self._parts:
            found = part.search(text, position)
            if found is None:
                return False
            position = found.end()
        return True


@lru_cache(maxsize=256)
def like(pattern: str) -> _Like:
    return _Like(pattern)
