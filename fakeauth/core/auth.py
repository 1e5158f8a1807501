"""The rules of logging in, refreshing and reading one's profile."""

from __future__ import annotations

from fakeauth.core.diagnosis import header_problem, session_problem, token_problem
from fakeauth.core.errors import invalid_refresh_token, unauthorized
from fakeauth.core.revocations import Revocations
from fakeauth.core.rotation import SpentRefreshTokens
from fakeauth.core.tokens import InvalidToken, TokenIssuer, TokenKind, TokenPair
from fakeauth.core.users import User, UserStore


class Auth:
    """Token auth over a user store, stateless like the real service's unless told otherwise.

    ``revocations`` refuses the tokens of ended sessions; ``spent``, when given, turns
    refresh rotation on: each refresh token is exchanged once.
    """

    def __init__(
        self,
        users: UserStore,
        tokens: TokenIssuer,
        revocations: Revocations | None = None,
        spent: SpentRefreshTokens | None = None,
    ) -> None:
        self.users = users
        self.tokens = tokens
        self.revocations = Revocations() if revocations is None else revocations
        self.spent = spent

    def login(self, email: str, password: str) -> TokenPair:
        # Exact, case-sensitive email and plain-text password, as the real service.
        user = self.users.by_email(email)
        if user is None:
            raise unauthorized().because(f"no user with email {email[:100]}")
        if user.password != password:
            raise unauthorized().because(f"wrong password for {email}")
        return self.tokens.issue_pair(user.id)

    def refresh(self, refresh_token: str) -> TokenPair:
        now = self.tokens.clock.timestamp()
        try:
            claims = self.tokens.verify(refresh_token, TokenKind.REFRESH, now)
        except InvalidToken:
            reason = token_problem(self.tokens, refresh_token, TokenKind.REFRESH, now)
            raise invalid_refresh_token().because(reason) from None
        problem = session_problem(claims, self.users, self.revocations)
        if problem is not None:
            raise invalid_refresh_token().because(problem)
        # The signature names the token: the same payload and secret give the same one.
        signature = refresh_token.rsplit(".", 1)[1]
        if self.spent is not None and not self.spent.spend(signature, claims.exp):
            reason = "refresh token already used (refresh rotation is on)"
            raise invalid_refresh_token().because(reason)
        return self.tokens.issue_pair(claims.sub)

    def user_for_access_token(self, token: str, at: float | None = None) -> User | None:
        """The user an access token stands for (now, or ``at``), or None when it must be refused."""
        try:
            claims = self.tokens.verify(token, TokenKind.ACCESS, at)
        except InvalidToken:
            return None
        if self.revocations and self.revocations.refuses(claims):
            return None
        return self.users.get(claims.sub)

    def user_for_header(self, authorization: str | None, at: float | None = None) -> User | None:
        """The user of an ``Authorization: Bearer <token>`` header, or None."""
        token = bearer_token(authorization)
        return None if token is None else self.user_for_access_token(token, at)

    def profile(self, authorization: str | None) -> User:
        user = self.user_for_header(authorization)
        if user is None:
            raise unauthorized().because(self.why_refused(authorization))
        return user

    def why_refused(self, authorization: str | None) -> str:
        """Why a bearer header stands for no user now (refused requests only)."""
        problem = header_problem(authorization)
        if problem is not None:
            return problem
        token = bearer_token(authorization) or ""
        now = self.tokens.clock.timestamp()
        problem = token_problem(self.tokens, token, TokenKind.ACCESS, now)
        if problem is not None:
            return problem
        claims = self.tokens.decode(token, TokenKind.ACCESS)
        return session_problem(claims, self.users, self.revocations) or "refused"


def bearer_token(authorization: str | None) -> str | None:
    """The token of a bearer header; the scheme word is case-insensitive."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    return token
