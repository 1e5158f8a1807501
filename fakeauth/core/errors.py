"""The errors the real service answers with, as plain Python exceptions and NestJS bodies."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any


def nest_body(status: int, message: str | list[str], *, phrase: bool = True) -> dict[str, Any]:
    """NestJS's error body; some of its exceptions (a bare 401, the 500) leave out ``error``."""
    if not phrase:
        return {"message": message, "statusCode": status}
    return {"message": message, "error": HTTPStatus(status).phrase, "statusCode": status}


class ApiError(Exception):
    """An expected failure with the real service's message, code and HTTP status.

    ``original`` is the NestJS exception body that Apollo copies into
    ``extensions.originalError`` and that the REST API answers with.
    """

    def __init__(
        self, message: str, code: str, original: dict[str, Any], reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.original = original
        # Why, in plain words: for the request log, never for the client.
        self.reason = reason

    def because(self, reason: str | None) -> ApiError:
        """This error, with the reason the request log gives for it."""
        self.reason = reason
        return self

    @property
    def status(self) -> int:
        return int(self.original.get("statusCode", 500))


class DatabaseError(ApiError):
    """A lookup or change the real service's database refuses (TypeORM's errors).

    As an ApiError it is the GraphQL answer fakeauth gives: NOT_FOUND naming what is
    missing, or BAD_REQUEST saying what clashes (the real GraphQL API crashes on these).
    ``rest_body`` is the REST answer, with HTTP 400, as the real service's exception
    filter shapes TypeORM's error.
    """

    def __init__(self, error: ApiError, name: str, detail: str, sql_code: str | None = None):
        super().__init__(error.message, error.code, error.original)
        self.name, self.detail, self.sql_code = name, detail, sql_code

    def rest_body(self, path: str, timestamp: str) -> dict[str, Any]:
        body = {"path": path, "timestamp": timestamp, "name": self.name, "message": self.detail}
        if self.sql_code is not None:
            body["code"] = self.sql_code
        return body


def entity_not_found(error: ApiError, entity: str, criteria: dict[str, Any]) -> DatabaseError:
    """TypeORM's EntityNotFoundError for a ``findOneOrFail`` with these criteria."""
    # TypeORM writes the criteria with JSON.stringify(criteria, null, 4).
    shown = json.dumps(criteria, indent=4, ensure_ascii=False)
    detail = f'Could not find any entity of type "{entity}" matching: {shown}'
    return DatabaseError(error, "EntityNotFoundError", detail)


def unauthorized() -> ApiError:
    return ApiError("Unauthorized", "UNAUTHENTICATED", nest_body(401, "Unauthorized", phrase=False))


def invalid_refresh_token() -> ApiError:
    return ApiError("Invalid", "UNAUTHENTICATED", nest_body(401, "Invalid"))


def bad_request(problems: list[str]) -> ApiError:
    return ApiError("Bad Request Exception", "BAD_REQUEST", nest_body(400, problems))


def bad_request_message(message: str) -> ApiError:
    """Nest's BadRequestException with one plain message, as its pipes and parsers throw."""
    return ApiError(message, "BAD_REQUEST", nest_body(400, message))


def not_found(message: str) -> ApiError:
    return ApiError(message, "NOT_FOUND", nest_body(404, message))


def forbidden() -> ApiError:
    return ApiError("Forbidden resource", "FORBIDDEN", nest_body(403, "Forbidden resource"))


def for_code(code: str, field: str, message: str | None) -> ApiError | None:
    """The real service's own error for an error code a fault names, or None for other codes."""
    if code == "UNAUTHENTICATED":
        return invalid_refresh_token() if field == "refreshToken" else unauthorized()
    if code == "BAD_REQUEST":
        return bad_request([message or "Bad Request"])
    if code == "NOT_FOUND":
        return not_found(message or "Not Found")
    if code == "FORBIDDEN":
        return forbidden()
    return None
