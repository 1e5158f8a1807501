"""The YAML data files (users, catalogue) read straight from libyaml's events.

Each file has one fixed shape, so its records are built while the events stream past
instead of through PyYAML's generic nodes and constructors: three times faster, every
error knows its line, and aliases and tags (YAML bombs, Python objects) never get
built at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import yaml

try:
    Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    Loader = yaml.SafeLoader

# Plain scalars that YAML reads as null or an integer; the files' other values are
# text unless a file's own rules say otherwise, so "password: 12345" is "12345".
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"[-+]?[0-9][0-9_]*")

_T = TypeVar("_T")


class DataFileError(ValueError):
    """A data file that cannot be used; the message names file, line and problem."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = source if line is None else f"{source} line {line}"
        super().__init__(f"{where}: {problem}")


class EventReader:
    """One file's events; subclasses name their error and their file in ``noun``."""

    error_type: type[DataFileError] = DataFileError
    noun = "data file"

    def __init__(self, text: str | bytes, source: str) -> None:
        self.source = source
        self._loader = Loader(text)

    def error(self, event: yaml.Event | None, problem: str) -> DataFileError:
        return self.error_type(self.source, None if event is None else line(event), problem)

    def next(self) -> yaml.Event:
        try:
            event: yaml.Event | None = self._loader.get_event()  # type: ignore[no-untyped-call]
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            at = None if mark is None else mark.line + 1
            raise self.error_type(self.source, at, f"not valid YAML: {error.problem}") from None
        except yaml.YAMLError as error:
            raise self.error_type(self.source, None, f"not valid YAML: {error}") from None
        if event is None:
            raise self.error_type(self.source, None, "the file ends too early")
        if type(event) is yaml.ScalarEvent and event.tag is None:
            return event  # the common case, checked first: a plain or quoted value
        if isinstance(event, yaml.AliasEvent):
            raise self.error(event, f"aliases (*{event.anchor}) are not allowed in a {self.noun}")
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.error(event, f"YAML tags such as {shown} are not allowed in a {self.noun}")
        return event

    def document(self, root: Callable[[], _T], empty: str) -> _T:
        """What ``root`` reads of the one document the text must hold (``empty``: the
        problem of a file with none); the loader is released either way."""
        try:
            self.next()  # stream start
            if isinstance(self.next(), yaml.StreamEndEvent):
                raise self.error(None, empty)
            try:
                value = root()
            except DataFileError:
                # A user or product found wrong may only look so because of bad YAML
                # further on (a mis-indented line closes a mapping early): that is
                # the problem to report, at its own line.
                self._raise_later_yaml_error()
                raise
            self.next()  # document end
            event = self.next()
            if not isinstance(event, yaml.StreamEndEvent):
                raise self.error(event, "only one YAML document is allowed")
            return value
        finally:
            self._loader.dispose()

    def _raise_later_yaml_error(self) -> None:
        try:
            while self._loader.get_event() is not None:  # type: ignore[no-untyped-call]
                pass
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            at = None if mark is None else mark.line + 1
            raise self.error_type(self.source, at, f"not valid YAML: {error.problem}") from None
        except yaml.YAMLError:
            pass

    def mappings(self, name: str, kind: str) -> Iterator[yaml.MappingStartEvent]:
        """The start of each mapping in the list ``name``, a list of ``kind``s; an
        empty value is an empty list. The caller reads each mapping's contents."""
        start = self.next()
        if isinstance(start, yaml.ScalarEvent) and start.implicit[0] and start.value in NULLS:
            return
        if not isinstance(start, yaml.SequenceStartEvent):
            raise self.error(start, f"{name!r} must be a list")
        while not isinstance(item := self.next(), yaml.SequenceEndEvent):
            if not isinstance(item, yaml.MappingStartEvent):
                raise self.error(item, f"each {kind} must be a mapping of fields")
            yield item

    def field_names(self, example: str) -> Iterator[yaml.ScalarEvent]:
        """Each key of the mapping just started; the caller reads its value."""
        while not isinstance(key := self.next(), yaml.MappingEndEvent):
            if not isinstance(key, yaml.ScalarEvent):
                raise self.error(key, f"field names must be plain words such as {example!r}")
            yield key


def typed(event: yaml.ScalarEvent, integer: bool, plain: Callable[[str], Any] | None = None) -> Any:
    """A scalar's value: quoted is text; plain, a null is None, an integer is an int where
    ``integer``, and other text is what ``plain`` makes of it, else text."""
    text: str = event.value
    if not event.implicit[0]:
        return text
    if text in NULLS:
        return None
    if integer and _INT.fullmatch(text):
        try:
            return int(text.replace("_", ""))
        except ValueError:  # more digits than Python converts: let the file's check say so
            return text
    return text if plain is None else plain(text)


def line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return None if mark is None else mark.line + 1
