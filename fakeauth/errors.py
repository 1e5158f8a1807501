"""The errors the real service answers with, as plain Python exceptions."""

from __future__ import annotations

from typing import Any


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
    return ApiError(
        "Unauthorized", "UNAUTHENTICATED", {"message": "Unauthorized", "statusCode": 401}
    )


def invalid_refresh_token() -> ApiError:
    return ApiError(
        "Invalid",
        "UNAUTHENTICATED",
        {"message": "Invalid", "error": "Unauthorized", "statusCode": 401},
    )


def bad_request(problems: list[str]) -> ApiError:
    return ApiError(
        "Bad Request Exception",
        "BAD_REQUEST",
        {"message": problems, "error": "Bad Request", "statusCode": 400},
    )


def bad_request_message(message: str) -> ApiError:
    """Nest's BadRequestException with one plain message, as its pipes and parsers throw."""
    return ApiError(
        message, "BAD_REQUEST", {"message": message, "error": "Bad Request", "statusCode": 400}
    )


def not_found(message: str) -> ApiError:
    return ApiError(
        message, "NOT_FOUND", {"message": message, "error": "Not Found", "statusCode": 404}
    )
