"""JWTs as the real service issues them, checked against fakeauth's clock."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

import jwt
from jwt.algorithms import HMACAlgorithm
from jwt.utils import base64url_encode

from fakeauth.core import json_values
from fakeauth.core.clock import Clock

ALGORITHM = "HS256"

# Ours are about 150 characters; a longer one cannot be ours, so it is not decoded.
MAX_TOKEN_CHARS = 4096
# The signature exactly as jsonwebtoken compares it: 43 characters, no padding. PyJWT
# alone would take a padded signature ("...=") that decodes to the same bytes.
_COMPACT_HS256 = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}")


class TokenKind(Enum):
    ACCESS = "access"
    REFRESH = "refresh"


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str


@dataclass(frozen=True, slots=True)
class Claims:
    sub: int
    iat: int
    exp: int


class InvalidToken(Exception):
    """A token that must be refused; the message says why, for people, not clients."""


class _PublicSecretHS256(HMACAlgorithm):
    # The secrets of a fake are public and may be short on purpose (to match an
    # app's own settings); PyJWT would warn about every short key.
    def check_key_length(self, key: Any) -> None:
        return None


_HS256 = _PublicSecretHS256(HMACAlgorithm.SHA256)
# The header never changes, so its encoding is done once.
_HEADER = base64url_encode(
    json.dumps({"alg": ALGORITHM, "typ": "JWT"}, separators=(",", ":")).encode()
)


def _make_jws() -> jwt.PyJWS:
    jws = jwt.PyJWS(algorithms=[])
    jws.register_algorithm(ALGORITHM, _HS256)
    return jws


class TokenIssuer:
    """Signs and verifies access and refresh tokens, each kind with its own secret."""

    def __init__(
        self,
        clock: Clock,
        *,
        access_secret: str,
        refresh_secret: str,
        access_ttl: float,
        refresh_ttl: float,
    ) -> None:
        if access_secret == refresh_secret:
            raise ValueError("the access and refresh secrets must differ")
        self.clock = clock
        self._secrets = {TokenKind.ACCESS: access_secret, TokenKind.REFRESH: refresh_secret}
        self._keys = {kind: _HS256.prepare_key(secret) for kind, secret in self._secrets.items()}
        self._ttls = {TokenKind.ACCESS: int(access_ttl), TokenKind.REFRESH: int(refresh_ttl)}
        self._jws = _make_jws()

    def issue_pair(self, user_id: int) -> TokenPair:
        iat = int(self.clock.timestamp())
        return TokenPair(
            self._sign(user_id, iat, TokenKind.ACCESS), self._sign(user_id, iat, TokenKind.REFRESH)
        )

    def _sign(self, user_id: int, iat: int, kind: TokenKind) -> str:
        # Written out so the bytes are exactly the real service's: compact JSON,
        # keys sub, iat, exp in that order, all integers. Signed by PyJWT's HMAC
        # without PyJWS's per-call set-up, which cost more than half of a login.
        payload = f'{{"sub":{user_id:d},"iat":{iat:d},"exp":{iat + self._ttls[kind]:d}}}'
        signing_input = _HEADER + b"." + base64url_encode(payload.encode())
        signature = base64url_encode(_HS256.sign(signing_input, self._keys[kind]))
        return (signing_input + b"." + signature).decode()

    def decode(self, token: str, kind: TokenKind) -> Claims:
        """Claims of a well-signed token of that kind, whether or not it has expired."""
        if len(token) > MAX_TOKEN_CHARS or not _COMPACT_HS256.fullmatch(token):
            raise InvalidToken("not a compact HS256 JWS (three base64url segments, no padding)")
        try:
            payload = self._jws.decode(token, self._secrets[kind], algorithms=[ALGORITHM])
        except jwt.InvalidTokenError as error:
            raise InvalidToken(f"bad {kind.value} token: {error}") from None
        try:
            claims = json_values.loads(payload)
        except json_values.JsonError:
            raise InvalidToken("the payload is not JSON (or nests too deeply)") from None
        if not isinstance(claims, dict):
            raise InvalidToken("the payload is not a JSON object")
        values: list[int] = []
        for name in ("sub", "iat", "exp"):
            value = claims.get(name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidToken(f"claim {name!r} is missing or not an integer")
            values.append(value)
        return Claims(*values)

    def verify(self, token: str, kind: TokenKind, at: float | None = None) -> Claims:
        """Claims of a token that is valid now by the clock (or ``at``), or InvalidToken."""
        claims = self.decode(token, kind)
        now = self.clock.timestamp() if at is None else at
        if now >= claims.exp:
            raise InvalidToken(f"expired at {claims.exp} (clock is at {int(now)})")
        return claims
