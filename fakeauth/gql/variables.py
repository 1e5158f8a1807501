"""Variable values checked as graphql-js 16 checks them, so errors read as Apollo's do.

graphql-core follows graphql-js 17, whose variable messages were reworded
("Variable '$e' has invalid value: ..."); the real service runs graphql-js 16
("Variable \"$e\" got invalid value 123; ..."). Its checks are reused here, and its
messages rewritten in 16's words, with values shown as graphql-js's inspect shows them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
    is_input_type,
    is_non_null_type,
    type_from_ast,
)
from graphql.pyutils import inspect as graphql_core_inspect
from graphql.utilities.validate_input_value import validate_input_value

_MAX_ARRAY_LENGTH = 10
_MAX_DEPTH = 2
_QUOTED = re.compile(r"'([^'\s]*)'")
_MISSING_FIELD = re.compile(r"Expected value of type '(\w+)' to include required field '(\w+)'")
_UNKNOWN_FIELD = re.compile(r"Expected value of type '(\w+)' not to include unknown field '(\w+)'")
_NOT_NULL = re.compile(r"Expected value of non-null type '([^']+)' not to be null\.")
_NOT_OBJECT = re.compile(r"Expected value of type '(\w+)' to be an object")


def variable_errors(
    schema: GraphQLSchema, definition: OperationDefinitionNode, inputs: Mapping[str, Any]
) -> list[GraphQLError]:
    """What graphql-js 16 says of these variable values (none: they fit the operation)."""
    errors: list[GraphQLError] = []
    for node in definition.variable_definitions or ():
        name = node.variable.name.value
        type_ = type_from_ast(schema, node.type)
        if type_ is None or not is_input_type(type_):
            continue  # validation has refused the document already
        if name not in inputs:
            if node.default_value is None and is_non_null_type(type_):
                message = f'Variable "${name}" of required type "{type_}" was not provided.'
                errors.append(GraphQLError(message, node))
            continue
        value = inputs[name]
        if value is None and is_non_null_type(type_):
            message = f'Variable "${name}" of non-null type "{type_}" must not be null.'
            errors.append(GraphQLError(message, node))
            continue

        def report(
            error: GraphQLError, path: list[str | int], name: str = name, node: Any = node
        ) -> None:
            found = _at(inputs[name], path)
            prefix = f'Variable "${name}" got invalid value {inspect(found)}'
            if path:
                prefix += f' at "{name}{_printed(path)}"'
            errors.append(
                GraphQLError(f"{prefix}; {_reworded(schema, error.message, found)}", node)
            )

        validate_input_value(value, type_, report)
    return errors


def _at(value: Any, path: list[str | int]) -> Any:
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return value
    return value


def _printed(path: list[str | int]) -> str:
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path)


def _reworded(schema: GraphQLSchema, message: str, value: Any) -> str:
    """A graphql-core 3.3 message in graphql-js 16's words."""
    if match := _MISSING_FIELD.match(message):
        owner = schema.get_type(match[1])
        field_type = (
            owner.fields[match[2]].type if isinstance(owner, GraphQLInputObjectType) else "?"
        )
        return f'Field "{match[2]}" of required type "{field_type}" was not provided.'
    if match := _UNKNOWN_FIELD.match(message):
        return f'Field "{match[2]}" is not defined by type "{match[1]}".'
    if match := _NOT_NULL.match(message):
        return f'Expected non-nullable type "{match[1]}" not to be null.'
    if match := _NOT_OBJECT.match(message):
        return f'Expected type "{get_named_type(schema.get_type(match[1]))}" to be an object.'
    # A leaf's own message ends with the value; graphql-core shows it as Python would.
    shown = _py_inspect(value)
    if shown and message.endswith(shown):
        message = message[: -len(shown)] + inspect(value)
    elif shown and message.endswith(shown + "."):
        message = message[: -len(shown) - 1] + inspect(value) + "."
    return js_quotes(message)


def js_quotes(message: str) -> str:
    """graphql-core quotes names 'like this'; graphql-js "like this"."""
    return _QUOTED.sub(r'"\1"', message)


def _py_inspect(value: Any) -> str:
    return str(graphql_core_inspect(value))


def inspect(value: Any, depth: int = 0) -> str:
    """A value as graphql-js's inspect writes it: ``{ email: "a", tags: [1, 2] }``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, list):
        if depth > _MAX_DEPTH:
            return "[Array]"
        if not value:
            return "[]"
        items = [inspect(item, depth + 1) for item in value[:_MAX_ARRAY_LENGTH]]
        if len(value) > _MAX_ARRAY_LENGTH:
            rest = len(value) - _MAX_ARRAY_LENGTH
            items.append(f"... {rest} more item{'s' if rest > 1 else ''}")
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        if depth > _MAX_DEPTH:
            return "[Object]"
        if not value:
            return "{}"
        entries = [f"{key}: {inspect(item, depth + 1)}" for key, item in value.items()]
        return "{ " + ", ".join(entries) + " }"
    return str(value)
