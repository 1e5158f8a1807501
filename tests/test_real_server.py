"""A real TCP server, as `fakeauth serve` runs it: long headers and a concurrent burst."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
import pytest
from helpers import DOC_NOW, PREFLIGHT

from fakeauth import Config, FakeAuth
from fakeauth.core.config import DEFAULT_ACCESS_SECRET, DEFAULT_REFRESH_SECRET
from fakeauth.gql.limits import MAX_QUERY_CHARS
from fakeauth.serve import serve
from fakeauth.web.limits import MAX_HEADER_BYTES, MAX_REQUEST_LINE_BYTES

USERS = [
    ("john@mail.com", "changeme", 1),
    ("maria@mail.com", "12345", 2),
    ("admin@mail.com", "admin123", 3),
]
LOGIN = "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token refresh_token } }"


@dataclass
class Server:
    fake: FakeAuth
    url: str


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    fake = FakeAuth(Config.build(host="127.0.0.1", port=0, now=DOC_NOW, frozen=True))
    stop = asyncio.Event()
    started: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(fake, stop=stop, ready=started.set_result))
    try:
        url = await asyncio.wait_for(started, 10)
        yield Server(fake, url)
    finally:
        stop.set()
        await task


async def post(
    session: aiohttp.ClientSession, url: str, query: str, variables: Any = None, **headers: str
) -> tuple[int, Any]:
    body = {"query": query, "variables": variables}
    async with session.post(f"{url}/graphql", json=body, headers=headers) as response:
        return response.status, await response.json()


@pytest.mark.parametrize("token", ["a" * 100_000, ".".join(["eyJ9"] * 20_000)])
async def test_a_100_kb_bearer_is_unauthorized(server: Server, token: str) -> None:
    async with aiohttp.ClientSession() as session:
        status, body = await post(
            session, server.url, "{ myProfile { id } }", Authorization=f"Bearer {token}"
        )
    assert status == 200
    assert body["errors"][0]["message"] == "Unauthorized"


async def test_a_header_over_the_limit_is_refused_by_the_http_layer(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    # aiohttp refuses it before fakeauth sees it: a 400 in plain text, documented.
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{server.url}/graphql",
            json={"query": "{ myProfile { id } }"},
            headers={"Authorization": "Bearer " + "a" * MAX_HEADER_BYTES},
        ) as response:
            assert response.status == 400
            assert "Got more than" in await response.text()
        # The server goes on serving.
        status, _ = await post(session, server.url, "{ myProfile { id } }")
        assert status == 200
    refusals = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert refusals
    assert all(r.exc_info is None and r.levelno == logging.WARNING for r in refusals)
    assert "refused a malformed request" in refusals[0].getMessage()


async def test_a_request_line_over_the_limit_is_refused_by_the_http_layer(server: Server) -> None:
    async with aiohttp.ClientSession() as session:
        query = "{ myProfile { id } }" + " " * MAX_REQUEST_LINE_BYTES
        async with session.get(f"{server.url}/graphql", params={"query": query}) as response:
            assert response.status == 400
        # Under it, a query longer than a query may be reaches fakeauth: a JSON answer.
        query = "{ myProfile { id } }" + " " * (MAX_QUERY_CHARS + 1)
        assert len(query) < MAX_REQUEST_LINE_BYTES - 100
        get = session.get(f"{server.url}/graphql", params={"query": query}, headers=PREFLIGHT)
        async with get as response:
            assert response.status == 400
            body = await response.json()
            assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_a_burst_of_logins_with_clock_changes_loses_nothing(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    total, connections = 1000, 64
    clock = server.fake.clock
    start = int(clock.timestamp())
    results: list[tuple[int, int, Any]] = []
    counter = iter(range(total))

    async def worker(session: aiohttp.ClientSession) -> None:
        for n in counter:
            email, password, user_id = USERS[n % len(USERS)]
            status, body = await post(session, server.url, LOGIN, {"e": email, "p": password})
            results.append((user_id, status, body))
            if n % 50 == 0:
                clock.advance("1s")  # a control call while other logins are in flight

    began = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(connections)))
        burst = time.perf_counter() - began
        end = int(clock.timestamp())

        assert len(results) == total
        assert [status for _, status, _ in results] == [200] * total
        assert not [body for _, _, body in results if "errors" in body]
        iats = set()
        for user_id, _, body in results:
            pair = body["data"]["login"]
            # Expiry is fakeauth's business (its clock is in 2023); sub is a number, as real.
            options = {"verify_exp": False, "verify_sub": False}
            access = jwt.decode(
                pair["access_token"], DEFAULT_ACCESS_SECRET, ["HS256"], options=options
            )
            refresh = jwt.decode(
                pair["refresh_token"], DEFAULT_REFRESH_SECRET, ["HS256"], options=options
            )
            assert access["sub"] == refresh["sub"] == user_id
            assert access["iat"] == refresh["iat"]
            assert start <= access["iat"] <= end
            assert access["exp"] - access["iat"] == 20 * 86400
            assert refresh["exp"] - refresh["iat"] == 10 * 3600
            iats.add(access["iat"])
        assert len(iats) > 1, "the clock changes did not interleave with the logins"

        # Every access token is accepted, and stands for its own user.
        profiles: list[tuple[int, Any]] = []
        queue = iter(results)

        async def check(session: aiohttp.ClientSession) -> None:
            for user_id, _, body in queue:
                token = body["data"]["login"]["access_token"]
                _, answer = await post(
                    session, server.url, "{ myProfile { id } }", Authorization=f"Bearer {token}"
                )
                profiles.append((user_id, answer))

        await asyncio.gather(*(check(session) for _ in range(connections)))
    assert len(profiles) == total
    assert all(answer == {"data": {"myProfile": {"id": str(uid)}}} for uid, answer in profiles)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    print(f"\n{total} logins over {connections} connections: {burst:.2f} s, {total / burst:.0f}/s")
