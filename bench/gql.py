"""The GraphQL requests the bench sends, and a tiny blocking client for them.

The blocking client (http.client, one fresh connection per call) is only
used outside the measured loads: readiness probes, fetching tokens, and
checking once that each operation really succeeds before it is measured.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any

LOGIN = (
    "mutation Login($email: String!, $password: String!) "
    "{ login(email: $email, password: $password) { access_token refresh_token } }"
)
PROFILE = "query { myProfile { id name avatar } }"
REFRESH = (
    "mutation Refresh($t: String!) "
    "{ refreshToken(refreshToken: $t) { access_token refresh_token } }"
)

# A store's first page: one page of products with their images and category.
PRODUCTS = "query { products(limit: 20, offset: 0) { id title price images category { id name } } }"

DEFAULT_EMAIL = "john@mail.com"
DEFAULT_PASSWORD = "changeme"


@dataclass(frozen=True)
class Op:
    """One GraphQL operation as sent on the wire."""

    name: str  # also the field of `data` that must be non-null
    body: str
    auth: str | None = None  # Authorization header value

    @property
    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.auth:
            headers["Authorization"] = self.auth
        return headers


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str


def _body(query: str, variables: dict[str, str] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}})


def login_op(email: str = DEFAULT_EMAIL, password: str = DEFAULT_PASSWORD) -> Op:
    return Op("login", _body(LOGIN, {"email": email, "password": password}))


def profile_op(tokens: Tokens) -> Op:
    return Op("myProfile", _body(PROFILE), auth=f"Bearer {tokens.access}")


def refresh_op(tokens: Tokens) -> Op:
    return Op("refreshToken", _body(REFRESH, {"t": tokens.refresh}))


def products_op() -> Op:
    return Op("products", _body(PRODUCTS))


def post(port: int, op: Op, timeout: float = 5.0) -> tuple[int, bytes]:
    """POST one operation to 127.0.0.1:port/graphql; (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/graphql", body=op.body.encode(), headers=op.headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def run_op(port: int, op: Op, timeout: float = 5.0) -> Any:
    """Send `op` and return its `data` field; raise ValueError if it failed."""
    status, raw = post(port, op, timeout)
    try:
        doc = json.loads(raw)
    except ValueError:
        raise ValueError(f"{op.name}: HTTP {status}, not JSON: {raw[:200]!r}") from None
    data = doc.get("data") if isinstance(doc, dict) else None
    result = data.get(op.name) if isinstance(data, dict) else None
    if status != 200 or doc.get("errors") or not isinstance(result, dict | list) or not result:
        raise ValueError(f"{op.name}: HTTP {status}: {raw[:300]!r}")
    return result


def tokens_of(result: dict[str, Any]) -> Tokens:
    access, refresh = result.get("access_token"), result.get("refresh_token")
    if not (isinstance(access, str) and isinstance(refresh, str)):
        raise ValueError(f"no tokens in {result!r}")
    return Tokens(access, refresh)


def try_login(port: int, op: Op, timeout: float = 2.0) -> Tokens | None:
    """One login attempt: tokens, or None while the server is not up yet."""
    try:
        return tokens_of(run_op(port, op, timeout))
    except (OSError, http.client.HTTPException, ValueError):
        return None


def ceiling_answers(port: int) -> bool:
    """Readiness probe for the ceiling server (which answers any POST)."""
    try:
        status, _ = post(port, login_op(), timeout=2.0)
    except (OSError, http.client.HTTPException):
        return False
    return status == 200
