"""Request bodies, read once and decoded as Express's body parser decodes them.

aiohttp's own decompression is off (see SERVER_OPTIONS): it answered a gzip header on
a plain body with a 500, and encodings it lacks with plain text. Here gzip and
deflate are decoded with a bound on the decoded size, and anything else is refused.
"""

from __future__ import annotations

import zlib
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from fakeauth.core import json_values
from fakeauth.core.errors import ApiError, bad_request_message, nest_body
from fakeauth.web.limits import MAX_BODY_BYTES

# How much of the text V8 quotes on each side of a bad token.
_CONTEXT = 10
_HEX = frozenset("0123456789abcdefABCDEF")
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


class BodyParserError(ApiError):
    """A body Express's JSON parser refuses, before Nest or Apollo see the request."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "BAD_REQUEST", nest_body(400, message))


def parsed_body(request: web.Request, raw: bytes) -> Any:
    """The body as the real service's Express parsers give it: JSON or form fields by the
    Content-Type, None for any other type (not parsed at all), ``{}`` when empty."""
    content_type = request.content_type
    if content_type == "application/x-www-form-urlencoded":
        fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        return {key: values[0] if len(values) == 1 else values for key, values in fields.items()}
    if content_type != "application/json" and not content_type.endswith("+json"):
        return None
    if not raw:
        return {}
    # As Express decodes it: a byte that is not UTF-8 becomes U+FFFD.
    return node_json(raw.decode("utf-8", "replace"))


def node_json(text: str) -> Any:
    """JSON.parse as body-parser runs it (objects and arrays only), or BodyParserError with
    V8's message: "Expected property name or '}' in JSON at position 1"."""
    start = len(text) - len(text.lstrip(" \t\n\r"))
    if start < len(text) and text[start] not in "{[":
        raise BodyParserError(_unexpected_token(text, start))
    try:
        return json_values.loads(text, strict_numbers=True)
    except json_values.JsonError as error:
        position = error.position
        if position is None:  # nested too deeply: fakeauth's own limit
            raise BodyParserError(f"The body is {error}") from None
        raise BodyParserError(_v8_message(text, error.problem, position)) from None


def _v8_message(text: str, problem: str, position: int) -> str:
    at = f"in JSON at position {position}"
    if problem.startswith("Unterminated string"):
        return f"Unterminated string in JSON at position {len(text)}"
    if problem.startswith("Expecting value") and not text[position:].strip(" \t\n\r"):
        return "Unexpected end of JSON input"
    char = text[position : position + 1]
    if char == "-" and not text[position + 1 : position + 2].isdigit():
        return f"No number after minus sign in JSON at position {position + 1}"
    if char == "." and text[position - 1 : position].isdigit():
        return f"Unterminated fractional number in JSON at position {position + 1}"
    if char in ("e", "E") and text[position - 1 : position].isdigit():
        return f"Exponent part is missing a number in JSON at position {position + 1}"
    if char.isdigit() and problem.startswith("Expecting ','"):
        return f"Unexpected number {at}"
    if problem.startswith("Expecting property name"):
        if char == "}":
            return f"Expected double-quoted property name {at}"
        return f"Expected property name or '}}' {at}"
    if problem.startswith("Expecting ':'"):
        return f"Expected ':' after property name {at}"
    if problem.startswith("Expecting ','"):
        if _innermost(text, position) == "[":
            return f"Expected ',' or ']' after array element {at}"
        return f"Expected ',' or '}}' after property value {at}"
    if problem.startswith("Invalid control character"):
        return f"Bad control character in string literal {at}"
    if problem.startswith("Invalid \\u"):
        # V8 points at the first character that is not one of the four hex digits.
        end = position + 1
        while end < len(text) and end < position + 5 and text[end] in _HEX:
            end += 1
        return f"Bad Unicode escape in JSON at position {end}"
    if problem.startswith("Invalid \\escape"):
        return f"Bad escaped character in JSON at position {position + 1}"
    if problem.startswith("Extra data"):
        return f"Unexpected non-whitespace character after JSON at position {position}"
    return _unexpected_token(text, position)


def _unexpected_token(text: str, position: int) -> str:
    # V8 quotes the whole text when it is short, else ten characters each side.
    token = text[position]
    if len(text) <= 2 * _CONTEXT + 1:
        return f"Unexpected token '{token}', \"{text}\" is not valid JSON"
    before = "..." if position > _CONTEXT else ""
    after = "..." if position + _CONTEXT < len(text) else ""
    shown = text[max(0, position - _CONTEXT) : position + _CONTEXT]
    return f"Unexpected token '{token}', {before}\"{shown}\"{after} is not valid JSON"


def _innermost(text: str, position: int) -> str:
    """The bracket ("{" or "[") open at ``position``, skipping strings."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text[:position]:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append(char)
        elif char in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else "{"


def json_body(request: web.Request, raw: bytes) -> dict[str, Any]:
    """A REST body as a mapping of fields: ``{}`` when empty or not parsed (its Content-Type
    is neither JSON nor a form, as with the real service)."""
    body = parsed_body(request, raw)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise bad_request_message('The body must be a JSON object, e.g. {"email": "..."}.')
    return body
