"""The REST twin of the GraphQL API under /api/v1, as the real service answers it.

Thin handlers over the same rules (auth.py, accounts.py) and the same FakeAuth,
so users, tokens and the clock are shared with /graphql.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from fakeauth.errors import ApiError, bad_request, bad_request_message
from fakeauth.graphql_view import json_response
from fakeauth.service import FakeAuth
from fakeauth.tokens import TokenPair

PREFIX = "/api/v1"

Handler = Callable[[web.Request], Awaitable[Any]]


class RestApi:
    """Answers /api/v1 for one FakeAuth."""

    def __init__(self, fake: FakeAuth) -> None:
        self.fake = fake

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post(f"{PREFIX}/auth/login", _created(self.login)),
            web.get(f"{PREFIX}/auth/profile", _ok(self.profile), allow_head=False),
            web.post(f"{PREFIX}/auth/refresh-token", _created(self.refresh)),
            web.get(f"{PREFIX}/users", _ok(self.users), allow_head=False),
            web.post(f"{PREFIX}/users", _created(self.add_user)),
            web.post(f"{PREFIX}/users/is-available", _created(self.is_available)),
            web.get(f"{PREFIX}/users/{{id}}", _ok(self.user), allow_head=False),
            web.put(f"{PREFIX}/users/{{id}}", _ok(self.update_user)),
            web.delete(f"{PREFIX}/users/{{id}}", _ok(self.delete_user)),
            # Last, so that it also takes a known path with another method, as Nest does.
            web.route("*", PREFIX + "/{tail:.*}", _no_route),
        ]

    async def login(self, request: web.Request) -> Any:
        body = await read_body(request)
        email, password = body.get("email"), body.get("password")
        # Passport's local strategy refuses missing or non-string fields as a failed login.
        if not isinstance(email, str) or not isinstance(password, str):
            email = password = ""
        return _pair(self.fake.auth.login(email, password))

    async def profile(self, request: web.Request) -> Any:
        return self.fake.auth.profile(request.headers.get("Authorization")).to_json()

    async def refresh(self, request: web.Request) -> Any:
        token = (await read_body(request)).get("refreshToken")
        problems = []
        if not isinstance(token, str):
            problems.append("refreshToken must be a string")
        if token is None or token == "":
            problems.append("refreshToken should not be empty")
        if problems:
            raise bad_request(problems)
        assert isinstance(token, str)
        return _pair(self.fake.auth.refresh(token))

    async def users(self, request: web.Request) -> Any:
        limit = request.query.get("limit")
        return [user.to_json() for user in self.fake.accounts.users(limit or None)]

    async def user(self, request: web.Request) -> Any:
        return self.fake.accounts.get(request.match_info["id"]).to_json()

    async def is_available(self, request: web.Request) -> Any:
        email = (await read_body(request)).get("email")
        if not isinstance(email, str):
            raise bad_request(["email must be a string"])
        return {"isAvailable": self.fake.accounts.is_available(email)}

    async def add_user(self, request: web.Request) -> Any:
        return self.fake.accounts.add(await read_body(request)).to_json()

    async def update_user(self, request: web.Request) -> Any:
        changes = await read_body(request)
        return self.fake.accounts.update(request.match_info["id"], changes).to_json()

    async def delete_user(self, request: web.Request) -> Any:
        return self.fake.accounts.delete(request.match_info["id"])


async def read_body(request: web.Request) -> dict[str, Any]:
    """The JSON object of a request; an empty body counts as ``{}``, as in Nest."""
    raw = await request.read()
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


def _answer(status: int, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        try:
            return json_response(await handler(request), status)
        except ApiError as error:
            return json_response(error.original, error.status)

    return handle


def _ok(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    return _answer(200, handler)


def _created(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    # Nest answers every POST with 201 unless told otherwise, logins included.
    return _answer(201, handler)


async def _no_route(request: web.Request) -> web.Response:
    message = f"Cannot {request.method} {request.path}"
    return json_response({"message": message, "error": "Not Found", "statusCode": 404}, 404)
