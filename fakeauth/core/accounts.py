"""The rules of the user operations: list, read, check, add, update, delete.

Inputs are checked as the real service's NestJS ValidationPipe checks its
CreateUserDto / UpdateUserDto, with class-validator's wording, one message per
failed rule. Values may come untyped (REST JSON) or typed (GraphQL): both go
through the same checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fakeauth.core import validation as v
from fakeauth.core.clock import Clock
from fakeauth.core.errors import (
    ApiError,
    DatabaseError,
    bad_request,
    bad_request_message,
    entity_not_found,
    nest_body,
    not_found,
)
from fakeauth.core.users import (
    API_FIELDS,
    MAX_ID,
    ROLES,
    TooManyUsers,
    User,
    UserConflict,
    UserStore,
)

DEFAULT_ROLE = "customer"
# Nest's ParseIntPipe: ASCII digits only (str.isdigit would also take "²" and Arabic-Indic digits).
_INTEGER = re.compile(r"-?[0-9]+")
MIN_PASSWORD_LENGTH = 4

# The real DTOs' rules, each field's in the order class-validator reports them (its
# decorators apply from the bottom up: `@IsEmail() @IsNotEmpty() email` says
# "should not be empty" first).
CREATE_USER_DTO: v.Dto = {
    "email": (v.NOT_EMPTY, v.IS_EMAIL),
    "name": (v.NOT_EMPTY, v.IS_STRING),
    "password": (v.min_length(MIN_PASSWORD_LENGTH), v.NOT_EMPTY, v.IS_ALPHANUMERIC),
    "role": (v.one_of(ROLES),),
    "avatar": (v.NOT_EMPTY, v.IS_URL),
}
UPDATE_USER_DTO: v.Dto = {
    "email": (v.IS_EMAIL,),
    "name": (v.IS_STRING,),
    "password": (v.min_length(MIN_PASSWORD_LENGTH), v.IS_ALPHANUMERIC),
    "role": (v.one_of(ROLES),),
    "avatar": (v.IS_URL,),
}
# ValidateUserDto, of isAvailable and POST /users/is-available.
EMAIL_DTO: v.Dto = {"email": (v.NOT_EMPTY, v.IS_EMAIL)}


class Accounts:
    """The user operations over a store, timestamped by the fake's clock."""

    def __init__(self, store: UserStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def users(self, limit: Any = None) -> list[User]:
        """All users in id order, or the first ``limit`` of them.

        As the real service's ``if (limit) take: limit``: no limit, 0 or a negative one
        gives them all. A query string's limit is read as JavaScript's Number() reads it.
        """
        users = sorted(self.store, key=lambda user: user.id)
        number = v.js_number(limit) if isinstance(limit, str) else limit
        if number is not None and not v.IS_NUMBER.accepts(number):
            raise bad_request(v.problems({"limit": number}, {"limit": (v.IS_NUMBER,)}))
        if not number or number < 0:
            return users
        return users[: int(number)]

    def now(self) -> float:
        """The clock's time in whole seconds, as the real service's database keeps it."""
        return float(int(self.clock.timestamp()))

    def get(self, user_id: Any) -> User:
        user = self.store.get(parse_id(user_id))
        if user is None:
            raise user_not_found(user_id)
        return user

    def is_available(self, email: Any) -> bool:
        problems = v.problems({"email": email}, EMAIL_DTO)
        if problems:
            raise bad_request(problems)
        return self.store.by_email(email) is None

    def add(self, data: Mapping[str, Any]) -> User:
        """A new user from CreateUserDto fields; it can log in at once."""
        problems = _check_fields(data, required=True)
        if problems:
            raise bad_request(problems)
        now = self.now()
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
        except TooManyUsers as error:
            raise bad_request([str(error)]) from None

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
            return self.store.update(user.id, **fields, updated_at=self.now())
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
    text = value.strip() if isinstance(value, str) else ""
    if _INTEGER.fullmatch(text):
        # Longer than any id can be (they end at 2**53 - 1): one that matches no user.
        return int(text) if len(text) <= 17 else MAX_ID + 1
    raise bad_request_message("Validation failed (numeric string is expected)")


def user_not_found(user_id: Any) -> DatabaseError:
    shown = str(user_id) if len(str(user_id)) <= 20 else str(user_id)[:17] + "..."
    error = not_found(f"User with id {shown} not found; list the users to see the ids in use")
    # findOneByOrFail({ id }), in REST's answer; an id no user can have is shown as asked.
    number = parse_id(user_id)
    return entity_not_found(error, "User", {"id": number if number <= MAX_ID else shown})


def email_taken(email: str) -> ApiError:
    return bad_request([f"email {email} is already taken by another user; choose another email"])


def protected_user(doing: str, do: str) -> ApiError:
    # The real service refuses its seed users with Nest's UnauthorizedException.
    message = f"This user is not available for {doing}; instead, create your own user to {do}."
    return ApiError(message, "UNAUTHENTICATED", nest_body(401, message))


def rule_problems(user: User) -> list[str]:
    """What the real API's input rules would say of this user's values (none: all good)."""
    return _check_fields({name: getattr(user, name) for name in API_FIELDS}, required=True)


def _check_fields(data: Mapping[str, Any], *, required: bool) -> list[str]:
    if required:
        return v.problems(data, CREATE_USER_DTO, optional=("role",))
    return v.problems(data, UPDATE_USER_DTO, optional=API_FIELDS)
