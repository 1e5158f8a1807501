"""Runs GraphQL requests against the strawberry-built schema, as Apollo Server 4 answers.

Documents are parsed and validated once per distinct query text and kept, so a
repeated operation goes straight to execution.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    validate,
)
from graphql.language import (
    ArgumentNode,
    FieldNode,
    ObjectFieldNode,
    ValueNode,
    VariableNode,
    Visitor,
    get_location,
    visit,
)

from fakeauth.core import errors
from fakeauth.core.errors import ApiError
from fakeauth.core.faults import Fault
from fakeauth.core.request_log import MASK
from fakeauth.gql import limits
from fakeauth.gql.variables import js_quotes, variable_errors

log = logging.getLogger("fakeauth")

CACHE_SIZE = 1000


class RequestError(Exception):
    """A request that cannot run: answered with an HTTP 4xx and errors only."""

    def __init__(
        self,
        status: int,
        code: str,
        messages: list[dict[str, Any]],
        headers: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(messages[0]["message"])
        # What to do about it, for the request log: the answer keeps Apollo's words.
        self.reason = reason or messages[0]["message"]
        self.status = status
        self.body: dict[str, Any] = {
            "errors": [{**message, "extensions": {"code": code}} for message in messages]
        }
        self.code = code
        self.headers = headers or {}

    @classmethod
    def bad_request(
        cls, message: str, status: int = 400, reason: str | None = None, **headers: str
    ) -> RequestError:
        return cls(status, "BAD_REQUEST", [{"message": message}], headers, reason)


@dataclass(frozen=True, slots=True)
class Operation:
    """A parsed, validated operation, ready to execute."""

    document: DocumentNode
    definition: OperationDefinitionNode
    name: str | None
    root_fields: tuple[str, ...]
    # Variables given as a password argument or input field (``password: $p``), masked in logs.
    password_variables: frozenset[str]
    # The query's text with every password literal masked, for the request log.
    masked_query: str

    @property
    def is_query(self) -> bool:
        return self.definition.operation is OperationType.QUERY


@dataclass(slots=True)
class Outcome:
    """What a request came to: an HTTP status and a JSON body, plus facts for logs."""

    status: int
    body: dict[str, Any]
    operation: Operation | None = None
    error_codes: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    # Why it failed, in plain words, for the request log.
    reason: str | None = None


@dataclass(slots=True)
class _Prepared:
    document: DocumentNode
    operations: dict[str | None, Operation] = field(default_factory=dict)


class Engine:
    """Prepares and executes operations; keeps the last CACHE_SIZE documents."""

    def __init__(self, schema: GraphQLSchema, cache_size: int = CACHE_SIZE) -> None:
        self.schema = schema
        self._cache: OrderedDict[str, _Prepared] = OrderedDict()
        self._cache_size = cache_size

    def prepare(self, query: str, operation_name: str | None) -> Operation:
        """The operation to run, or RequestError for a syntax, validation or name error."""
        prepared = self._cache.get(query)
        if prepared is None:
            prepared = self._prepare_document(query)
            if len(query) <= limits.MAX_CACHED_QUERY_CHARS:
                self._cache[query] = prepared
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        operation = prepared.operations.get(operation_name)
        if operation is None:
            operation = prepared.operations[operation_name] = _select(
                prepared.document, operation_name
            )
        return operation

    def _prepare_document(self, query: str) -> _Prepared:
        try:
            document = parse(query, **limits.PARSE_OPTIONS)
        except GraphQLError as error:
            raise RequestError(400, "GRAPHQL_PARSE_FAILED", [_located(error)]) from None
        # The limits first: they bound the cost of the standard rules.
        errors = validate(self.schema, document, limits.LIMIT_RULES) or validate(
            self.schema, document
        )
        if errors:
            located = [_located(error) for error in errors]
            for entry in located:
                entry["message"] = js_quotes(entry["message"])
            raise RequestError(400, "GRAPHQL_VALIDATION_FAILED", located)
        return _Prepared(document)

    def execute(
        self, operation: Operation, variables: dict[str, Any] | None, context: Any
    ) -> Outcome:
        result = execute(
            self.schema,
            operation.document,
            context_value=context,
            variable_values=variables,
            operation_name=operation.name,
        )
        # Every resolver is synchronous, so the result is never awaitable.
        assert isinstance(result, ExecutionResult)
        return _outcome(operation, result, self.schema, variables or {})


def _bad_user_input(operation: Operation, errors: list[GraphQLError]) -> Outcome:
    # Apollo Server 4 answers variables that do not fit with HTTP 200 and no data.
    body = RequestError(200, "BAD_USER_INPUT", [_located(error) for error in errors]).body
    return Outcome(200, body, operation, ["BAD_USER_INPUT"], reason=errors[0].message)


def fault_outcome(operation: Operation, fault: Fault) -> Outcome:
    """The answer of an operation failed by a fault, as Apollo gives an error thrown in a
    resolver; the real service's own errors carry its NestJS body."""
    assert fault.error is not None
    code = fault.error
    selections = operation.definition.selection_set.selections
    nodes = [node for node in selections if isinstance(node, FieldNode)]
    node = next((n for n in nodes if fault.matches((n.name.value,))), nodes[0])
    entry: dict[str, Any] = {"message": ""}
    if node.loc is not None:
        where = get_location(node.loc.source, node.loc.start)
        entry["locations"] = [{"line": where.line, "column": where.column}]
    entry["path"] = [(node.alias or node.name).value]
    real = errors.for_code(code, node.name.value, fault.message)
    if real is None:
        entry["message"] = fault.message or code.replace("_", " ").capitalize()
        entry["extensions"] = {"code": code}
    else:
        entry["message"] = fault.message or real.message
        entry["extensions"] = {"code": code, "originalError": real.original}
    return Outcome(200, {"errors": [entry], "data": None}, operation, [code])


def _select(document: DocumentNode, name: str | None) -> Operation:
    definitions = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        if len(definitions) != 1:
            raise RequestError(
                400,
                "OPERATION_RESOLUTION_FAILURE",
                [{"message": "Must provide operation name if query contains multiple operations."}],
            )
        chosen = definitions[0]
    else:
        found = [d for d in definitions if d.name is not None and d.name.value == name]
        if not found:
            raise RequestError(
                400,
                "OPERATION_RESOLUTION_FAILURE",
                [{"message": f'Unknown operation named "{name}".'}],
            )
        chosen = found[0]
    roots = tuple(
        selection.name.value
        for selection in chosen.selection_set.selections
        if isinstance(selection, FieldNode)
    )
    name = chosen.name.value if chosen.name else None
    names, masked = _passwords(document)
    return Operation(document, chosen, name, roots, names, masked)


def _passwords(document: DocumentNode) -> tuple[frozenset[str], str]:
    """The variables passed as passwords, and the query text with password literals masked:
    those written as a password argument or field, and the defaults of those variables
    (``$p: String = "secret"``), wherever comments or line breaks put them."""
    names: set[str] = set()
    literals: list[ValueNode] = []

    class Finder(Visitor):
        def enter(self, node: Any, *_: Any) -> None:
            if isinstance(node, ArgumentNode | ObjectFieldNode) and "password" in (
                node.name.value.lower()
            ):
                if isinstance(node.value, VariableNode):
                    names.add(node.value.name.value)
                else:
                    literals.append(node.value)

    visit(document, Finder())
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for variable in definition.variable_definitions or ():
                if variable.variable.name.value in names and variable.default_value is not None:
                    literals.append(variable.default_value)
    assert document.loc is not None
    text = document.loc.source.body
    spans = sorted((n.loc.start, n.loc.end) for n in literals if n.loc is not None)
    for start, end in reversed(spans):
        text = f'{text[:start]}"{MASK}"{text[end:]}'
    return frozenset(names), text


def _outcome(
    operation: Operation,
    result: ExecutionResult,
    schema: GraphQLSchema,
    inputs: dict[str, Any],
) -> Outcome:
    if not result.errors:
        return Outcome(200, {"data": result.data}, operation)
    if result.data is None and all(error.path is None for error in result.errors):
        # Variables that do not fit: said again in graphql-js 16's words, which costs a
        # second check, paid only by requests that fail it.
        variables = result.errors and operation.definition.variable_definitions
        worded = variable_errors(schema, operation.definition, inputs) if variables else []
        return _bad_user_input(operation, worded or list(result.errors))
    errors = [_format(error) for error in result.errors]
    codes = [error["extensions"]["code"] for error in errors]
    return Outcome(
        200, {"errors": errors, "data": result.data}, operation, codes, reason=_why(result.errors)
    )


def _why(errors: list[GraphQLError]) -> str:
    """The request log's reason: the first error's own, else its message."""
    first = errors[0]
    original = first.original_error
    reason = original.reason if isinstance(original, ApiError) else None
    return reason or first.message


def _located(error: GraphQLError) -> dict[str, Any]:
    entry: dict[str, Any] = {"message": error.message}
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return entry


def _format(error: GraphQLError) -> dict[str, Any]:
    entry = _located(error)
    if error.path is not None:
        entry["path"] = error.path
    original = error.original_error
    if isinstance(original, ApiError):
        entry["extensions"] = {"code": original.code, "originalError": original.original}
    else:
        if original is not None:
            # Not an expected failure: a bug of fakeauth, so it earns a traceback.
            log.error("unexpected error in %s", error.path, exc_info=original)
        entry["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
    return entry
