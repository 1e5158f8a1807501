"""Request bodies, read once and decoded as Express's body parser decodes them.

aiohttp's own decompression is off (see SERVER_OPTIONS): it answered a gzip header on
a plain body with a 500, and encodings it lacks with plain text. Here gzip and
deflate are decoded with a bound on the decoded size, and anything else is refused.
"""

from __future__ import annotations

import zlib
from typing import Any

from aiohttp import web

from fakeauth.core import json_values
from fakeauth.core.errors import bad_request_message
from fakeauth.web.limits import MAX_BODY_BYTES

_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


async def read_body(request: web.Request) -> bytes:
    """The body's bytes, decoded; aiohttp's HTTP errors (413, 400, 415) say what is wrong."""
    raw = await request.read()
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    wbits = _DECODERS.get(encoding)
    if wbits is None:
        raise web.HTTPUnsupportedMediaType(text=f'unsupported content encoding "{encoding[:40]}"')
    decoder = zlib.decompressobj(wbits)
    try:
        decoded = decoder.decompress(raw, MAX_BODY_BYTES + 1)
    except zlib.error:
        raise web.HTTPBadRequest(text=f"the body is not valid {encoding} data") from None
    if len(decoded) > MAX_BODY_BYTES or decoder.unconsumed_tail:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY_BYTES, actual_size=len(raw))
    return decoded


def json_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a request body; an empty body counts as ``{}``, as in Nest."""
    if not raw.strip():
        return {}
    try:
        body = json_values.loads(raw)
    except json_values.JsonError as error:
        raise bad_request_message(
            f"The body is not valid JSON ({error}); send a JSON object."
        ) from None
    if not isinstance(body, dict):
        raise bad_request_message('The body must be a JSON object, e.g. {"email": "..."}.')
    return body
