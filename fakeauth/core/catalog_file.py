"""The catalogue file: top-level ``categories:`` and ``products:`` lists, read like the users file.

YAML is read straight from libyaml's events (see ``yaml_events``), then checked as a
whole by ``build_seed``, which the control API's ``PUT /__fakeauth/catalog`` uses too:
one clear message, and nothing half-loaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from fakeauth.core.catalog import DEFAULT_TIMESTAMP, Category, Product, Seed, slugify
from fakeauth.core.clock import parse_instant
from fakeauth.core.data_files import UnreadableFile, read_data_file
from fakeauth.core.yaml_events import DataFileError, EventReader, Loader, line, typed

MAX_ID = 2**53 - 1
CATEGORY_FIELDS = ("id", "name", "slug", "image", "creationAt", "updatedAt")
PRODUCT_FIELDS = (
    "id",
    "title",
    "slug",
    "price",
    "description",
    "categoryId",
    "images",
    "creationAt",
    "updatedAt",
)
_REQUIRED = {
    "category": ("name", "image"),
    "product": ("title", "price", "description", "categoryId", "images"),
}
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9]+(?:[eE][-+]?[0-9]+)?")
TOP_KEYS = ("categories", "products")


def bundled_catalog_path() -> Path:
    """The seed catalogue that ships with fakeauth."""
    return Path(__file__).parent.parent / "fixtures" / "catalog.yaml"


class CatalogFileError(DataFileError):
    """A catalogue that cannot be used; the message names the file, the line and the problem."""


class RecordError(ValueError):
    """What is wrong with one category or product: ``index`` in its list, ``field`` or None."""

    def __init__(self, kind: str, index: int, field: str | None, problem: str) -> None:
        super().__init__(problem)
        self.kind = kind  # "category" or "product"
        self.index, self.field, self.problem = index, field, problem


# -- building, from plain values (YAML's or JSON's)


def build_seed(
    categories: Sequence[Mapping[str, Any]], products: Sequence[Mapping[str, Any]]
) -> Seed:
    """Check and build a whole catalogue; RecordError says what is wrong, and where."""
    built_categories: dict[int, Category] = {}
    slugs: dict[str, int] = {}
    for index, fields in enumerate(categories):
        category = _category(index, fields, built_categories, slugs)
        built_categories[category.id] = category
        slugs[category.slug] = category.id
    built_products: dict[int, Product] = {}
    slugs = {}
    for index, fields in enumerate(products):
        product = _product(index, fields, built_categories, built_products, slugs)
        built_products[product.id] = product
        slugs[product.slug] = product.id
    return Seed(tuple(built_categories.values()), tuple(built_products.values()))


def _check_fields(
    kind: str, index: int, fields: Mapping[str, Any], allowed: tuple[str, ...]
) -> None:
    if not isinstance(fields, Mapping):
        raise RecordError(kind, index, None, f"each {kind} must be a mapping of fields")
    for key in fields:
        if key not in allowed:
            raise RecordError(
                kind, index, key, f"unknown field {key!r} (allowed: {', '.join(allowed)})"
            )
    for key in _REQUIRED[kind]:
        if fields.get(key) is None:
            raise RecordError(kind, index, None, f"missing field {key!r}")


def _text(kind: str, index: int, fields: Mapping[str, Any], key: str) -> str:
    value = fields[key]
    if not isinstance(value, str) or not value:
        raise RecordError(
            kind, index, key, f"{key} must be a non-empty string, not {_shown(value)}"
        )
    return value


def _id(kind: str, index: int, fields: Mapping[str, Any], taken: Mapping[int, Any]) -> int:
    if fields.get("id") is None:
        return max(taken, default=0) + 1
    value = fields["id"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise RecordError(
            kind, index, "id", f"id must be a positive integer up to 2**53 - 1, not {_shown(value)}"
        )
    if value in taken:
        raise RecordError(
            kind, index, "id", f"duplicate id {value} (already used by another {kind})"
        )
    return value


def _slug(
    kind: str, index: int, fields: Mapping[str, Any], source: str, slugs: Mapping[str, int]
) -> str:
    slug = fields.get("slug")
    if slug is None:
        slug = slugify(source)
    elif not isinstance(slug, str):
        raise RecordError(kind, index, "slug", f"slug must be a string, not {_shown(slug)}")
    if slug in slugs:
        where = "slug" if "slug" in fields else None
        raise RecordError(
            kind,
            index,
            where,
            f"duplicate slug {slug!r} (already used by {kind} {slugs[slug]}); slugs are unique",
        )
    return slug


def _instant(kind: str, index: int, fields: Mapping[str, Any], key: str) -> float:
    value = fields.get(key)
    if value is None:
        return DEFAULT_TIMESTAMP
    try:
        return parse_instant(value)
    except (ValueError, TypeError) as error:
        raise RecordError(kind, index, key, f"{key}: {error}") from None


def _category(
    index: int, fields: Mapping[str, Any], taken: Mapping[int, Category], slugs: Mapping[str, int]
) -> Category:
    _check_fields("category", index, fields, CATEGORY_FIELDS)
    name = _text("category", index, fields, "name")
    return Category(
        id=_id("category", index, fields, taken),
        name=name,
        slug=_slug("category", index, fields, name, slugs),
        image=_text("category", index, fields, "image"),
        creation_at=_instant("category", index, fields, "creationAt"),
        updated_at=_instant("category", index, fields, "updatedAt"),
    )


def _product(
    index: int,
    fields: Mapping[str, Any],
    categories: Mapping[int, Category],
    taken: Mapping[int, Product],
    slugs: Mapping[str, int],
) -> Product:
    _check_fields("product", index, fields, PRODUCT_FIELDS)
    title = _text("product", index, fields, "title")
    product_id = _id("product", index, fields, taken)
    price = fields["price"]
    if (
        isinstance(price, bool)
        or not isinstance(price, int | float)
        or not (math.isfinite(price) and price > 0)
    ):
        raise RecordError(
            "product", index, "price", f"price must be a positive number, not {_shown(price)}"
        )
    category_id = fields["categoryId"]
    category = (
        categories.get(category_id)
        if isinstance(category_id, int) and not isinstance(category_id, bool)
        else None
    )
    if category is None:
        known = ", ".join(str(key) for key in categories) or "none"
        raise RecordError(
            "product",
            index,
            "categoryId",
            f"categoryId {_shown(category_id)} is not the id of a category in this catalogue"
            f" (ids: {known})",
        )
    images = fields["images"]
    if (
        not isinstance(images, list)
        or not images
        or not all(isinstance(url, str) and url for url in images)
    ):
        raise RecordError(
            "product",
            index,
            "images",
            "images must be a list of one or more non-empty strings: URLs, or paths such as"
            " /images/products/1-1.svg for images fakeauth draws itself",
        )
    return Product(
        id=product_id,
        title=title,
        slug=_slug("product", index, fields, title, slugs),
        price=float(price) if isinstance(price, float) and not price.is_integer() else int(price),
        description=_text("product", index, fields, "description"),
        category=category,
        images=tuple(images),
        creation_at=_instant("product", index, fields, "creationAt"),
        updated_at=_instant("product", index, fields, "updatedAt"),
    )


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- reading a file


def load_catalog(path: str | Path | None = None) -> Seed:
    """Read and check a catalogue file (the bundled one by default)."""
    file = bundled_catalog_path() if path is None else Path(path)
    try:
        data = read_data_file(file, "catalogue file")
    except UnreadableFile as error:
        raise CatalogFileError(str(file), None, str(error)) from None
    return parse_catalog(data, str(file))


def parse_catalog(text: str | bytes, source: str = "<catalog>") -> Seed:
    """Check and build a catalogue from the text of a catalogue file."""
    return _Reader(text, source).read()


def is_catalog(text: str | bytes) -> bool:
    """Whether a YAML text's first top-level key says it is a catalogue file (for ``check``)."""
    loader = Loader(text)
    try:
        for _ in range(3):  # stream start, document start, mapping start
            loader.get_event()  # type: ignore[no-untyped-call]
        key = loader.get_event()  # type: ignore[no-untyped-call]
        return isinstance(key, yaml.ScalarEvent) and key.value in TOP_KEYS
    except yaml.YAMLError:
        return False
    finally:
        loader.dispose()


