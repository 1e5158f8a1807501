"""The users file: YAML read straight from libyaml's events into checked users.

Only one shape is accepted (a top-level ``users:`` list of flat mappings), so
the users are built while the events stream past instead of through PyYAML's
generic nodes and constructors: three times faster, every error knows its
line, and aliases and tags (YAML bombs, Python objects) never get built at all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from fakeauth.core.data_files import UnreadableFile, read_data_file
from fakeauth.core.users import FieldError, User, UserConflict, UserStore, user_fields

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

# Plain scalars that YAML reads as null, an integer or a boolean; everything
# else in a users file is text, so "password: 12345" is the string "12345".
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_BOOLS = {
    **dict.fromkeys(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"), False),
}


class UsersFileError(ValueError):
    """A users file that cannot be used; the message names file, line and problem."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = source if line is None else f"{source} line {line}"
        super().__init__(f"{where}: {problem}")


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


class _Reader:
    def __init__(self, text: str | bytes, source: str) -> None:
        self.source = source
        self._loader = _Loader(text)

    def error(self, event: yaml.Event | None, problem: str) -> UsersFileError:
        return UsersFileError(self.source, None if event is None else _line(event), problem)

    def next(self) -> yaml.Event:
        try:
            event: yaml.Event | None = self._loader.get_event()  # type: ignore[no-untyped-call]
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = None if mark is None else mark.line + 1
            raise UsersFileError(self.source, line, f"not valid YAML: {error.problem}") from None
        except yaml.YAMLError as error:
            raise UsersFileError(self.source, None, f"not valid YAML: {error}") from None
        if event is None:
            raise UsersFileError(self.source, None, "the file ends too early")
        if type(event) is yaml.ScalarEvent and event.tag is None:
            return event  # the common case, checked first: a plain or quoted value
        if isinstance(event, yaml.AliasEvent):
            raise self.error(event, f"aliases (*{event.anchor}) are not allowed in a users file")
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.error(event, f"YAML tags such as {shown} are not allowed in a users file")
        return event

    def read(self) -> list[User]:
        try:
            return self._stream()
        finally:
            self._loader.dispose()

    def _stream(self) -> list[User]:
        self.next()  # stream start
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            raise self.error(None, "the file is empty; expected a top-level 'users:' list")
        users = self._document()
        event = self.next()
        if not isinstance(event, yaml.StreamEndEvent):
            raise self.error(event, "only one YAML document is allowed")
        return users

    def _document(self) -> list[User]:
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
        self.next()  # document end
        return users

    def _users(self) -> list[User]:
        start = self.next()
        if isinstance(start, yaml.ScalarEvent) and start.implicit[0] and start.value in _NULLS:
            return []
        if not isinstance(start, yaml.SequenceStartEvent):
            raise self.error(start, "'users' must be a list")
        store = UserStore()
        while not isinstance(item := self.next(), yaml.SequenceEndEvent):
            if not isinstance(item, yaml.MappingStartEvent):
                raise self.error(item, "each user must be a mapping of fields")
            fields, lines = self._fields()
            try:
                store.create(**user_fields(fields))
            except FieldError as error:
                # At the field's own line when there is one, else at the user's.
                line = lines.get(error.field or "", _line(item))
                raise UsersFileError(self.source, line, str(error)) from None
            except UserConflict as error:
                raise self.error(item, str(error)) from None
        return list(store)

    def _fields(self) -> tuple[dict[str, Any], dict[str, int | None]]:
        """A user's fields, and the line each is on."""
        fields: dict[str, Any] = {}
        lines: dict[str, int | None] = {}
        while not isinstance(key := self.next(), yaml.MappingEndEvent):
            if not isinstance(key, yaml.ScalarEvent):
                raise self.error(key, "field names must be plain words such as 'email'")
            value = self.next()
            if not isinstance(value, yaml.ScalarEvent):
                raise self.error(value, f"field {key.value!r} must be a single value")
            if key.value in fields:
                raise self.error(key, f"field {key.value!r} given twice")
            fields[key.value] = _typed(key.value, value)
            lines[key.value] = _line(key)
        return fields, lines


def _typed(field: str, event: yaml.ScalarEvent) -> Any:
    text: str = event.value
    if not event.implicit[0]:  # quoted: always text
        return text
    if text in _NULLS:
        return None
    if field == "id" and _INT.fullmatch(text):
        try:
            return int(text.replace("_", ""))
        except ValueError:  # more digits than Python converts: let the check say so
            return text
    if field == "protected":
        return _BOOLS.get(text, text)
    return text


def _line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return None if mark is None else mark.line + 1
