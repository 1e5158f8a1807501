"""The GraphQL endpoint over HTTP: POST and GET as Apollo Server 4 takes them."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import Fault
from fakeauth.gql.engine import Engine, Outcome, RequestError, fault_outcome
from fakeauth.gql.schema import Context
from fakeauth.web import pipeline
from fakeauth.web.ide import graphiql_html
from fakeauth.web.pipeline import Call, Reply
from fakeauth.web.state import fake_of


def graphql_handler(engine: Engine) -> Handler:
    """The handler of /graphql: GraphiQL for a browser, else the API."""
    api = pipeline.handler("graphql", lambda fake, request, raw: _call(engine, fake, request, raw))

    async def handle(request: web.Request) -> web.StreamResponse:
        fake_of(request)  # a bad or conflicting namespace is refused before anything else
        if request.method == "GET" and "query" not in request.query and _wants_html(request):
            return web.Response(text=graphiql_html(), content_type="text/html")
        return await api(request)

    return handle


def _call(engine: Engine, fake: FakeAuth, request: web.Request, raw: bytes) -> Call:
    query: str | None = None
    variables: dict[str, Any] | None = None
    try:
        query, variables, operation_name = read_request(request, raw)
        operation = engine.prepare(query, operation_name)
        if request.method == "GET" and not operation.is_query:
            raise RequestError.bad_request(
                "GET requests only support query operations, not mutation operations",
                status=405,
                Allow="POST",
            )
    except RequestError as error:
        refused = Reply(error.status, error.body, error.code, error.headers or None)
        return Call(refused=refused, query=query, variables=variables)
    context = Context(fake, request.headers.get("Authorization"))

    async def answer() -> Reply:
        return _reply(engine.execute(operation, variables, context))

    def fault_reply(fault: Fault) -> Reply:
        return _reply(fault_outcome(operation, fault))

    return Call(
        fields=operation.root_fields,
        answer=answer,
        fault_reply=fault_reply,
        operation=operation.name,
        query=query,
        variables=variables,
        password_variables=operation.password_variables,
    )


def _reply(outcome: Outcome) -> Reply:
    codes = outcome.error_codes
    return Reply(outcome.status, outcome.body, codes[0] if codes else "ok", outcome.headers or None)


def read_request(request: web.Request, raw: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    """Query, variables and operation name of a GraphQL request, or RequestError."""
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query)
        for key in ("variables", "extensions"):
            if key in params:
                params[key] = _json_param(params[key], key)
    else:
        params = _json_body(request, raw)
    query = params.get("query")
    if not isinstance(query, str) or not query.strip():
        if query is None or query == "":
            raise RequestError.bad_request(
                "GraphQL operations must contain a non-empty `query`"
                " or a `persistedQuery` extension."
            )
        raise RequestError.bad_request("`query` must be a string.")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError.bad_request("`variables` must be an object.")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError.bad_request("`operationName` must be a string.")
    return query, variables, operation_name or None


_NO_BODY = "POST body missing, invalid Content-Type, or JSON object has no keys."


def _json_body(request: web.Request, raw: bytes) -> dict[str, Any]:
    # Apollo answers all three cases with its one message; saying which one it is
    # tells the developer what to fix.
    if request.content_type != "application/json":
        raise RequestError.bad_request(
            "POST body missing, invalid Content-Type, or JSON object has no keys:"
            f" send JSON with Content-Type: application/json, not {request.content_type!r}."
        )
    if not raw.strip():
        raise RequestError.bad_request(_NO_BODY)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise RequestError.bad_request(
            f"POST body missing, invalid Content-Type, or JSON object has no keys:"
            f" the body is not valid JSON ({reason})."
        ) from None
    if isinstance(body, list):
        raise RequestError.bad_request("Operation batching disabled.")
    if not isinstance(body, dict) or not body:
        raise RequestError.bad_request(_NO_BODY)
    return body


def _json_param(value: str, name: str) -> Any:
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise RequestError.bad_request(
            f"`{name}` in a GET request must be a JSON-encoded object."
        ) from None


def _wants_html(request: web.Request) -> bool:
    return "text/html" in request.headers.get("Accept", "")
