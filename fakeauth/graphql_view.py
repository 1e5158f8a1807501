"""The GraphQL endpoint over HTTP: POST and GET as Apollo Server 4 takes them."""

from __future__ import annotations

import asyncio
import json
from functools import cache
from typing import Any

from aiohttp import web

from fakeauth.engine import Engine, Outcome, RequestError
from fakeauth.faults import intercept
from fakeauth.schema import Context
from fakeauth.service import FakeAuth


class GraphQLView:
    """Answers /graphql for one FakeAuth."""

    def __init__(self, fake: FakeAuth, engine: Engine) -> None:
        self.fake = fake
        self.engine = engine
        self.latency = fake.config.latency

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method == "GET" and "query" not in request.query and _wants_html(request):
            return web.Response(text=_ide_html(), content_type="text/html")
        outcome = await self.run(request)
        if self.latency:
            await asyncio.sleep(self.latency)
        return json_response(outcome.body, outcome.status, outcome_headers(outcome))

    async def run(self, request: web.Request) -> Outcome:
        """Read, prepare and execute one request; every failure becomes an Outcome."""
        log = self.fake.requests
        authorization = request.headers.get("Authorization")
        size = request.content_length
        query: str | None = None
        variables: dict[str, Any] | None = None
        try:
            query, variables, operation_name = await read_request(request)
            operation = self.engine.prepare(query, operation_name)
            if request.method == "GET" and not operation.is_query:
                raise RequestError.bad_request(
                    "GET requests only support query operations, not mutation operations",
                    status=405,
                    Allow="POST",
                )
        except RequestError as error:
            log.add(None, query, variables, authorization, [error.code], size)
            return Outcome(error.status, error.body, None, [error.code], error.headers)
        if self.fake.faults:
            faulted = await intercept(self.fake.faults, request, operation)
            if faulted is not None:
                log.add(operation, query, variables, authorization, faulted.error_codes, size)
                return faulted
        context = Context(self.fake.auth, authorization, accounts=self.fake.accounts)
        result = self.engine.execute(operation, variables, context)
        outcome = result if isinstance(result, Outcome) else await result
        log.add(operation, query, variables, authorization, outcome.error_codes, size)
        return outcome


async def read_request(request: web.Request) -> tuple[str, dict[str, Any] | None, str | None]:
    """Query, variables and operation name of a GraphQL request, or RequestError."""
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query)
        for key in ("variables", "extensions"):
            if key in params:
                params[key] = _json_param(params[key], key)
    else:
        params = await _json_body(request)
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


async def _json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    # Apollo answers all three cases with its one message; saying which one it is
    # tells the developer what to fix.
    if not _is_json(request.content_type):
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


_NO_BODY = "POST body missing, invalid Content-Type, or JSON object has no keys."


def _json_param(value: str, name: str) -> Any:
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise RequestError.bad_request(
            f"`{name}` in a GET request must be a JSON-encoded object."
        ) from None


def _is_json(content_type: str) -> bool:
    return content_type == "application/json"


def _wants_html(request: web.Request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


@cache
def _ide_html() -> str:
    # Imported on first use: most servers never show the IDE.
    from fakeauth.ide import graphiql_html

    return graphiql_html()


def outcome_headers(outcome: Outcome) -> dict[str, str] | None:
    return outcome.headers or None


# One encoder for every answer: json.dumps with options builds a new one per call.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=_COMPACT_JSON.encode(body).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )
