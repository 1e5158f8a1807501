"""The users file: a top-level ``users:`` list of flat mappings, read from YAML events.

See ``yaml_events`` for why it is read event by event rather than through PyYAML's nodes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from fakeauth.core.data_files import UnreadableFile, read_data_file
from fakeauth.core.users import FieldError, User, UserConflict, UserStore, user_fields
from fakeauth.core.yaml_events import DataFileError, EventReader, line, typed

# Besides YAML's nulls and the id's integer, only "protected" is read as YAML reads it.
_BOOLS = {
    **dict.fromkeys(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"), False),
}


class UsersFileError(DataFileError):
    """A users file that cannot be used; the message names file, line and problem."""


def bundled_users_path() -> Path:
    """The seed users that ship with fakeauth."""
    return Path(__file__).parent.parent / "fixtures" / "users.yaml"


def load_users(path: str | Path | None = None) -> list[User]:
    """Read and check a users file (the bundled one by default)."""
    file = bundled_users_path() if path is None else Path(path)
    try:
        data = read_data_file(
            file, "users file", "keep fewer users in it (100,000 users take about 13 MiB)"
        )
    except UnreadableFile as error:
        raise UsersFileError(str(file), None, str(error)) from None
    return parse_users(data, str(file))


def parse_users(text: str | bytes, source: str = "<users>") -> list[User]:
    """Check and build users from the text of a users file."""
    return _Reader(text, source).read()


class _Reader(EventReader):
    error_type = UsersFileError
    noun = "users file"

    def read(self) -> list[User]:
        return self.document(self._root, "the file is empty; expected a top-level 'users:' list")

    def _root(self) -> list[User]:
        root = self.next()
        if not isinstance(root, yaml.MappingStartEvent):
            raise self.error(root, "expected a mapping with a top-level 'users:' list")
        users: list[User] | None = None
        while not isinstance(key := self.next(), yaml.MappingEndEvent):
            if not isinstance(key, yaml.ScalarEvent) or key.value != "users":
                name = key.value if isinstance(key, yaml.ScalarEvent) else "?"
                raise self.error(key, f"unknown top-level key {name!r} (expected only 'users')")
            if users is not None:
                raise self.error(key, "'users' is given twice")
            users = self._users()
        if users is None:
            raise self.error(root, "no top-level 'users:' list")
        return users

    def _users(self) -> list[User]:
        store = UserStore()
        for item in self.mappings("users", "user"):
            fields, lines = self._fields()
            try:
                store.create(**user_fields(fields))
            except FieldError as error:
                # At the field's own line when there is one, else at the user's.
                at = lines.get(error.field or "", line(item))
                raise UsersFileError(self.source, at, str(error)) from None
            except UserConflict as error:
                raise self.error(item, str(error)) from None
        return list(store)

    def _fields(self) -> tuple[dict[str, Any], dict[str, int | None]]:
        """A user's fields, and the line each is on."""
        fields: dict[str, Any] = {}
        lines: dict[str, int | None] = {}
        for key in self.field_names("email"):
            value = self.next()
            if not isinstance(value, yaml.ScalarEvent):
                raise self.error(value, f"field {key.value!r} must be a single value")
            if key.value in fields:
                raise self.error(key, f"field {key.value!r} given twice")
            fields[key.value] = _typed(key.value, value)
            lines[key.value] = line(key)
        return fields, lines


def _typed(field: str, event: yaml.ScalarEvent) -> Any:
    return typed(event, field == "id", _boolean if field == "protected" else None)


def _boolean(text: str) -> Any:
    return _BOOLS.get(text, text)
