"""Users: the records, the in-memory store, and the YAML loader."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from fakeauth.clock import format_instant, parse_instant

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

ROLES = ("customer", "admin")
# A fixed instant rather than the load time, so answers are the same on every run.
DEFAULT_TIMESTAMP = parse_instant("2023-01-01T00:00:00Z")
REQUIRED_FIELDS = ("email", "password", "name", "role", "avatar")
OPTIONAL_FIELDS = ("id", "creationAt", "updatedAt", "protected")
_MAX_FILE_BYTES = 64 * 1024 * 1024
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


class UsersFileError(ValueError):
    """A users file that cannot be used; the message names file, line and problem."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = source if line is None else f"{source} line {line}"
        super().__init__(f"{where}: {problem}")


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
        raise ValueError(f"unknown field {unknown[0]!r} (allowed: {allowed})")
    missing = [key for key in REQUIRED_FIELDS if key not in fields]
    if missing:
        raise ValueError(f"missing field {missing[0]!r}")
    for key in REQUIRED_FIELDS:
        value = fields[key]
        if not isinstance(value, str) or not value:
            raise ValueError(f"field {key!r} must be a non-empty string, not {value!r}")
    if fields["role"] not in ROLES:
        raise ValueError(f"role must be 'customer' or 'admin', not {fields['role']!r}")
    user_id = fields.get("id", next_id)
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
        raise ValueError(f"id must be a positive integer, not {user_id!r}")
    if user_id > MAX_ID:
        # Browsers read the token's sub as a JavaScript number: beyond this it changes.
        raise ValueError(f"id must be at most {MAX_ID} (JavaScript's largest safe integer)")
    protected = fields.get("protected", False)
    if not isinstance(protected, bool):
        raise ValueError(f"protected must be true or false, not {protected!r}")
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


def _instant_field(fields: Mapping[str, Any], key: str) -> float:
    value = fields.get(key, DEFAULT_TIMESTAMP)
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(f"{key} {value} has no time zone; add one, e.g. 'Z'")
    try:
        return parse_instant(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{key}: {error}") from None


def bundled_users_path() -> Path:
    """The seed users that ship with fakeauth."""
    return Path(__file__).parent / "fixtures" / "users.yaml"


def load_users(path: str | Path | None = None) -> list[User]:
    """Read and check a users file (the bundled one by default)."""
    file = bundled_users_path() if path is None else Path(path)
    try:
        with file.open("rb") as stream:
            data = stream.read(_MAX_FILE_BYTES + 1)
    except OSError as error:
        raise UsersFileError(str(file), None, f"cannot read: {error.strerror}") from None
    if len(data) > _MAX_FILE_BYTES:
        raise UsersFileError(
            str(file),
            None,
            f"larger than {_MAX_FILE_BYTES >> 20} MiB, the most a users file may be;"
            " keep fewer users in it (100,000 users take about 13 MiB)",
        )
    return parse_users(data, str(file))


def parse_users(text: str | bytes, source: str = "<users>") -> list[User]:
    """Check and build users from the text of a users file."""
    root, data = _load(text, source)
    items = _user_nodes(root, source)
    users: list[User] = []
    seen_ids: dict[int, User] = {}
    seen_emails: dict[str, User] = {}
    highest_id = 0  # kept as we go: max() over all ids per user made loading quadratic
    for node, fields in zip(items, data["users"], strict=True):
        line = node.start_mark.line + 1
        _check_user_node(node, fields, source)
        try:
            user = validate_user_fields(fields, highest_id + 1)
        except ValueError as error:
            raise UsersFileError(source, line, str(error)) from None
        if user.id in seen_ids:
            raise UsersFileError(
                source, line, f"duplicate id {user.id} (already used by {seen_ids[user.id].email})"
            )
        if user.email in seen_emails:
            first = seen_emails[user.email]
            raise UsersFileError(
                source, line, f"duplicate email {user.email!r} (already used by user {first.id})"
            )
        seen_ids[user.id] = seen_emails[user.email] = user
        highest_id = max(highest_id, user.id)
        users.append(user)
    return users


def _load(text: str | bytes, source: str) -> tuple[yaml.Node | None, Any]:
    # One pass builds both the nodes (for line numbers) and the values.
    loader = _Loader(text)
    root = None
    try:
        root = loader.get_single_node()
        return root, None if root is None else loader.construct_document(root)
    except (ValueError, OverflowError) as error:
        # A value YAML's own rules refuse, such as 2023-02-30 or an int of 5,000 digits.
        line = None if root is None else _line_of_bad_scalar(root)
        raise UsersFileError(source, line, f"cannot read a value: {error}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        raise UsersFileError(source, line, f"not valid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise UsersFileError(source, None, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()


def _line_of_bad_scalar(root: yaml.Node) -> int | None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                _Loader("").construct_object(node)
            except (ValueError, OverflowError):
                return int(node.start_mark.line) + 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return None


def _user_nodes(root: yaml.Node | None, source: str) -> list[yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        line = None if root is None else root.start_mark.line + 1
        raise UsersFileError(source, line, "expected a mapping with a top-level 'users:' list")
    for key, _ in root.value:
        if key.value != "users":
            raise UsersFileError(
                source,
                key.start_mark.line + 1,
                f"unknown top-level key {key.value!r} (expected only 'users')",
            )
    for _, value in root.value:
        if not isinstance(value, yaml.SequenceNode):
            raise UsersFileError(source, value.start_mark.line + 1, "'users' must be a list")
        return list(value.value)
    raise UsersFileError(source, root.start_mark.line + 1, "no top-level 'users:' list")


def _check_user_node(node: yaml.Node, fields: Any, source: str) -> None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode) or not isinstance(fields, dict):
        raise UsersFileError(source, line, "each user must be a mapping of fields")
    seen: set[str] = set()
    for key, value in node.value:
        if key.value in seen:
            raise UsersFileError(
                source, key.start_mark.line + 1, f"field {key.value!r} given twice"
            )
        seen.add(key.value)
        if not isinstance(value, yaml.ScalarNode):
            raise UsersFileError(
                source, value.start_mark.line + 1, f"field {key.value!r} must be a single value"
            )
