"""What a request works on: the FakeAuth of its namespace, found from the request itself.

A request names its namespace by the path's ``/ns/{name}`` prefix or by the
``X-Fakeauth-Namespace`` header; with neither, it is the default namespace.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from aiohttp import web

from fakeauth.core.errors import nest_body
from fakeauth.core.fake import FakeAuth
from fakeauth.core.namespaces import (
    DEFAULT_NAME,
    BadNamespaceName,
    Namespaces,
    TooManyNamespaces,
    check_name,
)
from fakeauth.web.paths import GRAPHQL_PATH
from fakeauth.web.routes import route_path

FAKE = web.AppKey("fakeauth", FakeAuth)
NAMESPACES = web.AppKey("fakeauth-namespaces", Namespaces)
NAMESPACE_HEADER = "X-Fakeauth-Namespace"
# Chosen once per request: the pipeline and the handler ask for it in turn.
_CHOSEN = web.RequestKey("fakeauth-chosen", FakeAuth)
_NAME = web.RequestKey("fakeauth-namespace", str)


def fake_of(request: web.Request) -> FakeAuth:
    """The fake this request is answered by; HTTP 400 or 429 (as JSON) when there is none."""
    fake: FakeAuth | None = request.get(_CHOSEN)
    if fake is None:
        name = namespace_of(request)
        namespaces = request.app[NAMESPACES]
        try:
            fake = namespaces.default if name == DEFAULT_NAME else namespaces.get(name)
        except TooManyNamespaces as error:
            raise _refusal(request, web.HTTPTooManyRequests, str(error)) from None
        request[_CHOSEN] = fake
    return fake


def namespace_of(request: web.Request) -> str:
    """The name of the request's namespace ("default" when it names none); HTTP 400 when
    the name breaks the rule, or the prefix and the header name different ones."""
    if _NAME in request:
        return request[_NAME]
    in_path = request.match_info.get("namespace")
    in_header = request.headers.get(NAMESPACE_HEADER)
    if in_path is not None and in_header is not None and in_path != in_header:
        raise _refusal(
            request,
            web.HTTPBadRequest,
            f"the path names namespace {in_path!r} and the {NAMESPACE_HEADER} header names"
            f" {in_header!r}: give one of them, or the same name in both",
        )
    name = in_path if in_path is not None else in_header
    try:
        name = DEFAULT_NAME if name is None else check_name(name)
    except BadNamespaceName as error:
        raise _refusal(request, web.HTTPBadRequest, str(error)) from None
    request[_NAME] = name
    return name


def _refusal(
    request: web.Request, kind: type[web.HTTPException], message: str
) -> web.HTTPException:
    # In the shape the client of that path reads: Apollo's on /graphql, NestJS's elsewhere.
    if route_path(request) == GRAPHQL_PATH:
        code = HTTPStatus(kind.status_code).name
        body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    else:
        body = nest_body(kind.status_code, message)
    return kind(text=json.dumps(body), content_type="application/json")
