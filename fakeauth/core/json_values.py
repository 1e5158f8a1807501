"""JSON from clients, with a bound on nesting: deep documents cost stack, not just bytes."""

from __future__ import annotations

import json
from typing import Any

# Far deeper than any real request (a GraphQL input object or a REST body) nests.
MAX_DEPTH = 64


class JsonError(ValueError):
    """Text that is not JSON, or JSON nested deeper than MAX_DEPTH; the message says which."""


def loads(text: str | bytes) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonError(f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise JsonError(str(error)) from None
    if depth(value) > MAX_DEPTH:
        raise JsonError(f"nested more than {MAX_DEPTH} levels deep")
    return value


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
