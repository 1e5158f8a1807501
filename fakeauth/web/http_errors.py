"""aiohttp's own HTTP errors (404, 405, 413, ...) as JSON in the real service's shapes.

On /graphql a client reads Apollo's ``{"errors": [...]}``; elsewhere NestJS's
``{"message", "error", "statusCode"}``, as the real service answers unknown routes.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler

from fakeauth.core.errors import nest_body
from fakeauth.web.limits import MAX_BODY_BYTES
from fakeauth.web.paths import GRAPHQL_PATH
from fakeauth.web.responses import json_response
from fakeauth.web.routes import unprefixed

log = logging.getLogger("fakeauth")


@web.middleware
async def json_errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400 or error.content_type == "application/json":
            raise
        return json_error(request, error)
    except Exception:
        # A bug of fakeauth: its traceback goes to the log once, never into the answer.
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return unexpected_error(request)


def unexpected_error(request: web.Request) -> web.Response:
    """A 500 in the shape of the API asked: Apollo's on GraphQL, NestJS's elsewhere."""
    if _is_graphql(request):
        errors = [
            {"message": "Internal server error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ]
        return json_response({"errors": errors}, 500)
    return json_response(nest_body(500, "Internal server error", phrase=False), 500)


def _is_graphql(request: web.Request) -> bool:
    return unprefixed(request.path) == GRAPHQL_PATH


def json_error(request: web.Request, error: web.HTTPException) -> web.Response:
    message = _message(request, error)
    body: dict[str, Any]
    if _is_graphql(request):
        body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    else:
        body = nest_body(error.status, message)
    headers = {
        name: value
        for name, value in error.headers.items()
        if name.lower() not in ("content-type", "content-length")
    }
    return json_response(body, error.status, headers)


def _message(request: web.Request, error: web.HTTPException) -> str:
    if isinstance(error, web.HTTPRequestEntityTooLarge):
        return (
            f"Request body is larger than {MAX_BODY_BYTES} bytes (1 MiB); send a smaller request."
        )
    if isinstance(error, web.HTTPMethodNotAllowed) and _is_graphql(request):
        return "Apollo Server supports only GET/POST requests."
    if isinstance(error, web.HTTPNotFound):
        return f"Cannot {request.method} {request.path}"
    # fakeauth's own raise sites give a text; aiohttp's default is "400: Bad Request".
    default = f"{error.status}: {error.reason}"
    return error.reason if error.text in (None, default) else str(error.text)


class _ProtocolErrorFilter(logging.Filter):
    # aiohttp answers a request it cannot parse (a header over the limit, a broken
    # request line) with a 400 of its own, and logs a traceback for it: hostile input
    # is not a bug of fakeauth, so one line says enough.
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.msg = "refused a malformed request from %s: %s"
            remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.args = (remote, error.message)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_FILTER = _ProtocolErrorFilter()


def quiet_protocol_errors() -> None:
    """Log requests that aiohttp cannot parse as one warning line, without a traceback."""
    logger = logging.getLogger("aiohttp.server")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