class _Record:
    __slots__ = ("fields", "line", "lines")

    def __init__(self, line: int | None) -> None:
        self.fields: dict[str, Any] = {}
        self.line = line
        self.lines: dict[str, int | None] = {}


class _Reader(EventReader):
    error_type = CatalogFileError
    noun = "catalogue file"

    def read(self) -> Seed:
        lists = self.document(
            self._root, "the file is empty; expected top-level 'categories:' and 'products:' lists"
        )
        records = {key: lists.get(key, []) for key in TOP_KEYS}
        try:
            return build_seed(
                [r.fields for r in records["categories"]], [r.fields for r in records["products"]]
            )
        except RecordError as error:
            record = records["categories" if error.kind == "category" else "products"][error.index]
            at = record.lines.get(error.field or "", record.line)
            raise CatalogFileError(
                self.source, at, f"{error.kind} {error.index + 1}: {error}"
            ) from None

    def _root(self) -> dict[str, list[_Record]]:
        root = self.next()
        if not isinstance(root, yaml.MappingStartEvent):
            raise self.error(
                root, "expected a mapping with top-level 'categories:' and 'products:' lists"
            )
        lists: dict[str, list[_Record]] = {}
        while not isinstance(key := self.next(), yaml.MappingEndEvent):
            name = key.value if isinstance(key, yaml.ScalarEvent) else "?"
            if name not in TOP_KEYS:
                raise self.error(
                    key, f"unknown top-level key {name!r} (expected 'categories' and 'products')"
                )
            if name in lists:
                raise self.error(key, f"{name!r} is given twice")
            lists[name] = self._records(name)
        return lists

    def _records(self, name: str) -> list[_Record]:
        kind = "category" if name == "categories" else "product"
        return [self._record(line(item)) for item in self.mappings(name, kind)]

    def _record(self, at: int | None) -> _Record:
        record = _Record(at)
        for key in self.field_names("title"):
            if key.value in record.fields:
                raise self.error(key, f"field {key.value!r} given twice")
            value = self.next()
            if key.value == "images" and isinstance(value, yaml.SequenceStartEvent):
                record.fields["images"] = self._strings(key.value)
            elif isinstance(value, yaml.ScalarEvent):
                record.fields[key.value] = _typed(key.value, value)
            else:
                raise self.error(value, f"field {key.value!r} must be a single value")
            record.lines[key.value] = line(key)
        return record

    def _strings(self, name: str) -> list[Any]:
        values = []
        while not isinstance(item := self.next(), yaml.SequenceEndEvent):
            if not isinstance(item, yaml.ScalarEvent):
                raise self.error(item, f"each of {name} must be a single value")
            values.append(_typed(name, item))
        return values


def _typed(field: str, event: yaml.ScalarEvent) -> Any:
    # Only ids and prices are numbers; every other plain value is text, as in the users file.
    return typed(
        event, field in ("id", "categoryId", "price"), _float if field == "price" else None
    )


def _float(text: str) -> Any:
    return float(text.replace("_", "")) if _FLOAT.fullmatch(text) else text
