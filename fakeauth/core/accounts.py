"""The rules of the user operations: list, read, check, add, update, delete.

Inputs are checked as the real service's NestJS ValidationPipe checks its
CreateUserDto / UpdateUserDto, with class-validator's wording, one message per
failed rule. Values may come untyped (REST JSON) or typed (GraphQL): both go
through the same checks.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from typing import Any

from fakeauth.core.clock import Clock
from fakeauth.core.errors import ApiError, bad_request, bad_request_message, nest_body, not_found
from fakeauth.core.users import API_FIELDS, ROLES, User, UserConflict, UserStore

DEFAULT_ROLE = "customer"
MIN_PASSWORD_LENGTH = 4

# validator.js's isEmail, simplified: a local part, an "@", a domain with a TLD.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")
# validator.js's isURL defaults: optional http/https/ftp scheme, a host with a TLD or an IP.
_URL = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
    r"(?:[^\s/@]+@)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s/:?#]+)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<rest>[/?#]\S*)?"
)
_HOST_LABEL = re.compile(r"[^\W_](?:[^\W_]|-){0,61}(?<!-)")
_TLD = re.compile(r"[^\W\d_]{2,}|xn--[A-Za-z0-9-]+")


class Accounts:
    """The user operations over a store, timestamped by the fake's clock."""

    def __init__(self, store: UserStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def users(self, limit: Any = None) -> list[User]:
        """All users in id order, or the first ``limit`` of them."""
        users = sorted(self.store, key=lambda user: user.id)
        if limit is None:
            return users
        return users[: _check_limit(limit)]

    def get(self, user_id: Any) -> User:
        user = self.store.get(parse_id(user_id))
        if user is None:
            raise user_not_found(user_id)
        return user

    def is_available(self, email: str) -> bool:
        return self.store.by_email(email) is None

    def add(self, data: Mapping[str, Any]) -> User:
        """A new user from CreateUserDto fields; it can log in at once."""
        problems = _check_fields(data, required=True)
        if problems:
            raise bad_request(problems)
        now = self.clock.timestamp()
        try:
            return self.store.create(
                email=data["email"],
                name=data["name"],
                password=data["password"],
                role=data.get("role") or DEFAULT_ROLE,
                avatar=data["avatar"],
                creation_at=now,
                updated_at=now,
            )
        except UserConflict:
            raise email_taken(data["email"]) from None

    def update(self, user_id: Any, changes: Mapping[str, Any]) -> User:
        """Apply UpdateUserDto fields (absent or null ones stay as they are)."""
        given = {key: value for key, value in changes.items() if value is not None}
        problems = _check_fields(given, required=False)
        if problems:
            raise bad_request(problems)
        user = self.get(user_id)
        if user.protected:
            raise protected_user("updating", "update")
        fields = {key: given[key] for key in API_FIELDS if key in given}
        try:
            return self.store.update(user.id, **fields, updated_at=self.clock.timestamp())
        except UserConflict:
            raise email_taken(fields["email"]) from None
        except KeyError:
            raise user_not_found(user_id) from None

    def delete(self, user_id: Any) -> bool:
        user = self.get(user_id)
        if user.protected:
            raise protected_user("deleting", "delete")
        try:
            self.store.remove(user.id)
        except KeyError:
            raise user_not_found(user_id) from None
        return True


def parse_id(value: Any) -> int:
    """A user id from a GraphQL ID or a URL segment, as Nest's ParseIntPipe reads it."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    raise bad_request_message("Validation failed (numeric string is expected)")


def user_not_found(user_id: Any) -> ApiError:
    return not_found(f"User with id {user_id} not found; list the users to see the ids in use")


def email_taken(email: str) -> ApiError:
    return bad_request([f"email {email} is already taken by another user; choose another email"])


def protected_user(doing: str, do: str) -> ApiError:
    # The real service refuses its seed users with Nest's UnauthorizedException.
    message = f"This user is not available for {doing}; instead, create your own user to {do}."
    return ApiError(message, "UNAUTHENTICATED", nest_body(401, message))


def _check_limit(limit: Any) -> int:
    number: float | None = None
    if isinstance(limit, int | float) and not isinstance(limit, bool) and math.isfinite(limit):
        number = limit
    elif isinstance(limit, str) and re.fullmatch(r"\s*-?[0-9]+(\.[0-9]+)?\s*", limit):
        number = float(limit)
    if number is not None and number == int(number) and number > 0:
        return int(number)
    problems = []
    if number is None or number != int(number):
        problems.append("limit must be an integer number")
    if number is None or number <= 0:
        problems.append("limit must be a positive number")
    raise bad_request(problems)


def rule_problems(user: User) -> list[str]:
    """What the real API's input rules would say of this user's values (none: all good)."""
    return _check_fields({name: getattr(user, name) for name in API_FIELDS}, required=True)


def _check_fields(data: Mapping[str, Any], *, required: bool) -> list[str]:
    """One message per failed rule, in the DTO's field order."""
    problems: list[str] = []
    for name in API_FIELDS:
        if name not in data or data[name] is None:
            if required and name != "role":
                problems.extend(_RULES[name](None))
            continue
        problems.extend(_RULES[name](data[name]))
    return problems


def _email_problems(value: Any) -> list[str]:
    problems = []
    if not isinstance(value, str) or not _EMAIL.fullmatch(value):
        problems.append("email must be an email")
    if _is_empty(value):
        problems.append("email should not be empty")
    return problems


def _name_problems(value: Any) -> list[str]:
    problems = []
    if not isinstance(value, str):
        problems.append("name must be a string")
    if _is_empty(value):
        problems.append("name should not be empty")
    return problems


def _password_problems(value: Any) -> list[str]:
    problems = []
    if not isinstance(value, str):
        problems.append("password must be a string")
    if not isinstance(value, str) or len(value) < MIN_PASSWORD_LENGTH:
        problems.append(
            f"password must be longer than or equal to {MIN_PASSWORD_LENGTH} characters"
        )
    if not isinstance(value, str) or not _ALPHANUMERIC.fullmatch(value):
        problems.append("password must contain only letters and numbers")
    if _is_empty(value):
        problems.append("password should not be empty")
    return problems


def _role_problems(value: Any) -> list[str]:
    if value in ROLES:
        return []
    return ["role must be one of the following values: " + ", ".join(sorted(ROLES))]


def _avatar_problems(value: Any) -> list[str]:
    problems = []
    if not isinstance(value, str) or not is_url(value):
        problems.append("avatar must be a URL address")
    if _is_empty(value):
        problems.append("avatar should not be empty")
    return problems


_RULES = {
    "email": _email_problems,
    "name": _name_problems,
    "password": _password_problems,
    "role": _role_problems,
    "avatar": _avatar_problems,
}


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def is_url(value: str) -> bool:
    """class-validator's IsUrl with its defaults, close enough for avatars."""
    match = _URL.fullmatch(value)
    if match is None or len(value) > 2083:
        return False
    scheme = match["scheme"]
    if scheme is not None and scheme.lower() not in ("http", "https", "ftp"):
        return False
    if match["port"] is not None and not 0 < int(match["port"]) <= 65535:
        return False
    host = match["host"].strip("[]")
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2 or not _TLD.fullmatch(labels[-1]):
        return False
    return all(_HOST_LABEL.fullmatch(label) and len(label) <= 63 for label in labels)
