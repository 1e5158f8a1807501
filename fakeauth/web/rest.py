"""The REST twin of the GraphQL API under /api/v1, as the real service answers it.

Thin handlers over the same rules and the same FakeAuth, so users, tokens and the
clock are shared with /graphql. Routes come from the operations table; the pipeline
gives them the log, faults and ``--latency``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web

from fakeauth.core import errors
from fakeauth.core.errors import ApiError, bad_request, bad_request_message, nest_body, not_found
from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import Fault
from fakeauth.core.operations import OPERATIONS, REST_PREFIX
from fakeauth.core.tokens import TokenPair
from fakeauth.web import pipeline
from fakeauth.web.pipeline import Call, Reply
from fakeauth.web.rest_catalog import CatalogRest

# What a handler gets: the request and its body's bytes; it returns the JSON to answer.
RestHandler = Callable[[web.Request, bytes], Any]


def rest_routes(fake: FakeAuth) -> list[web.RouteDef]:
    """One route per row of the operations table, then Nest's 404 for everything else."""
    api = RestApi(fake)
    routes = [
        web.route(
            operation.method,
            operation.route,
            pipeline.handler(
                fake,
                "rest",
                _prepare(operation.field, api.handlers[operation.field], operation.status),
            ),
        )
        for operation in OPERATIONS
    ]
    # Last, so that it also takes a known path with another method, as Nest does.
    routes.append(
        web.route("*", REST_PREFIX + "/{tail:.*}", pipeline.handler(fake, "rest", _no_route))
    )
    return routes


def _prepare(field: str, handle: RestHandler, status: int) -> pipeline.Prepare:
    def prepare(request: web.Request, raw: bytes) -> Call:
        async def answer() -> Reply:
            try:
                return Reply(status, handle(request, raw))
            except ApiError as error:
                return Reply(error.status, error.original, error.code)

        def fault_reply(fault: Fault) -> Reply:
            assert fault.error is not None
            failed, body = rest_error(fault.error, field, fault.message)
            return Reply(failed, body, fault.error)

        return Call(fields=(field,), answer=answer, fault_reply=fault_reply, operation=field)

    return prepare


def _no_route(request: web.Request, raw: bytes) -> Call:
    error = not_found(f"Cannot {request.method} {request.path}")
    return Call(refused=Reply(error.status, error.original, error.code))


def rest_error(code: str, field: str, message: str | None) -> tuple[int, dict[str, Any]]:
    """Status and body of a REST request failed with ``code``, as the NestJS service answers.

    The codes it uses give its own body (the ``originalError`` of the GraphQL answer);
    a code that names an HTTP error status (``TOO_MANY_REQUESTS``) gives that status;
    any other code, like ``INTERNAL_SERVER_ERROR``, Nest's answer to an unhandled error.
    ``message``, when given, replaces the body's text.
    """
    real = errors.for_code(code, field, message)
    if real is not None:
        body = real.original
        if message is not None and isinstance(body["message"], str):
            body = {**body, "message": message}
        return real.status, body
    status = HTTPStatus.__members__.get(code)
    if status is None or status < 400 or status == HTTPStatus.INTERNAL_SERVER_ERROR:
        return 500, nest_body(500, message or "Internal server error", phrase=False)
    return status.value, nest_body(status.value, message or status.phrase, phrase=False)


class RestApi:
    """The handlers of /api/v1 for one FakeAuth, by the root field each mirrors."""

    def __init__(self, fake: FakeAuth) -> None:
        self.fake = fake
        self.handlers: dict[str, RestHandler] = {
            "login": self.login,
            "myProfile": self.profile,
            "refreshToken": self.refresh,
            "users": self.users,
            "addUser": self.add_user,
            "isAvailable": self.is_available,
            "user": self.user,
            "updateUser": self.update_user,
            "deleteUser": self.delete_user,
        }
        self.handlers.update(CatalogRest(fake, read_body).handlers)

    def login(self, request: web.Request, raw: bytes) -> Any:
        body = read_body(raw)
        email, password = body.get("email"), body.get("password")
        # Passport's local strategy refuses missing or non-string fields as a failed login.
        if not isinstance(email, str) or not isinstance(password, str):
            email = password = ""
        return _pair(self.fake.auth.login(email, password))

    def profile(self, request: web.Request, raw: bytes) -> Any:
        return self.fake.auth.profile(request.headers.get("Authorization")).to_json()

    def refresh(self, request: web.Request, raw: bytes) -> Any:
        token = read_body(raw).get("refreshToken")
        problems = []
        if not isinstance(token, str):
            problems.append("refreshToken must be a string")
        if token is None or token == "":
            problems.append("refreshToken should not be empty")
        if problems:
            raise bad_request(problems)
        assert isinstance(token, str)
        return _pair(self.fake.auth.refresh(token))

    def users(self, request: web.Request, raw: bytes) -> Any:
        limit = request.query.get("limit")
        return [user.to_json() for user in self.fake.accounts.users(limit or None)]

    def user(self, request: web.Request, raw: bytes) -> Any:
        return self.fake.accounts.get(request.match_info["id"]).to_json()

    def is_available(self, request: web.Request, raw: bytes) -> Any:
        email = read_body(raw).get("email")
        if not isinstance(email, str):
            raise bad_request(["email must be a string"])
        return {"isAvailable": self.fake.accounts.is_available(email)}

    def add_user(self, request: web.Request, raw: bytes) -> Any:
        return self.fake.accounts.add(read_body(raw)).to_json()

    def update_user(self, request: web.Request, raw: bytes) -> Any:
        return self.fake.accounts.update(request.match_info["id"], read_body(raw)).to_json()

    def delete_user(self, request: web.Request, raw: bytes) -> Any:
        return self.fake.accounts.delete(request.match_info["id"])


def read_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a request body; an empty body counts as ``{}``, as in Nest."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request_message(
            f"The body is not valid JSON ({error}); send a JSON object."
        ) from None
    if not isinstance(body, dict):
        raise bad_request_message('The body must be a JSON object, e.g. {"email": "..."}.')
    return body


def _pair(pair: TokenPair) -> dict[str, str]:
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token}
