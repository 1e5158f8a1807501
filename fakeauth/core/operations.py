"""The operations of the fake API: one row each, for GraphQL, REST, faults and the log.

A row names the GraphQL root field (the name faults and the request log use), the REST
route that mirrors it and what it does. The REST twin, the start page and the fault
checks read this table, so a new operation is one row here plus its resolver and handler.
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
)

BY_FIELD = {operation.field: operation for operation in OPERATIONS}
