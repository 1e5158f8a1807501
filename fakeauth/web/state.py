"""What a request works on: the FakeAuth the app serves, found from the request itself."""

from __future__ import annotations

from aiohttp import web

from fakeauth.core.fake import FakeAuth

FAKE = web.AppKey("fakeauth", FakeAuth)


def fake_of(request: web.Request) -> FakeAuth:
    """The fake this request is answered by."""
    return request.app[FAKE]
