"""Why a token, header or login is refused, in plain words, for people, never clients.

The answers stay exactly the real service's ("Unauthorized", "Invalid"); these reasons
go to the request log, `--log-requests` and `fakeauth decode`.
"""

from __future__ import annotations

from fakeauth.core.clock import format_instant
from fakeauth.core.durations import format_duration
from fakeauth.core.revocations import Revocations
from fakeauth.core.tokens import Claims, InvalidToken, TokenIssuer, TokenKind
from fakeauth.core.users import UserStore

_AS = {TokenKind.ACCESS: "a bearer token", TokenKind.REFRESH: "a refresh token"}


def token_problem(tokens: TokenIssuer, token: str, kind: TokenKind, now: float) -> str | None:
    """Why ``token`` is no valid ``kind`` token at ``now`` by its signature and expiry."""
    text = token.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return "token is wrapped in quotes"
    try:
        claims = tokens.decode(text, kind)
    except InvalidToken as error:
        other = TokenKind.REFRESH if kind is TokenKind.ACCESS else TokenKind.ACCESS
        try:
            tokens.decode(text, other)
        except InvalidToken:
            pass
        else:
            return f"{other.value} token sent as {_AS[kind]}"
        message = str(error)
        if message.endswith("Signature verification failed"):
            return "bad signature (signed with another secret)"
        if message.startswith(f"bad {kind.value} token: "):
            # PyJWT's own words ("Invalid crypto padding"): the token was cut or altered.
            detail = message.removeprefix(f"bad {kind.value} token: ")
            return f"malformed or altered token ({detail}); log in again"
        return message
    if now >= claims.exp:
        return expired(claims, kind, now)
    return None


def expired(claims: Claims, kind: TokenKind, now: float) -> str:
    ago = format_duration(int(now) - claims.exp) if int(now) > claims.exp else "0s"
    return (
        f"{kind.value} token expired {ago} ago"
        f" (exp {format_instant(claims.exp)}, clock {format_instant(now)})"
    )


def session_problem(claims: Claims, users: UserStore, revocations: Revocations) -> str | None:
    """Why a well-signed, unexpired token stands for nobody now."""
    if revocations.refuses(claims):
        until = format_instant(revocations.until(claims.sub) or claims.iat)
        return f"token revoked at {until} (issued {format_instant(claims.iat)})"
    if users.get(claims.sub) is None:
        return f"user {claims.sub} no longer exists"
    return None


def header_problem(authorization: str | None) -> str | None:
    """What is wrong with an Authorization header before its token is read."""
    if not authorization or not authorization.strip():
        return "no Authorization header"
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        if scheme.count(".") == 2 or scheme.strip("\"'").count(".") == 2:
            return 'no "Bearer " scheme in the Authorization header'
        return f'no "Bearer " scheme in the Authorization header (it says {scheme[:20]!r})'
    token = rest.strip()
    if not token:
        return 'no token after "Bearer "'
    if " " in token:
        return 'more than one word after "Bearer "'
    return None
