"""The REST twin of the GraphQL API under /api/v1, as the real service answers it.

Thin handlers over the same rules (auth.py, accounts.py) and the same FakeAuth,
so users, tokens and the clock are shared with /graphql. One hook around them
(``RestApi.answer``) gives REST the testing toolkit GraphQL has: the request log,
faults and ``--latency``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from fakeauth.errors import ApiError, bad_request, bad_request_message, not_found
from fakeauth.faults import NETWORK, befall, rest_error
from fakeauth.graphql_view import json_response
from fakeauth.service import FakeAuth
from fakeauth.tokens import TokenPair

PREFIX = "/api/v1"

Handler = Callable[[web.Request], Awaitable[Any]]


class RestApi:
    """Answers /api/v1 for one FakeAuth."""

    def __init__(self, fake: FakeAuth) -> None:
        self.fake = fake
        self.latency = fake.config.latency

    def routes(self) -> list[web.RouteDef]:
        # Each route names the GraphQL root field it mirrors: one vocabulary for the
        # request log and faults. Nest answers every POST with 201, logins included.
        answer = self.answer
        return [
            web.post(f"{PREFIX}/auth/login", answer("login", self.login, 201)),
            web.get(f"{PREFIX}/auth/profile", answer("myProfile", self.profile), allow_head=False),
            web.post(f"{PREFIX}/auth/refresh-token", answer("refreshToken", self.refresh, 201)),
            web.get(f"{PREFIX}/users", answer("users", self.users), allow_head=False),
            web.post(f"{PREFIX}/users", answer("addUser", self.add_user, 201)),
            web.post(f"{PREFIX}/users/is-available", answer("isAvailable", self.is_available, 201)),
            web.get(f"{PREFIX}/users/{{id}}", answer("user", self.user), allow_head=False),
            web.put(f"{PREFIX}/users/{{id}}", answer("updateUser", self.update_user)),
            web.delete(f"{PREFIX}/users/{{id}}", answer("deleteUser", self.delete_user)),
            # Last, so that it also takes a known path with another method, as Nest does.
            web.route("*", PREFIX + "/{tail:.*}", answer(None, _no_route)),
        ]

    def answer(
        self, operation: str | None, handler: Handler, status: int = 200
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        """``handler`` answering with ``status``, its ApiErrors in Nest's shape, the request
        logged, a pending fault for ``operation`` applied and ``--latency`` waited."""
        fields = () if operation is None else (operation,)
        fake = self.fake

        async def handle(request: web.Request) -> web.Response:
            raw = b""
            try:
                raw = await request.read()  # cached: the handler reads the same bytes
                fault = (
                    await befall(fake.faults, request, fields) if fields and fake.faults else None
                )
                if fault is not None and fault.error == NETWORK:
                    response, outcome = web.Response(), NETWORK
                elif fault is not None and fault.error is not None:
                    failed, body = rest_error(fault.error, operation or "", fault.message)
                    response, outcome = json_response(body, failed), fault.error
                else:
                    response, outcome = json_response(await handler(request), status), "ok"
            except ApiError as error:
                response, outcome = json_response(error.original, error.status), error.code
            except web.HTTPException as error:  # aiohttp's own, such as a body over the limit
                code = error.reason.upper().replace(" ", "_")
                self._log(request, operation, raw, code, error.status)
                raise
            self._log(
                request, operation, raw, outcome, None if outcome == NETWORK else response.status
            )
            if self.latency:
                await asyncio.sleep(self.latency)
            return response

        return handle

    def _log(
        self,
        request: web.Request,
        operation: str | None,
        raw: bytes,
        outcome: str,
        status: int | None,
    ) -> None:
        authorization = request.headers.get("Authorization")
        self.fake.requests.add_rest(
            operation, request.method, request.path_qs, raw, authorization, outcome, status
        )

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


async def _no_route(request: web.Request) -> Any:
    raise not_found(f"Cannot {request.method} {request.path}")
