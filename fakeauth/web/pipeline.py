"""The one pipeline every GraphQL and REST request goes through.

Each API turns a request into a Call (what it asks for, and how to answer it); the
pipeline applies a pending fault (delay, dropped connection or error), records the one
log entry, and waits ``--latency``. A new operation or API gets all of that by making
Calls, with no code of its own for it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import NETWORK, Fault
from fakeauth.web.bodies import read_body
from fakeauth.web.responses import json_response
from fakeauth.web.routes import unprefixed
from fakeauth.web.state import fake_of, namespace_of


@dataclass(slots=True)
class Reply:
    """An answer to send: status, JSON body, and the outcome the log records."""

    status: int
    body: Any
    outcome: str = "ok"
    headers: dict[str, str] | None = None
    content_type: str = "application/json"
    suffix: bytes = b""
    # Why it failed, in plain words: for the request log and --log-requests only.
    reason: str | None = None


def _unfaultable(fault: Fault) -> Reply:
    raise AssertionError("a call without root fields is never faulted")


@dataclass(slots=True)
class Call:
    """One request as an API understood it.

    ``answer`` computes the reply; a request refused before that (a syntax error, say)
    gives ``refused`` instead and has no ``fields``, so no fault applies to it.
    """

    fields: tuple[str, ...] = ()
    answer: Callable[[], Awaitable[Reply]] | None = None
    fault_reply: Callable[[Fault], Reply] = _unfaultable
    refused: Reply | None = None
    # For the log only.
    operation: str | None = None
    query: str | None = None
    variables: dict[str, Any] | None = None
    password_variables: frozenset[str] = field(default_factory=frozenset)


Prepare = Callable[[FakeAuth, web.Request, bytes], Call]


def handler(api: str, prepare: Prepare) -> Handler:
    """An aiohttp handler that runs ``prepare``'s Calls through the pipeline."""

    async def handle(request: web.Request) -> web.StreamResponse:
        fake = fake_of(request)
        try:
            raw = await read_body(request)
        except web.HTTPException as error:  # aiohttp's own, such as a body over the limit
            code = error.reason.upper().replace(" ", "_")
            _record(fake, request, api, Call(), b"", code, error.status, error.text)
            raise
        call = prepare(fake, request, raw)
        reply = await _reply(fake, request, call)
        if reply is None:
            reason = "connection dropped by a fault the test added"
            _record(fake, request, api, call, raw, NETWORK, None, reason)
            response = web.Response()
        else:
            _record(fake, request, api, call, raw, reply.outcome, reply.status, reply.reason)
            response = json_response(
                reply.body, reply.status, reply.headers, reply.content_type, reply.suffix
            )
        if fake.config.latency:
            await asyncio.sleep(fake.config.latency)
        return response

    return handle


async def _reply(fake: FakeAuth, request: web.Request, call: Call) -> Reply | None:
    """The reply to a call, or None when a fault dropped the connection."""
    if call.answer is None:
        assert call.refused is not None
        return call.refused
    fault = fake.faults.take(call.fields) if fake.faults else None
    if fault is None:
        return await call.answer()
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.error == NETWORK:
        if request.transport is not None:
            # Aborted, not closed: the client sees a reset rather than a polite end.
            request.transport.abort()
        return None
    if fault.error is None:
        return await call.answer()
    reply = call.fault_reply(fault)
    reply.reason = f"failed with {fault.error} by a fault the test added"
    return reply


def _record(
    fake: FakeAuth,
    request: web.Request,
    api: str,
    call: Call,
    raw: bytes,
    outcome: str,
    status: int | None = None,
    reason: str | None = None,
) -> None:
    authorization = request.headers.get("Authorization")
    entry = fake.log.record(
        api=api,
        method=request.method,
        # As the namespace sees it: the same whether a prefix or the header chose it.
        path=unprefixed(request.path_qs),
        operation=call.operation,
        fields=call.fields,
        query=call.query,
        variables=call.variables,
        password_variables=call.password_variables,
        body=raw,
        # Who the bearer is now, as the request is answered: not when the log is read.
        user=None if authorization is None else fake.auth.user_for_header(authorization),
        outcome=outcome,
        status=status,
        reason=None if outcome == "ok" else reason,
    )
    if fake.config.log_requests:
        print(entry.line(namespace_of(request)), file=sys.stderr, flush=True)
