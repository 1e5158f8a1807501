"""The operations of the fake API: one row each, for GraphQL, REST, faults and the log.

A row names the GraphQL root field (the name faults and the request log use), the REST
route that mirrors it and what it does. The REST twin, the start page and the fault
checks read this table, so a new operation is one row here plus its resolver and handler.

A field that several REST routes mirror (``product``: by id and by slug) has one row per
route, all under its name; ``BY_FIELD`` keeps the first. A REST route that no GraphQL
field mirrors (``relatedProducts``, ``categoryProducts``) is ``rest_only``, with a name
of its own in the same vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

REST_PREFIX = "/api/v1"


@dataclass(frozen=True, slots=True)
class Operation:
    field: str
    kind: Literal["query", "mutation"]
    method: str
    path: str  # under REST_PREFIX, with :name for a path parameter, as Nest writes routes
    label: str
    status: int = 200  # of a REST success; Nest answers every POST with 201
    rest_only: bool = False  # no GraphQL root field of this name

    @property
    def route(self) -> str:
        """The REST path with aiohttp's ``{name}`` parameters."""
        parts = self.path.split("/")
        return REST_PREFIX + "/".join(f"{{{p[1:]}}}" if p.startswith(":") else p for p in parts)


OPERATIONS: tuple[Operation, ...] = (
    Operation("login", "mutation", "POST", "/auth/login", "{email, password} → tokens", 201),
    Operation("myProfile", "query", "GET", "/auth/profile", "bearer token → the user"),
    Operation(
        "refreshToken", "mutation", "POST", "/auth/refresh-token", "{refreshToken} → tokens", 201
    ),
    Operation("users", "query", "GET", "/users", "the users (?limit=)"),
    Operation("addUser", "mutation", "POST", "/users", "create → the user", 201),
    Operation(
        "isAvailable", "query", "POST", "/users/is-available", "{email} → {isAvailable}", 201
    ),
    Operation("user", "query", "GET", "/users/:id", "one user"),
    Operation("updateUser", "mutation", "PUT", "/users/:id", "update → the user"),
    Operation("deleteUser", "mutation", "DELETE", "/users/:id", "→ true"),
    # The catalogue, in the real controllers' order (Nest matches routes in that order).
    Operation(
        "products",
        "query",
        "GET",
        "/products",
        "the products (?limit offset price price_min price_max title categoryId categorySlug)",
    ),
    Operation("product", "query", "GET", "/products/:id", "one product"),
    Operation(
        "relatedProducts",
        "query",
        "GET",
        "/products/:id/related",
        "the other products of its category",
        rest_only=True,
    ),
    Operation("product", "query", "GET", "/products/slug/:slug", "one product, by slug"),
    Operation(
        "relatedProducts",
        "query",
        "GET",
        "/products/slug/:slug/related",
        "the other products of its category, by slug",
        rest_only=True,
    ),
    Operation("addProduct", "mutation", "POST", "/products", "create → the product", 201),
    Operation("updateProduct", "mutation", "PUT", "/products/:id", "update → the product"),
    Operation("deleteProduct", "mutation", "DELETE", "/products/:id", "→ true"),
    Operation("categories", "query", "GET", "/categories", "the categories (?limit=)"),
    Operation("category", "query", "GET", "/categories/:id", "one category"),
    Operation("category", "query", "GET", "/categories/slug/:slug", "one category, by slug"),
    Operation("addCategory", "mutation", "POST", "/categories", "create → the category", 201),
    Operation(
        "categoryProducts",
        "query",
        "GET",
        "/categories/:id/products",
        "its products (?limit offset)",
        rest_only=True,
    ),
    Operation("updateCategory", "mutation", "PUT", "/categories/:id", "update → the category"),
    Operation("deleteCategory", "mutation", "DELETE", "/categories/:id", "→ true"),
)

BY_FIELD: dict[str, Operation] = {}
for _row in OPERATIONS:
    BY_FIELD.setdefault(_row.field, _row)
