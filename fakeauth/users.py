"""Users: the record, its rules, and the in-memory store."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from fakeauth.clock import format_instant, parse_instant

ROLES = ("customer", "admin")
# A fixed instant rather than the load time, so answers are the same on every run.
DEFAULT_TIMESTAMP = parse_instant("2023-01-01T00:00:00Z")
REQUIRED_FIELDS = ("email", "password", "name", "role", "avatar")
OPTIONAL_FIELDS = ("id", "creationAt", "updatedAt", "protected")
MAX_ID = 2**53 - 1


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    password: str
    name: str
    role: str
    avatar: str
    creation_at: float = DEFAULT_TIMESTAMP
    updated_at: float = DEFAULT_TIMESTAMP
    # Seed users of the real service cannot be updated or deleted through its API.
    protected: bool = False

    def to_json(self) -> dict[str, Any]:
        """The user as the real service's REST API shows it (numeric id)."""
        return {
            "id": self.id,
            "email": self.email,
            "password": self.password,
            "name": self.name,
            "role": self.role,
            "avatar": self.avatar,
            "creationAt": format_instant(self.creation_at),
            "updatedAt": format_instant(self.updated_at),
        }


class FieldError(ValueError):
    """A user's field that is wrong; ``field`` is None when one is missing."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field


class UserConflict(ValueError):
    """A user that would clash with another one (same id or email)."""


class UserStore:
    """The users in memory, looked up by id and by email.

    Reads take no lock: each mutation swaps in new dicts, so a reader in another
    thread always sees a consistent pair.
    """

    def __init__(self, users: Iterable[User] = ()) -> None:
        self._lock = threading.Lock()
        self._initial = tuple(users)
        self._by_id: dict[int, User] = {}
        self._by_email: dict[str, User] = {}
        self.reset()

    def reset(self) -> None:
        """Back to the users it was created with."""
        with self._lock:
            self._by_id = {user.id: user for user in self._initial}
            self._by_email = {user.email: user for user in self._initial}

    def get(self, user_id: int) -> User | None:
        return self._by_id.get(user_id)

    def by_email(self, email: str) -> User | None:
        return self._by_email.get(email)

    def __iter__(self) -> Iterator[User]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def next_id(self) -> int:
        return max(self._by_id, default=0) + 1

    def add(self, user: User | None = None, /, **fields: Any) -> User:
        """Add a user; without an id it gets the next free one."""
        with self._lock:
            if user is None:
                fields.setdefault("id", max(self._by_id, default=0) + 1)
                user = User(**fields)
            self._check_free(user)
            self._by_id = {**self._by_id, user.id: user}
            self._by_email = {**self._by_email, user.email: user}
            return user

    def update(self, user_id: int, **changes: Any) -> User:
        with self._lock:
            old = self._by_id.get(user_id)
            if old is None:
                raise KeyError(user_id)
            new = replace(old, **changes)
            self._check_free(new, ignore=old)
            by_email = {k: v for k, v in self._by_email.items() if v.id != user_id}
            self._by_id = {**self._by_id, user_id: new}
            self._by_email = {**by_email, new.email: new}
            return new

    def remove(self, user_id: int) -> User:
        with self._lock:
            old = self._by_id.get(user_id)
            if old is None:
                raise KeyError(user_id)
            self._by_id = {k: v for k, v in self._by_id.items() if k != user_id}
            self._by_email = {k: v for k, v in self._by_email.items() if v.id != user_id}
            return old

    def _check_free(self, user: User, ignore: User | None = None) -> None:
        same_id = self._by_id.get(user.id)
        if same_id is not None and same_id is not ignore:
            raise UserConflict(f"duplicate id {user.id} (already used by {same_id.email})")
        same_email = self._by_email.get(user.email)
        if same_email is not None and same_email is not ignore:
            raise UserConflict(
                f"duplicate email {user.email!r} (already used by user {same_email.id})"
            )


def validate_user_fields(fields: Mapping[str, Any], next_id: int) -> User:
    """Build a User from a mapping as the users file writes it; ValueError says why not."""
    unknown = [key for key in fields if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS]
    if unknown:
        allowed = ", ".join(REQUIRED_FIELDS + OPTIONAL_FIELDS)
        raise FieldError(unknown[0], f"unknown field {unknown[0]!r} (allowed: {allowed})")
    missing = [key for key in REQUIRED_FIELDS if key not in fields]
    if missing:
        raise FieldError(None, f"missing field {missing[0]!r}")
    for key in REQUIRED_FIELDS:
        value = fields[key]
        if not isinstance(value, str) or not value:
            raise FieldError(key, f"field {key!r} must be a non-empty string, not {_shown(value)}")
    if fields["role"] not in ROLES:
        raise FieldError(
            "role", f"role must be 'customer' or 'admin', not {_shown(fields['role'])}"
        )
    user_id = fields.get("id", next_id)
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
        raise FieldError("id", f"id must be a positive integer, not {_shown(user_id)}")
    if user_id > MAX_ID:
        # Browsers read the token's sub as a JavaScript number: beyond this it changes.
        raise FieldError("id", f"id must be at most {MAX_ID} (JavaScript's largest safe integer)")
    protected = fields.get("protected", False)
    if not isinstance(protected, bool):
        raise FieldError("protected", f"protected must be true or false, not {_shown(protected)}")
    return User(
        id=user_id,
        email=fields["email"],
        password=fields["password"],
        name=fields["name"],
        role=fields["role"],
        avatar=fields["avatar"],
        creation_at=_instant_field(fields, "creationAt"),
        updated_at=_instant_field(fields, "updatedAt"),
        protected=protected,
    )


def _shown(value: Any) -> str:
    # A 5,000-digit id must not make a 5,000-character message.
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _instant_field(fields: Mapping[str, Any], key: str) -> float:
    value = fields.get(key, DEFAULT_TIMESTAMP)
    if isinstance(value, datetime) and value.tzinfo is None:
        raise FieldError(key, f"{key} {value} has no time zone; add one, e.g. 'Z'")
    try:
        return parse_instant(value)
    except (ValueError, TypeError) as error:
        raise FieldError(key, f"{key}: {error}") from None
