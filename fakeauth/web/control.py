"""The control API under /__fakeauth/: JSON over HTTP, so tests in any language drive the fake."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from fakeauth.core import json_values
from fakeauth.core.clock import Clock, format_instant
from fakeauth.core.faults import Fault
from fakeauth.core.users import UserConflict
from fakeauth.web.bodies import read_body
from fakeauth.web.paths import CONTROL_PREFIX
from fakeauth.web.responses import json_response, nest_error
from fakeauth.web.routes import add_everywhere
from fakeauth.web.state import fake_of


class Problem(Exception):
    """A control request that cannot be done; answered as NestJS shapes its errors."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self) -> web.Response:
        return nest_error(self.status, self.message)


# Every control route, under CONTROL_PREFIX; the rules live in the FakeAuth's parts.
routes = web.RouteTableDef()


def add_control_routes(
    app: web.Application, table: web.RouteTableDef = routes, *, everywhere: bool = True
) -> None:
    """Mount a table under CONTROL_PREFIX; ``everywhere``: inside each namespace too."""
    for route in table:
        assert isinstance(route, web.RouteDef)
        path, handler = CONTROL_PREFIX + route.path, _answering_problems(route.handler)
        if everywhere:
            add_everywhere(app.router, route.method, path, handler)
        else:
            app.router.add_route(route.method, path, handler)


def _answering_problems(handler: Handler) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Problem as problem:
            return problem.response()

    return handle


def _clock_json(clock: Clock, now: float | None = None) -> dict[str, Any]:
    # A clock just set answers with the instant it was set to, not a moment after it.
    now = clock.timestamp() if now is None else now
    return {"now": format_instant(now), "timestamp": int(now), "frozen": clock.frozen}


@routes.get("/clock", allow_head=False)
async def get_clock(request: web.Request) -> web.Response:
    return json_response(_clock_json(fake_of(request).clock))


@routes.put("/clock")
async def set_clock(request: web.Request) -> web.Response:
    body = await _object(request, allowed=("now", "frozen"))
    frozen = body.get("frozen")
    if frozen is not None and not isinstance(frozen, bool):
        raise Problem(400, f"frozen must be true or false, not {json.dumps(frozen)}")
    now = body.get("now")
    if now is not None and (isinstance(now, bool) or not isinstance(now, str | int | float)):
        raise Problem(400, f"now must be an ISO 8601 string or Unix seconds, not {now!r}")
    clock = fake_of(request).clock
    with _as_problem():
        instant = clock.set(now, frozen=frozen)
    return json_response(_clock_json(clock, instant))


@routes.post("/clock/advance")
async def advance_clock(request: web.Request) -> web.Response:
    body = await _object(request, allowed=("by",))
    by = body.get("by")
    if isinstance(by, bool) or not isinstance(by, str | int | float):
        raise Problem(400, 'give "by" as a duration such as "10h", "1h30m", "90s" or seconds')
    clock = fake_of(request).clock
    with _as_problem():
        instant = clock.advance(by)
    return json_response(_clock_json(clock, instant))


@routes.post("/reset")
async def reset(request: web.Request) -> web.Response:
    fake_of(request).reset()
    return web.Response(status=204)


@routes.get("/users", allow_head=False)
async def list_users(request: web.Request) -> web.Response:
    return json_response([user.to_json() for user in fake_of(request).users])


@routes.post("/users")
async def add_user(request: web.Request) -> web.Response:
    body = await _object(request)
    with _as_problem():
        user = fake_of(request).users.add_fields(body)
    return json_response(user.to_json(), 201)


@routes.get("/users/{id}", allow_head=False)
async def get_user(request: web.Request) -> web.Response:
    user_id = _user_id(request)
    user = fake_of(request).users.get(user_id)
    if user is None:
        raise Problem(404, f"no user with id {user_id}")
    return json_response(user.to_json())


@routes.delete("/users/{id}")
async def remove_user(request: web.Request) -> web.Response:
    user_id = _user_id(request)
    try:
        fake_of(request).users.remove(user_id)
    except KeyError:
        raise Problem(404, f"no user with id {user_id}") from None
    return web.Response(status=204)


@routes.post("/users/{id}/revoke")
async def revoke_user(request: web.Request) -> web.Response:
    fake = fake_of(request)
    try:
        user = fake.users.revoke(_user_id(request))
    except KeyError:
        raise Problem(404, f"no user with id {request.match_info['id']}") from None
    until = fake.revocations.until(user.id)
    assert until is not None
    # Tokens of this user issued up to this second are refused from now on.
    until_json = {"revoked_until": format_instant(until), "timestamp": until}
    return json_response({"id": user.id, "email": user.email, **until_json})


@routes.get("/requests", allow_head=False)
async def list_requests(request: web.Request) -> web.Response:
    return json_response([entry.to_json() for entry in fake_of(request).requests])


@routes.delete("/requests")
async def clear_requests(request: web.Request) -> web.Response:
    fake_of(request).log.clear()
    return web.Response(status=204)


@routes.get("/faults", allow_head=False)
async def list_faults(request: web.Request) -> web.Response:
    return json_response([fault.to_json() for fault in fake_of(request).faults.pending()])


@routes.post("/faults")
async def add_fault(request: web.Request) -> web.Response:
    body = await _object(request)
    with _as_problem():
        fault = fake_of(request).faults.add(Fault.from_json(body))
    return json_response(fault.to_json(), 201)


@routes.delete("/faults")
async def clear_faults(request: web.Request) -> web.Response:
    fake_of(request).faults.clear()
    return web.Response(status=204)


async def _object(request: web.Request, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    raw = await read_body(request)
    try:
        body = json_values.loads(raw) if raw.strip() else {}
    except json_values.JsonError as error:
        raise Problem(400, f"the body is not JSON ({error}); send a JSON object") from None
    if not isinstance(body, dict):
        raise Problem(400, "the body must be a JSON object")
    if allowed is not None:
        unknown = sorted(set(body) - set(allowed))
        if unknown:
            raise Problem(400, f"unknown key {unknown[0]!r} (known: {', '.join(allowed)})")
    return body


def _user_id(request: web.Request) -> int:
    text = request.match_info["id"]
    # ASCII digits, no more than an id has (str.isdigit takes "²" and Arabic-Indic digits).
    if not re.fullmatch(r"[0-9]{1,16}", text):
        shown = text if len(text) <= 20 else text[:17] + "..."
        raise Problem(404, f"no user with id {shown}; ids are positive integers")
    return int(text)


@contextmanager
def _as_problem() -> Iterator[None]:
    """Turns the ValueError of a rule into a 400 with its message (409 for a taken id or email)."""
    try:
        yield
    except ValueError as error:
        raise Problem(409 if isinstance(error, UserConflict) else 400, str(error)) from None
