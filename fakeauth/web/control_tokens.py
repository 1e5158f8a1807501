"""POST /__fakeauth/tokens: the pair a login would give a user now, without its password.

Frontend tests use it to start logged in (Playwright's storageState) without driving the
login form in every test; the tokens are the same bytes the login mutation would give.
"""

from __future__ import annotations

from aiohttp import web

from fakeauth.core.users import User
from fakeauth.web.control import Problem, _object
from fakeauth.web.responses import json_response
from fakeauth.web.state import fake_of

routes = web.RouteTableDef()

_SHOWN_USERS = 5


@routes.post("/tokens")
async def mint_tokens(request: web.Request) -> web.Response:
    body = await _object(request, allowed=("user",))
    key = body.get("user")
    # A bool is an int to Python; a JSON true is no user id.
    if isinstance(key, bool) or not isinstance(key, int | str) or key == "":
        raise Problem(400, 'give "user" as a user id (1) or an email ("john@mail.com")')
    fake = fake_of(request)
    user = fake.users.get(key)
    if user is None:
        raise Problem(404, _no_such_user(key, list(fake.users)))
    pair = fake.tokens.issue_pair(user.id)
    return json_response({"access_token": pair.access_token, "refresh_token": pair.refresh_token})


def _no_such_user(key: int | str, users: list[User]) -> str:
    what = f"id {key}" if isinstance(key, int) else f"email {key!r}"
    shown = ", ".join(f"{user.id} {user.email}" for user in users[:_SHOWN_USERS])
    more = f" and {len(users) - _SHOWN_USERS} more" if len(users) > _SHOWN_USERS else ""
    listing = f"the users are: {shown}{more}" if users else "there are no users"
    return f"no user with {what} ({listing}); add one with POST /__fakeauth/users"
