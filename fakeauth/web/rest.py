"""The REST twin of the GraphQL API under /api/v1, as the real service answers it.

Thin handlers over the same rules and the same FakeAuth, so users, tokens and the
clock are shared with /graphql. Routes come from the operations table; the pipeline
gives them the log, faults and ``--latency``.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web

from fakeauth.core import errors
from fakeauth.core import validation as v
from fakeauth.core.accounts import parse_id
from fakeauth.core.clock import format_instant
from fakeauth.core.errors import ApiError, DatabaseError, bad_request, nest_body, not_found
from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import Fault
from fakeauth.core.operations import OPERATIONS, REST_PREFIX
from fakeauth.core.tokens import TokenPair
from fakeauth.core.users import API_FIELDS
from fakeauth.web import pipeline
from fakeauth.web.bodies import json_body
from fakeauth.web.pipeline import Call, Reply
from fakeauth.web.rest_catalog import CATALOG_HANDLERS

# What a handler gets: the fake, the request and its body's bytes; it returns the JSON
# to answer, or raises the real service's ApiError.
RestHandler = Callable[[FakeAuth, web.Request, bytes], Any]


def rest_routes() -> list[web.RouteDef]:
    """One route per row of the operations table, then Nest's 404 for everything else."""
    routes = [
        web.route(
            operation.method,
            operation.route,
            pipeline.handler(
                "rest", _prepare(operation.field, HANDLERS[operation.field], operation.status)
            ),
        )
        for operation in OPERATIONS
    ]
    # Last, so that it also takes a known path with another method, as Nest does.
    routes.append(web.route("*", REST_PREFIX + "/{tail:.*}", pipeline.handler("rest", _no_route)))
    return routes


def _prepare(field: str, handle: RestHandler, status: int) -> pipeline.Prepare:
    def prepare(fake: FakeAuth, request: web.Request, raw: bytes) -> Call:
        async def answer() -> Reply:
            try:
                return _answered(handle(fake, request, raw), status, request.method)
            except DatabaseError as error:
                now = format_instant(fake.clock.timestamp())
                body = error.rest_body(request.raw_path, now)
                return Reply(400, body, error.code, reason=error.reason or error.message)
            except ApiError as error:
                return Reply(error.status, error.original, error.code, reason=error.reason)

        def fault_reply(fault: Fault) -> Reply:
            assert fault.error is not None
            failed, body = rest_error(fault.error, field, fault.message)
            return Reply(failed, body, fault.error)

        return Call(fields=(field,), answer=answer, fault_reply=fault_reply, operation=field)

    return prepare


def _answered(body: Any, status: int, method: str) -> Reply:
    # Nest sends a DELETE's bare `true` as text/html, as Express's res.send does.
    content_type = "text/html" if method == "DELETE" else "application/json"
    return Reply(status, body, content_type=content_type)


def _no_route(fake: FakeAuth, request: web.Request, raw: bytes) -> Call:
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


def login(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    body = json_body(request, raw)
    email, password = body.get("email"), body.get("password")
    # Passport's local strategy refuses missing or non-string fields as a failed login.
    if not isinstance(email, str) or not isinstance(password, str):
        email = password = ""
    return _pair(fake.auth.login(email, password))


def profile(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.auth.profile(request.headers.get("Authorization")).to_json()


def refresh(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    body = v.implicit_conversion(json_body(request, raw), strings=("refreshToken",))
    problems = v.problems(body, REFRESH_TOKEN_DTO)
    if problems:
        raise bad_request(problems)
    # A number was made a string ("5"), which no secret signed: "Invalid", as the real one.
    return _pair(fake.auth.refresh(body["refreshToken"]))


def users(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    limit = request.query.get("limit")
    return [user.to_json() for user in fake.accounts.users(v.js_number(limit))]


def user(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.accounts.get(request.match_info["id"]).to_json()


def is_available(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    email = v.js_string(json_body(request, raw).get("email"))
    return {"isAvailable": fake.accounts.is_available(email)}


def add_user(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.accounts.add(_user_fields(request, raw)).to_json()


def update_user(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    user_id = parse_id(request.match_info["id"])  # ParseIntPipe runs before the body's rules
    return fake.accounts.update(user_id, _user_fields(request, raw)).to_json()


def _user_fields(request: web.Request, raw: bytes) -> dict[str, Any]:
    # The DTO's fields only (others are dropped), numbers and booleans made strings.
    return v.implicit_conversion(json_body(request, raw), strings=API_FIELDS)


def delete_user(fake: FakeAuth, request: web.Request, raw: bytes) -> Any:
    return fake.accounts.delete(request.match_info["id"])


# RefreshTokenDto: `@IsString() @IsNotEmpty() refreshToken`, reported bottom up.
REFRESH_TOKEN_DTO: v.Dto = {"refreshToken": (v.NOT_EMPTY, v.IS_STRING)}

# The handler of each operation, by the root field it mirrors.
HANDLERS: dict[str, RestHandler] = {
    "login": login,
    "myProfile": profile,
    "refreshToken": refresh,
    "users": users,
    "addUser": add_user,
    "isAvailable": is_available,
    "user": user,
    "updateUser": update_user,
    "deleteUser": delete_user,
    **CATALOG_HANDLERS,
}


def _pair(pair: TokenPair) -> dict[str, str]:
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token}
