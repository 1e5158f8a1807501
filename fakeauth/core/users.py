"""Users: the record, its fields and rules, the in-memory store, and the tests' view of it."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from fakeauth.core.clock import Clock, format_instant, parse_instant

if TYPE_CHECKING:
    from fakeauth.core.revocations import Revocations


class Role(Enum):
    # The real schema's order; ROLES is the order people read (most users are customers).
    admin = "admin"
    customer = "customer"


ROLES = (Role.customer.value, Role.admin.value)
# The fields a client gives (CreateUserDto's order, which class-validator's messages follow).
API_FIELDS = ("email", "name", "password", "role", "avatar")
# The users file also takes these; every API field is required there.
FILE_FIELDS = (*API_FIELDS, "id", "creationAt", "updatedAt", "protected")
# A fixed instant rather than the load time, so answers are the same on every run.
DEFAULT_TIMESTAMP = parse_instant("2023-01-01T00:00:00Z")
DEFAULT_AVATAR = "https://api.lorem.space/image/face?w=640&h=480"
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
        shown: dict[str, Any] = {"id": self.id}
        shown.update((name, getattr(self, name)) for name in API_FIELDS)
        shown["creationAt"] = format_instant(self.creation_at)
        shown["updatedAt"] = format_instant(self.updated_at)
        return shown


class FieldError(ValueError):
    """A user's field that is wrong; ``field`` is None when one is missing."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field


class UserConflict(ValueError):
    """A user that would clash with another one (same id or email)."""


class TooManyUsers(ValueError):
    """A user that would make the store hold more than its limit."""


class UserStore:
    """The users in memory, looked up by id and by email in constant time.

    Each change is one dict operation under the lock, so readers in other threads
    need none. The users it was created with are kept aside and shared until the
    first change, so a reset is free. Ids are never given out twice, not even after
    a delete or a reset: a deleted user's tokens must never name a newcomer.
    """

    def __init__(self, users: Iterable[User] = (), *, limit: int | None = None) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._by_id: dict[int, User] = {}
        self._by_email: dict[str, User] = {}
        self._owned = True
        self._last_id = 0
        for user in users:
            self._check_free(user)
            self._put(user)
        self._initial = (self._by_id, self._by_email)
        self._initial_last_id = self._last_id
        self.reset()

    @classmethod
    def sharing(cls, other: UserStore) -> UserStore:
        """A store that starts from ``other``'s initial users, without copying them.

        Both read the same dicts until one of them changes its users: a namespace
        of 10,000 users costs nothing until it adds, updates or removes one.
        """
        store = cls()
        store._initial = other._initial
        store._initial_last_id = store._last_id = other._initial_last_id
        store.reset()
        return store

    def reset(self) -> None:
        """Back to the users it was created with."""
        with self._lock:
            self._by_id, self._by_email = self._initial
            self._owned = False

    def get(self, user_id: int) -> User | None:
        return self._by_id.get(user_id)

    def by_email(self, email: str) -> User | None:
        return self._by_email.get(email)

    def __iter__(self) -> Iterator[User]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, user: User) -> User:
        """Add a user as it is; UserConflict when its id or email is taken."""
        with self._lock:
            self._check_room()
            self._check_free(user)
            self._put(user)
            return user

    def create(self, **fields: Any) -> User:
        """Add a user made of these fields, with the next unused id unless one is given."""
        with self._lock:
            self._check_room()
            fields.setdefault("id", self._last_id + 1)
            user = User(**fields)
            self._check_free(user)
            self._put(user)
            return user

    def update(self, user_id: int, **changes: Any) -> User:
        with self._lock:
            old = self._by_id.get(user_id)
            if old is None:
                raise KeyError(user_id)
            new = replace(old, **changes)
            self._check_free(new, ignore=old)
            self._own()
            del self._by_email[old.email]
            self._put(new)
            return new

    def remove(self, user_id: int) -> User:
        with self._lock:
            old = self._by_id.get(user_id)
            if old is None:
                raise KeyError(user_id)
            self._own()
            del self._by_id[user_id]
            del self._by_email[old.email]
            return old

    def _own(self) -> None:
        # Copy on the first write: until then the initial users are shared.
        if not self._owned:
            self._by_id, self._by_email = dict(self._by_id), dict(self._by_email)
            self._owned = True

    def _put(self, user: User) -> None:
        self._own()
        self._by_id[user.id] = user
        self._by_email[user.email] = user
        self._last_id = max(self._last_id, user.id)

    def _check_room(self) -> None:
        if self._limit is not None and len(self._by_id) >= self._limit:
            raise TooManyUsers(
                f"fakeauth holds at most {self._limit} users (--max-users); delete some first"
            )

    def _check_free(self, user: User, ignore: User | None = None) -> None:
        same_id = self._by_id.get(user.id)
        if same_id is not None and same_id is not ignore:
            raise UserConflict(f"duplicate id {user.id} (already used by {same_id.email})")
        same_email = self._by_email.get(user.email)
        if same_email is not None and same_email is not ignore:
            raise UserConflict(
                f"duplicate email {user.email!r} (already used by user {same_email.id})"
            )


