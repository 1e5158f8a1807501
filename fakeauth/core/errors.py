"""The errors the real service answers with, as plain Python exceptions and NestJS bodies."""

from __future__ import annotations

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

    def __init__(self, message: str, code: str, original: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.original = original

    @property
    def status(self) -> int:
        return int(self.original.get("statusCode", 500))


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
