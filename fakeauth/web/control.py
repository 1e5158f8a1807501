"""The control API under /__fakeauth/: JSON over HTTP, so tests in any language drive the fake."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from fakeauth.core.clock import format_instant
from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import Fault
from fakeauth.core.users import UserConflict
from fakeauth.web.paths import CONTROL_PREFIX
from fakeauth.web.responses import json_response, nest_error


class Problem(Exception):
    """A control request that cannot be done; answered as NestJS shapes its errors."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self) -> web.Response:
        return nest_error(self.status, self.message)


def add_control_routes(app: web.Application, fake: FakeAuth) -> None:
    control = Control(fake)
    routes = [
        ("GET", "/clock", control.get_clock),
        ("PUT", "/clock", control.set_clock),
        ("POST", "/clock/advance", control.advance_clock),
        ("POST", "/reset", control.reset),
        ("GET", "/users", control.list_users),
        ("POST", "/users", control.add_user),
        ("GET", "/users/{id}", control.get_user),
        ("DELETE", "/users/{id}", control.remove_user),
        ("GET", "/requests", control.list_requests),
        ("DELETE", "/requests", control.clear_requests),
        ("GET", "/faults", control.list_faults),
        ("POST", "/faults", control.add_fault),
        ("DELETE", "/faults", control.clear_faults),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, CONTROL_PREFIX + path, _answering_problems(handler))


def _answering_problems(handler: Handler) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Problem as problem:
            return problem.response()

    return handle


class Control:
    """Handlers of the control API for one FakeAuth; the rules live in FakeAuth's parts."""

    def __init__(self, fake: FakeAuth) -> None:
        self.fake = fake

    def clock_json(self) -> dict[str, Any]:
        clock = self.fake.clock
        now = clock.timestamp()
        return {"now": format_instant(now), "timestamp": int(now), "frozen": clock.frozen}

    async def get_clock(self, request: web.Request) -> web.Response:
        return json_response(self.clock_json())

    async def set_clock(self, request: web.Request) -> web.Response:
        body = await _object(request, allowed=("now", "frozen"))
        frozen = body.get("frozen")
        if frozen is not None and not isinstance(frozen, bool):
            raise Problem(400, f"frozen must be true or false, not {json.dumps(frozen)}")
        now = body.get("now")
        if now is not None and (isinstance(now, bool) or not isinstance(now, str | int | float)):
            raise Problem(400, f"now must be an ISO 8601 string or Unix seconds, not {now!r}")
        with _as_problem():
            self.fake.clock.set(now, frozen=frozen)
        return json_response(self.clock_json())

    async def advance_clock(self, request: web.Request) -> web.Response:
        body = await _object(request, allowed=("by",))
        by = body.get("by")
        if isinstance(by, bool) or not isinstance(by, str | int | float):
            raise Problem(400, 'give "by" as a duration such as "10h", "1h30m", "90s" or seconds')
        with _as_problem():
            self.fake.clock.advance(by)
        return json_response(self.clock_json())

    async def reset(self, request: web.Request) -> web.Response:
        self.fake.reset()
        return web.Response(status=204)

    async def list_users(self, request: web.Request) -> web.Response:
        return json_response([user.to_json() for user in self.fake.users])

    async def add_user(self, request: web.Request) -> web.Response:
        body = await _object(request)
        try:
            user = self.fake.users.add_fields(body)
        except UserConflict as error:
            raise Problem(409, str(error)) from None
        except ValueError as error:
            raise Problem(400, str(error)) from None
        return json_response(user.to_json(), 201)

    async def get_user(self, request: web.Request) -> web.Response:
        user = self.fake.users.get(_user_id(request))
        if user is None:
            raise Problem(404, f"no user with id {request.match_info['id']}")
        return json_response(user.to_json())

    async def remove_user(self, request: web.Request) -> web.Response:
        try:
            self.fake.users.remove(_user_id(request))
        except KeyError:
            raise Problem(404, f"no user with id {request.match_info['id']}") from None
        return web.Response(status=204)

    async def list_requests(self, request: web.Request) -> web.Response:
        return json_response([entry.to_json() for entry in self.fake.requests])

    async def clear_requests(self, request: web.Request) -> web.Response:
        self.fake.log.clear()
        return web.Response(status=204)

    async def list_faults(self, request: web.Request) -> web.Response:
        return json_response([fault.to_json() for fault in self.fake.faults.pending()])

    async def add_fault(self, request: web.Request) -> web.Response:
        body = await _object(request)
        with _as_problem():
            fault = self.fake.faults.add(Fault.from_json(body))
        return json_response(fault.to_json(), 201)

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.fake.faults.clear()
        return web.Response(status=204)


async def _object(request: web.Request, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "the body is not JSON; send a JSON object") from None
    if not isinstance(body, dict):
        raise Problem(400, "the body must be a JSON object")
    if allowed is not None:
        unknown = sorted(set(body) - set(allowed))
        if unknown:
            raise Problem(400, f"unknown key {unknown[0]!r} (known: {', '.join(allowed)})")
    return body


def _user_id(request: web.Request) -> int:
    text = request.match_info["id"]
    if not text.isdigit():
        raise Problem(404, f"no user with id {text}; ids are positive integers")
    return int(text)


@contextmanager
def _as_problem() -> Iterator[None]:
    """Turns the ValueError of a rule into a 400 with its message."""
    try:
        yield
    except ValueError as error:
        raise Problem(400, str(error)) from None