def user_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of a User from a mapping as the users file writes one.

    ``id`` is left out when not given. FieldError says what is wrong.
    """
    unknown = [key for key in fields if key not in FILE_FIELDS]
    if unknown:
        allowed = ", ".join(FILE_FIELDS)
        raise FieldError(unknown[0], f"unknown field {unknown[0]!r} (allowed: {allowed})")
    missing = [key for key in API_FIELDS if key not in fields]
    if missing:
        raise FieldError(None, f"missing field {missing[0]!r}")
    values: dict[str, Any] = {}
    for key in API_FIELDS:
        value = fields[key]
        if not isinstance(value, str) or not value:
            raise FieldError(key, f"field {key!r} must be a non-empty string, not {_shown(value)}")
        values[key] = value
    if values["role"] not in ROLES:
        raise FieldError(
            "role", f"role must be 'customer' or 'admin', not {_shown(fields['role'])}"
        )
    if "id" in fields:
        values["id"] = _id_field(fields["id"])
    protected = fields.get("protected", False)
    if not isinstance(protected, bool):
        raise FieldError("protected", f"protected must be true or false, not {_shown(protected)}")
    values["protected"] = protected
    values["creation_at"] = _instant_field(fields, "creationAt")
    values["updated_at"] = _instant_field(fields, "updatedAt")
    return values


def _id_field(user_id: Any) -> int:
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
        raise FieldError("id", f"id must be a positive integer, not {_shown(user_id)}")
    if user_id > MAX_ID:
        # Browsers read the token's sub as a JavaScript number: beyond this it changes.
        raise FieldError("id", f"id must be at most {MAX_ID} (JavaScript's largest safe integer)")
    return user_id


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


UserSpec = User | Mapping[str, Any]


class Users:
    """The users of a fake as a test sees them: look up by id or email, add, remove."""

    def __init__(self, store: UserStore, clock: Clock, revocations: Revocations) -> None:
        self._store = store
        self._clock = clock
        self._revocations = revocations

    def add(
        self,
        email: str,
        password: str = "changeme",
        *,
        name: str | None = None,
        role: str = "customer",
        avatar: str = DEFAULT_AVATAR,
        **more: Any,
    ) -> User:
        """Add a user, checked like the users file; name defaults to the email's local part."""
        fields = {"email": email, "password": password, "name": name or email.partition("@")[0]}
        return self.add_fields({**fields, "role": role, "avatar": avatar, **more})

    def add_fields(self, fields: Mapping[str, Any]) -> User:
        """Add a user given as the users file writes one, created now by the clock.

        ValueError (or its subclass UserConflict, for a taken id or email) says why not.
        """
        now = self._clock.timestamp()
        return self._store.create(**user_fields({"creationAt": now, "updatedAt": now, **fields}))

    def remove(self, key: int | str) -> User:
        """Remove a user by id or email; its tokens stop working."""
        return self._store.remove(self[key].id)

    def revoke(self, key: int | str) -> User:
        """End the user's sessions: its tokens issued up to the clock's now are refused."""
        user = self[key]
        self._revocations.revoke(user.id, self._clock.timestamp())
        return user

    def get(self, key: int | str) -> User | None:
        store = self._store
        return store.by_email(key) if isinstance(key, str) else store.get(key)

    def __getitem__(self, key: int | str) -> User:
        user = self.get(key)
        if user is None:
            raise KeyError(f"no user {key!r}")
        return user

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int | str) and self.get(key) is not None

    def __iter__(self) -> Iterator[User]:
        return iter(sorted(self._store, key=lambda user: user.id))

    def __len__(self) -> int:
        return len(self._store)


def users_from(items: Iterable[UserSpec]) -> list[User]:
    """Users from User objects or mappings as in the users file; ValueError says why not."""
    store = UserStore()
    for item in items:
        if isinstance(item, User):
            store.add(item)
        else:
            store.create(**user_fields(item))
    return list(store)
