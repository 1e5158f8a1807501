"""Limits on one HTTP request, far above what a frontend sends, each answered with JSON."""

from __future__ import annotations

from typing import Any

# aiohttp's own default, made explicit: the body of one request.
MAX_BODY_BYTES = 1024 * 1024
# One header line (name and value). Larger than aiohttp's 8 KiB default so that a
# 100 KB bearer value reaches the auth rules and gets "Unauthorized" like any bad token.
MAX_HEADER_BYTES = 128 * 1024
# The request line, query string included (GET /graphql?query=...).
MAX_REQUEST_LINE_BYTES = 64 * 1024

# For aiohttp's request handler: every server fakeauth starts uses these.
SERVER_OPTIONS: dict[str, Any] = {
    "max_field_size": MAX_HEADER_BYTES,
    "max_line_size": MAX_REQUEST_LINE_BYTES,
    # Bodies are decoded by web/bodies.py, which answers bad encodings with JSON.
    "auto_decompress": False,
}
