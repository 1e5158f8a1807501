"""JSON answers: one compact encoder for all of them, and NestJS's error body."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from fakeauth.core.errors import nest_body

# json.dumps with options builds a new encoder per call; this one is built once.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


def json_response(
    body: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
    suffix: bytes = b"",
) -> web.Response:
    return web.Response(
        body=_COMPACT_JSON.encode(body).encode() + suffix,
        status=status,
        content_type=content_type,
        charset="utf-8",
        headers=headers,
    )


def nest_error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    """An error as NestJS answers it: ``{"message", "error", "statusCode"}``."""
    return json_response(nest_body(status, message), status, headers)
