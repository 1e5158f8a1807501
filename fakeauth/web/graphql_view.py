"""The GraphQL endpoint over HTTP: POST and GET as Apollo Server 4 takes them."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from fakeauth.core import json_values
from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import Fault
from fakeauth.gql.answers import CatalogAnswers
from fakeauth.gql.engine import Engine, Outcome, RequestError, fault_outcome
from fakeauth.gql.schema import Context
from fakeauth.web import pipeline
from fakeauth.web.bodies import BodyParserError, parsed_body
from fakeauth.web.ide import graphiql_html
from fakeauth.web.pipeline import Call, Reply
from fakeauth.web.state import fake_of
from fakeauth.web.urls import public_base


def graphql_handler(engine: Engine) -> Handler:
    """The handler of /graphql: GraphiQL for a browser, else the API."""
    answers = CatalogAnswers(engine)
    api = pipeline.handler(
        "graphql", lambda fake, request, raw: _call(engine, answers, fake, request, raw)
    )

    async def handle(request: web.Request) -> web.StreamResponse:
        fake_of(request)  # a bad or conflicting namespace is refused before anything else
        if request.method == "GET" and "query" not in request.query and _wants_html(request):
            return web.Response(text=graphiql_html(), content_type="text/html")
        return await api(request)

    return handle


def _call(
    engine: Engine, answers: CatalogAnswers, fake: FakeAuth, request: web.Request, raw: bytes
) -> Call:
    media = _media_type(request)
    query: str | None = None
    variables: dict[str, Any] | None = None
    try:
        if media is None:
            raise RequestError.bad_request(_NOT_ACCEPTABLE, status=406)
        query, variables, operation_name = read_request(request, raw)
        operation = engine.prepare(query, operation_name)
        if request.method == "GET" and not operation.is_query:
            raise RequestError.bad_request(
                "GET requests only support query operations, not mutation operations",
                status=405,
                Allow="POST",
            )
    except BodyParserError as error:
        # Express's parser refuses it before Apollo: NestJS's shape, not GraphQL's.
        reason = f"the body is not JSON: {error.message}"
        return Call(refused=Reply(error.status, error.original, error.code, reason=reason))
    except RequestError as error:
        outcome = Outcome(
            error.status, error.body, None, [error.code], error.headers, reason=error.reason
        )
        return Call(refused=_reply(outcome, media), query=query, variables=variables)
    context = Context(fake, request.headers.get("Authorization"), public_base(request))

    async def answer() -> Reply:
        return _reply(answers.execute(query, operation, variables, context), media)

    def fault_reply(fault: Fault) -> Reply:
        return _reply(fault_outcome(operation, fault), media)

    return Call(
        fields=operation.root_fields,
        answer=answer,
        fault_reply=fault_reply,
        operation=operation.name,
        query=operation.masked_query,
        variables=variables,
        password_variables=operation.password_variables,
    )


def _reply(outcome: Outcome, media: str | None) -> Reply:
    codes = outcome.error_codes
    return Reply(
        outcome.status,
        outcome.body,
        codes[0] if codes else "ok",
        {**outcome.headers, "Cache-Control": "no-store"},
        content_type=media or APPLICATION_JSON,
        # Apollo ends each answer with a line break.
        suffix=b"\n",
        reason=outcome.reason,
    )


APPLICATION_JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
_NOT_ACCEPTABLE = (
    "An 'accept' header was provided for this request which does not accept"
    " application/json; charset=utf-8 or application/graphql-response+json; charset=utf-8"
)
_NON_PREFLIGHTED = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
_PREFLIGHT_HEADERS = ("x-apollo-operation-name", "apollo-require-preflight")
_CSRF = (
    "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF)."
    " Please either specify a 'content-type' header (with a type that is not one of"
    f" {', '.join(_NON_PREFLIGHTED)}) or provide a non-empty value for one of the"
    f" following headers: {', '.join(_PREFLIGHT_HEADERS)}\n"
)
_NO_BODY = "POST body missing, invalid Content-Type, or JSON object has no keys."


def _media_type(request: web.Request) -> str | None:
    """The answer's media type by the Accept header, as Apollo negotiates it (None: 406)."""
    accept = request.headers.get("Accept")
    if not accept:
        return APPLICATION_JSON
    best: dict[str, float] = {APPLICATION_JSON: 0.0, GRAPHQL_RESPONSE_JSON: 0.0}
    for part in accept.split(","):
        kind, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        kind = kind.strip().lower()
        for media in best:
            if kind in (media, "*/*", media.split("/")[0] + "/*"):
                best[media] = max(best[media], quality)
    if best[GRAPHQL_RESPONSE_JSON] > best[APPLICATION_JSON]:
        return GRAPHQL_RESPONSE_JSON
    return APPLICATION_JSON if best[APPLICATION_JSON] > 0 else None


