"""Waiting, as a client, until a fakeauth server answers its health check."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

POLL_INTERVAL = 0.05


class NotReady(Exception):
    """No healthy server in time; the message says where and what went wrong last."""


def health_url(url: str) -> str:
    """The /health URL of a server given by its base URL or its GraphQL URL."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith("/graphql"):
        path = path[: -len("/graphql")]
    return urlunsplit((parts.scheme, parts.netloc, path + "/health", "", ""))


def wait_until_healthy(url: str, timeout: float) -> str:
    """Poll until the server answers healthy; its health URL, or NotReady after ``timeout``.

    This is a client of the fake, not part of it: it measures real seconds.
    """
    target = health_url(url)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        problem = _check(target, max(0.05, min(1.0, remaining)))
        if problem is None:
            return target
        if remaining <= 0:
            raise NotReady(f"no healthy fakeauth at {target} after {timeout:g} s ({problem})")
        time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))


def _check(url: str, timeout: float) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        return f"last attempt: HTTP {error.code}"
    except urllib.error.URLError as error:
        reason = error.reason
        return f"last attempt: {getattr(reason, 'strerror', None) or reason}"
    except (OSError, ValueError) as error:
        return f"last attempt: {error}"
    if not isinstance(body, dict) or body.get("status") != "ok":
        return f"last attempt: not a fakeauth health answer: {body!r}"
    return None
