"""A token explained for people: its header and payload, and why fakeauth would accept it or not."""

from __future__ import annotations

import base64
import json
from typing import Any

from fakeauth.core import json_values
from fakeauth.core.clock import format_instant
from fakeauth.core.durations import format_duration
from fakeauth.core.tokens import InvalidToken, TokenIssuer, TokenKind

_BAD_SIGNATURE = "Signature verification failed"


class NotAToken(ValueError):
    """Text that is not a JWT at all."""


def report(tokens: TokenIssuer, token: str) -> tuple[list[str], bool]:
    """Lines describing the token, and whether it is valid now by the issuer's clock."""
    token, note = _unwrapped(token.strip())
    header, payload = _readable_parts(token)
    lines = [] if note is None else [f"note:    {note}"]
    lines += [f"header:  {_compact(header)}", f"payload: {_compact(payload)}"]
    for claim, label in (("iat", "issued: "), ("exp", "expires:")):
        value = payload.get(claim)
        if isinstance(value, int) and not isinstance(value, bool):
            lines.append(f"{label} {format_instant(value)}")
    valid, verdict = _verdict(tokens, token)
    lines.append(f"valid:   {verdict}")
    return lines, valid


def _verdict(tokens: TokenIssuer, token: str) -> tuple[bool, str]:
    now = tokens.clock.timestamp()
    at = f"at {format_instant(now)}"
    reasons: dict[TokenKind, str] = {}
    for kind in TokenKind:
        try:
            claims = tokens.decode(token, kind)
        except InvalidToken as error:
            reasons[kind] = str(error).removeprefix(f"bad {kind.value} token: ")
            continue
        if now >= claims.exp:
            ago = format_duration(int(now) - claims.exp) if int(now) > claims.exp else "0s"
            return False, f"no, {at}: this {kind.value} token expired {ago} before"
        left = format_duration(claims.exp - int(now))
        return True, f"yes, {at}: a valid {kind.value} token for user {claims.sub}, for {left} more"
    access, refresh = reasons[TokenKind.ACCESS], reasons[TokenKind.REFRESH]
    if access == refresh == _BAD_SIGNATURE:
        return False, (
            "no: bad signature (signed with another secret): it matches neither the access"
            " nor the refresh secret"
        )
    if access == refresh:
        return False, f"no: {access}"
    return False, f"no: as an access token, {access}; as a refresh token, {refresh}"


def _unwrapped(text: str) -> tuple[str, str | None]:
    """The token in what people paste (a devtools header line, ``Bearer ...``, a JSON
    string), and a note saying what was dropped: an app must send the token alone."""
    dropped = []
    if text.lower().startswith("authorization:"):
        text = text[len("authorization:") :].strip()
        dropped.append('"Authorization:"')
    scheme, _, rest = text.partition(" ")
    if scheme.lower() == "bearer" and rest.strip():
        text = rest.strip()
        dropped.append('the "Bearer " scheme')
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
        dropped.append("the quotes around it")
    if not dropped:
        return text, None
    return text, f"read the token without {' and '.join(dropped)}; pass the token alone"


def _readable_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    parts = token.split(".")
    if len(parts) != 3:
        raise NotAToken(
            f"not a JWT: expected three dot-separated parts, found {len(parts)};"
            " pass the token itself"
        )
    decoded = []
    for name, part in zip(("header", "payload"), parts[:2], strict=False):
        try:
            value = json_values.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        except ValueError:
            raise NotAToken(f"not a JWT: its {name} is not base64url-encoded JSON") from None
        if not isinstance(value, dict):
            raise NotAToken(f"not a JWT: its {name} is not a JSON object")
        decoded.append(value)
    return decoded[0], decoded[1]


def _compact(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"))