def _refuse_csrf(request: web.Request) -> None:
    """Apollo's CSRF prevention: a request a plain form or <img> could send needs a
    preflighted Content-Type or one of Apollo's headers."""
    given = request.headers.get("Content-Type")
    if given is not None and request.content_type not in _NON_PREFLIGHTED:
        return
    if any(request.headers.get(name) for name in _PREFLIGHT_HEADERS):
        return
    raise RequestError.bad_request(
        _CSRF,
        reason="blocked by Apollo's CSRF prevention: send Content-Type: application/json"
        " (a GET: the header Apollo-Require-Preflight: true)",
    )


def read_request(request: web.Request, raw: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    """Query, variables and operation name of a GraphQL request, checked in Apollo's order;
    BodyParserError or RequestError when it cannot run."""
    body = parsed_body(request, raw) if request.method == "POST" else None
    _refuse_csrf(request)
    params = _get_params(request) if request.method == "GET" else _post_params(body)
    query, variables, operation_name = params
    if not query:
        raise RequestError.bad_request(
            "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension."
        )
    return query, variables, operation_name


def _post_params(body: Any) -> tuple[str | None, dict[str, Any] | None, str | None]:
    if isinstance(body, list):
        raise RequestError.bad_request("Operation batching disabled.")
    if not isinstance(body, dict) or not body:
        raise RequestError.bad_request(
            _NO_BODY, reason='no GraphQL request in the body: send {"query": ...} as JSON'
        )
    query = body.get("query")
    if _truthy(query) and not isinstance(query, str):
        raise RequestError.bad_request("GraphQL queries must be strings.")
    for key in ("variables", "extensions"):
        value = body.get(key)
        if isinstance(value, str):
            raise RequestError.bad_request(
                f"`{key}` in a POST body should be provided as an object,"
                " not a recursively JSON-encoded string."
            )
        if value is not None and not isinstance(value, dict):
            raise RequestError.bad_request(f"`{key}` in a POST body must be an object if provided.")
    name = body.get("operationName")
    if name is not None and not isinstance(name, str):
        raise RequestError.bad_request(
            "`operationName` in a POST body must be a string if provided."
        )
    return query if isinstance(query, str) else None, body.get("variables"), name or None


def _truthy(value: Any) -> bool:
    """JavaScript's truthiness, which Apollo's checks rely on: [] and {} are true."""
    if value is None or value is False or value == "":
        return False
    return not (isinstance(value, int | float) and value == 0)


def _get_params(request: web.Request) -> tuple[str | None, dict[str, Any] | None, str | None]:
    if request.headers.get("Content-Type") is not None and request.content_type != APPLICATION_JSON:
        raise RequestError.bad_request(
            "GET requests may not have a content-type header other than application/json.",
            status=415,
        )
    found: dict[str, str | None] = {}
    for key in ("query", "operationName", "variables", "extensions"):
        values = request.query.getall(key, [])
        if len(values) > 1:
            raise RequestError.bad_request(
                f"The '{key}' search parameter may only be specified once."
            )
        found[key] = values[0] if values else None
    _json_param(found["extensions"], "extensions")
    variables = _json_param(found["variables"], "variables")
    return found["query"], variables, found["operationName"] or None


def _json_param(value: str | None, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        parsed = json_values.loads(value)
    except json_values.JsonError:
        raise RequestError.bad_request(
            f"The {name} search parameter contains invalid JSON."
        ) from None
    if not isinstance(parsed, dict):
        raise RequestError.bad_request(
            f"The {name} search parameter should contain a JSON-encoded object."
        )
    return parsed


def _wants_html(request: web.Request) -> bool:
    return "text/html" in request.headers.get("Accept", "")
