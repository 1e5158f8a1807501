"""Playwright's storageState JSON holding a user's tokens under an app's own keys.

A browser test that starts from it is logged in without driving the login form:
the app finds its tokens where it keeps them (localStorage keys, cookies).
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from fakeauth.core.tokens import TokenPair

TOKEN_KINDS = ("access_token", "refresh_token")
NAMESPACE_HEADER = "X-Fakeauth-Namespace"
TOKEN_HEADER = "X-Fakeauth-Control-Token"


class StorageStateError(ValueError):
    """A setting that cannot make a storage state; the message says what to give."""


def parse_assignments(given: tuple[str, ...] | list[str], option: str) -> dict[str, str]:
    """``["token=access_token"]`` as ``{"token": "access_token"}``, checked."""
    assigned: dict[str, str] = {}
    for item in given:
        name, sep, kind = item.partition("=")
        if not sep or not name:
            raise StorageStateError(
                f"{option} {item!r}: give NAME=access_token or NAME=refresh_token"
            )
        assigned[name] = kind
    return assigned


def storage_state(
    pair: TokenPair,
    origin: str,
    local_storage: Mapping[str, str],
    cookies: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The storageState for ``origin``: each key or cookie holds the token it names."""
    parts = _origin_parts(origin)
    tokens = {"access_token": pair.access_token, "refresh_token": pair.refresh_token}
    for name, kind in {**local_storage, **(cookies or {})}.items():
        if kind not in TOKEN_KINDS:
            raise StorageStateError(f"{name}={kind}: a key holds access_token or refresh_token")
    if not local_storage and not cookies:
        raise StorageStateError("name at least one localStorage key or cookie to hold a token")
    return {
        "cookies": [
            {
                "name": name,
                "value": tokens[kind],
                "domain": parts.hostname,
                "path": "/",
                # The cookie lasts as long as the token it holds.
                "expires": _expiry(tokens[kind]),
                "httpOnly": False,
                "secure": parts.scheme == "https",
                "sameSite": "Lax",
            }
            for name, kind in (cookies or {}).items()
        ],
        "origins": [
            {
                "origin": f"{parts.scheme}://{parts.netloc}",
                "localStorage": [
                    {"name": name, "value": tokens[kind]} for name, kind in local_storage.items()
                ],
            }
        ]
        if local_storage
        else [],
    }


def _origin_parts(origin: str) -> Any:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise StorageStateError(
            f"origin {origin!r}: give the app's origin, such as http://127.0.0.1:5173"
        )
    return parts


def _expiry(token: str) -> int:
    part = token.split(".")[1]
    exp: int = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))["exp"]
    return exp


def pair_from_server(
    url: str, user: str, namespace: str | None = None, control_token: str | None = None
) -> TokenPair:
    """The pair a running fakeauth at ``url`` mints for ``user`` (POST /__fakeauth/tokens)."""
    base = url.rstrip("/").removesuffix("/graphql")
    headers = {"Content-Type": "application/json"}
    if namespace is not None:
        headers[NAMESPACE_HEADER] = namespace
    if control_token is not None:
        headers[TOKEN_HEADER] = control_token
    body = json.dumps({"user": user}).encode()
    request = urllib.request.Request(f"{base}/__fakeauth/tokens", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            raise StorageStateError(
                f"{base} answered {error.code}: {_message(error.read())}"
            ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StorageStateError(f"cannot reach fakeauth at {base}: {reason}") from None
    return TokenPair(answer["access_token"], answer["refresh_token"])


def _message(raw: bytes) -> str:
    try:
        return str(json.loads(raw)["message"])
    except (ValueError, KeyError, TypeError):
        return raw.decode("utf-8", "replace")[:200]
