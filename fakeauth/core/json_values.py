"""JSON from clients, with a bound on nesting: deep documents cost stack, not just bytes."""

from __future__ import annotations

import json
from typing import Any

# Far deeper than any real request (a GraphQL input object or a REST body) nests.
MAX_DEPTH = 64


class JsonError(ValueError):
    """Text that is not JSON, or JSON nested deeper than MAX_DEPTH; the message says which.

    ``problem`` and ``position`` say what the parser met where (None: too deep).
    """

    def __init__(self, message: str, problem: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.problem, self.position = problem, position


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _js_int(digits: str) -> int | float:
    # JavaScript has one number type: 1 followed by 5,000 zeros is Infinity there, and
    # Python would refuse to convert it at all.
    return int(digits) if len(digits) <= 300 else float(digits)


def loads(text: str | bytes, *, strict_numbers: bool = False) -> Any:
    """Parse JSON; with ``strict_numbers``, NaN and Infinity are refused, as JavaScript does."""
    try:
        if strict_numbers:
            value = json.loads(text, parse_constant=_no_constant, parse_int=_js_int)
        else:
            value = json.loads(text)
    except RecursionError:
        raise JsonError(f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as error:
        raise JsonError(str(error), error.msg, error.pos) from None
    except ValueError as error:  # UnicodeDecodeError, or a constant refused
        position = _constant_at(text, str(error))
        raise JsonError(str(error), "Expecting value", position) from None
    if depth(value) > MAX_DEPTH:
        raise JsonError(f"nested more than {MAX_DEPTH} levels deep")
    return value


def _constant_at(text: str | bytes, name: str) -> int | None:
    if isinstance(text, bytes) or name not in ("NaN", "Infinity", "-Infinity"):
        return None
    return text.find(name)


def depth(value: Any) -> int:
    """How deep lists and objects nest in a JSON value (a scalar is 0), without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            pending.extend((child, level + 1) for child in children)
    return deepest
