"""Forged and mangled tokens: each is refused, "Unauthorized" by myProfile, "Invalid" by refreshToken.

Tokens are forged here with the secrets fakeauth really uses, so only the one thing
each case changes can be why it is refused; a well-forged token is accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest
from helpers import GraphQL

from fakeauth.core.config import DEFAULT_ACCESS_SECRET, DEFAULT_REFRESH_SECRET

NOW = 1672778683  # the fixture's frozen clock
HS256 = {"alg": "HS256", "typ": "JWT"}
SECRETS = {"access": DEFAULT_ACCESS_SECRET, "refresh": DEFAULT_REFRESH_SECRET}
OTHER = {"access": DEFAULT_REFRESH_SECRET, "refresh": DEFAULT_ACCESS_SECRET}


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def part(value: Any) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def forge(
    secret: str,
    header: Any = None,
    payload: Any = None,
    digest: Callable[..., Any] = hashlib.sha256,
) -> str:
    head = part(HS256 if header is None else header)
    body = part({"sub": 1, "iat": NOW, "exp": NOW + 3600} if payload is None else payload)
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), digest).digest()
    return f"{head}.{body}.{b64(signature)}"


def claims(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"sub": 1, "iat": NOW, "exp": NOW + 3600}
    for name, value in changes.items():
        if value is ...:
            del payload[name]
        else:
            payload[name] = value
    return payload


def flip_last_char(token: str) -> str:
    # The last base64 character of a 32-byte signature carries 2 unused bits: a
    # different character can decode to the same bytes. It must still be refused.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(token[-1])
    return token[:-1] + alphabet[last ^ 1]


Forgery = Callable[[str, str], str]  # (secret of the kind, secret of the other kind) -> token

FORGERIES: dict[str, Forgery] = {
    "alg none, no signature": lambda s, o: (
        forge(s, {"alg": "none", "typ": "JWT"}).rsplit(".", 1)[0] + "."
    ),
    "alg none, with a signature": lambda s, o: forge(s, {"alg": "none", "typ": "JWT"}),
    "alg None": lambda s, o: forge(s, {"alg": "None"}).rsplit(".", 1)[0] + ".",
    "the other kind's secret": lambda s, o: forge(o),
    "RS256 header, HMAC signature": lambda s, o: forge(s, {"alg": "RS256", "typ": "JWT"}),
    "ES256 header, HMAC signature": lambda s, o: forge(s, {"alg": "ES256", "typ": "JWT"}),
    "HS512 header and signature": lambda s, o: forge(s, {"alg": "HS512"}, digest=hashlib.sha512),
    "HS512 header, HS256 signature": lambda s, o: forge(s, {"alg": "HS512", "typ": "JWT"}),
    "HS384 header, HS256 signature": lambda s, o: forge(s, {"alg": "HS384", "typ": "JWT"}),
    "hs256 in lower case": lambda s, o: forge(s, {"alg": "hs256", "typ": "JWT"}),
    "no alg": lambda s, o: forge(s, {"typ": "JWT"}),
    "header not an object": lambda s, o: forge(s, ["HS256"]),
    "sub a string": lambda s, o: forge(s, payload=claims(sub="1")),
    "sub a float": lambda s, o: forge(s, payload=claims(sub=1.0)),
    "sub true": lambda s, o: forge(s, payload=claims(sub=True)),
    "sub null": lambda s, o: forge(s, payload=claims(sub=None)),
    "sub missing": lambda s, o: forge(s, payload=claims(sub=...)),
    "sub of nobody": lambda s, o: forge(s, payload=claims(sub=10**30)),
    "sub zero": lambda s, o: forge(s, payload=claims(sub=0)),
    "sub negative": lambda s, o: forge(s, payload=claims(sub=-1)),
    "exp missing": lambda s, o: forge(s, payload=claims(exp=...)),
    "exp a string": lambda s, o: forge(s, payload=claims(exp=str(NOW + 3600))),
    "exp a float": lambda s, o: forge(s, payload=claims(exp=NOW + 3600.5)),
    "exp true": lambda s, o: forge(s, payload=claims(exp=True)),
    "exp null": lambda s, o: forge(s, payload=claims(exp=None)),
    "exp passed": lambda s, o: forge(s, payload=claims(exp=NOW)),
    "iat missing": lambda s, o: forge(s, payload=claims(iat=...)),
    "payload not an object": lambda s, o: forge(s, payload=[1, NOW, NOW + 3600]),
    "extra segment after": lambda s, o: forge(s) + ".e30",
    "extra segment inside": lambda s, o: forge(s).replace(".", ".e30.", 1),
    "trailing dot": lambda s, o: forge(s) + ".",
    "two segments": lambda s, o: forge(s).rsplit(".", 1)[0],
    "padded signature": lambda s, o: forge(s) + "=",
    "same bytes, other last character": lambda s, o: flip_last_char(forge(s)),
    "standard base64 signature": lambda s, o: (
        forge(s).replace("-", "+").replace("_", "/")
        if "-" in forge(s) or "_" in forge(s)
        else forge(s)[:-1] + "+"
    ),
    "space inside": lambda s, o: forge(s).replace(".", ". ", 1),
    "tab inside": lambda s, o: forge(s).replace(".", "\t.", 1),
    "100 KB": lambda s, o: "a" * 100_000,
    "100 KB of segments": lambda s, o: ".".join(["eyJ9"] * 25_000),
}


async def test_a_well_forged_token_is_accepted(graphql: GraphQL) -> None:
    # The forger is right: what the cases below change is why they are refused.
    _, body = await graphql.post("{ myProfile { id } }", token=forge(DEFAULT_ACCESS_SECRET))
    assert body == {"data": {"myProfile": {"id": "1"}}}
    answer = await graphql.refresh(forge(DEFAULT_REFRESH_SECRET))
    assert "errors" not in answer
    assert answer["data"]["refreshToken"]["access_token"]


def refused(body: dict[str, Any], message: str) -> bool:
    return body["data"] is None and [e["message"] for e in body["errors"]] == [message]


# 100 KB headers are over the test server's limit: test_real_server.py sends them.
@pytest.mark.parametrize("name", [name for name in FORGERIES if not name.startswith("100 KB")])
async def test_forged_access_token_is_unauthorized(graphql: GraphQL, name: str) -> None:
    token = FORGERIES[name](SECRETS["access"], OTHER["access"])
    _, body = await graphql.post(
        "{ myProfile { id } }", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused(body, "Unauthorized"), body


@pytest.mark.parametrize("name", list(FORGERIES))
async def test_forged_refresh_token_is_invalid(graphql: GraphQL, name: str) -> None:
    token = FORGERIES[name](SECRETS["refresh"], OTHER["refresh"])
    assert refused(await graphql.refresh(token), "Invalid")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Token {token}",
        "Bearer{token}",
        "{token}",
        "Bearer {token} {token}",
        "Bearer {token},Bearer {token}",
        "Basic {token}",
    ],
)
async def test_malformed_authorization_headers_are_unauthorized(
    graphql: GraphQL, header: str
) -> None:
    token = forge(DEFAULT_ACCESS_SECRET)
    _, body = await graphql.post(
        "{ myProfile { id } }", headers={"Authorization": header.format(token=token)}
    )
    assert refused(body, "Unauthorized"), body


@pytest.mark.parametrize("header", ["Bearer  {token}", "bearer {token}", " Bearer {token} "])
async def test_extra_spaces_around_the_token_are_tolerated(graphql: GraphQL, header: str) -> None:
    # As passport-jwt's extractor, which splits the header on runs of whitespace.
    token = forge(DEFAULT_ACCESS_SECRET)
    _, body = await graphql.post(
        "{ myProfile { id } }", headers={"Authorization": header.format(token=token)}
    )
    assert body == {"data": {"myProfile": {"id": "1"}}}


async def test_a_token_refused_leaves_the_real_ones_working(graphql: GraphQL) -> None:
    for forgery in FORGERIES.values():
        await graphql.refresh(forgery(SECRETS["refresh"], OTHER["refresh"]))
    tokens = await graphql.login()
    assert (await graphql.profile(tokens["access_token"]))["data"]["myProfile"]["id"] == "1"
    assert "errors" not in await graphql.refresh(tokens["refresh_token"])
