"""The catalogue file: top-level ``categories:`` and ``products:`` lists, read like the users file.

YAML is read straight from libyaml's events (no aliases, no tags, every value knows its
line), then checked as a whole by ``build_seed``, which the control API's
``PUT /__fakeauth/catalog`` uses too: one clear message, and nothing half-loaded.
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

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

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
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9]+(?:[eE][-+]?[0-9]+)?")
TOP_KEYS = ("categories", "products")


def bundled_catalog_path() -> Path:
    """The seed catalogue that ships with fakeauth."""
    return Path(__file__).parent.parent / "fixtures" / "catalog.yaml"


class CatalogFileError(ValueError):
    """A catalogue that cannot be used; the message names the file, the line and the problem."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = source if line is None else f"{source} line {line}"
        super().__init__(f"{where}: {problem}")


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
    loader = _Loader(text)
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


class _Reader:
    def __init__(self, text: str | bytes, source: str) -> None:
        self.source = source
        self._loader = _Loader(text)

    def error(self, event: yaml.Event | None, problem: str) -> CatalogFileError:
        return CatalogFileError(self.source, None if event is None else _line(event), problem)

    def next(self) -> yaml.Event:
        try:
            event: yaml.Event | None = self._loader.get_event()  # type: ignore[no-untyped-call]
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = None if mark is None else mark.line + 1
            raise CatalogFileError(self.source, line, f"not valid YAML: {error.problem}") from None
        except yaml.YAMLError as error:
            raise CatalogFileError(self.source, None, f"not valid YAML: {error}") from None
        if event is None:
            raise CatalogFileError(self.source, None, "the file ends too early")
        if type(event) is yaml.ScalarEvent and event.tag is None:
            return event
        if isinstance(event, yaml.AliasEvent):
            raise self.error(
                event, f"aliases (*{event.anchor}) are not allowed in a catalogue file"
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.error(
                event, f"YAML tags such as {shown} are not allowed in a catalogue file"
            )
        return event

    def read(self) -> Seed:
        try:
            lists = self._stream()
        finally:
            self._loader.dispose()
        records = {key: lists.get(key, []) for key in TOP_KEYS}
        try:
            return build_seed(
                [r.fields for r in records["categories"]], [r.fields for r in records["products"]]
            )
        except RecordError as error:
            record = records["categories" if error.kind == "category" else "products"][error.index]
            line = record.lines.get(error.field or "", record.line)
            raise CatalogFileError(
                self.source, line, f"{error.kind} {error.index + 1}: {error}"
            ) from None

    def _stream(self) -> dict[str, list[_Record]]:
        self.next()  # stream start
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            raise self.error(
                None, "the file is empty; expected top-level 'categories:' and 'products:' lists"
            )
        lists = self._document()
        event = self.next()
        if not isinstance(event, yaml.StreamEndEvent):
            raise self.error(event, "only one YAML document is allowed")
        return lists

    def _document(self) -> dict[str, list[_Record]]:
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
        self.next()  # document end
        return lists

    def _records(self, name: str) -> list[_Record]:
        start = self.next()
        if isinstance(start, yaml.ScalarEvent) and start.implicit[0] and start.value in _NULLS:
            return []
        if not isinstance(start, yaml.SequenceStartEvent):
            raise self.error(start, f"{name!r} must be a list")
        kind = "category" if name == "categories" else "product"
        records = []
        while not isinstance(item := self.next(), yaml.SequenceEndEvent):
            if not isinstance(item, yaml.MappingStartEvent):
                raise self.error(item, f"each {kind} must be a mapping of fields")
            records.append(self._record(kind, _line(item)))
        return records

    def _record(self, kind: str, line: int | None) -> _Record:
        record = _Record(line)
        while not isinstance(key := self.next(), yaml.MappingEndEvent):
            if not isinstance(key, yaml.ScalarEvent):
                raise self.error(key, "field names must be plain words such as 'title'")
            if key.value in record.fields:
                raise self.error(key, f"field {key.value!r} given twice")
            value = self.next()
            if key.value == "images" and isinstance(value, yaml.SequenceStartEvent):
                record.fields["images"] = self._strings(key.value)
            elif isinstance(value, yaml.ScalarEvent):
                record.fields[key.value] = _typed(key.value, value)
            else:
                raise self.error(value, f"field {key.value!r} must be a single value")
            record.lines[key.value] = _line(key)
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
    text: str = event.value
    if not event.implicit[0]:
        return text
    if text in _NULLS:
        return None
    if field in ("id", "categoryId", "price") and _INT.fullmatch(text):
        try:
            return int(text.replace("_", ""))
        except ValueError:
            return text
    if field == "price" and _FLOAT.fullmatch(text):
        return float(text.replace("_", ""))
    return text


def _line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return None if mark is None else mark.line + 1
