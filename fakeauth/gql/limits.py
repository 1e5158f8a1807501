"""Limits on what one GraphQL document may ask of fakeauth, so hostile input cannot stall it.

Every limit is far above what a frontend sends (its largest request is GraphiQL's
introspection query), and each is answered with a 4xx JSON error naming the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.language import SKIP
from graphql.validation import ASTValidationRule

# Parser limits: graphql-core stops at these before building a large document.
MAX_QUERY_CHARS = 32 * 1024
MAX_TOKENS = 2000

# Validation limits, checked before the standard rules (one of which is quadratic in
# the number of fields that share a name), counting fragments once per use.
MAX_DEPTH = 20
MAX_FIELDS = 300
MAX_ALIASES = 30
MAX_DIRECTIVES = 30

# Documents of longer queries are not kept, so the document cache stays small.
MAX_CACHED_QUERY_CHARS = 2048

PARSE_OPTIONS: dict[str, Any] = {
    "max_lexical_tokens": MAX_TOKENS,
    "max_source_length": MAX_QUERY_CHARS,
}


@dataclass(slots=True)
class _Size:
    depth: int = 0
    fields: int = 0
    aliases: int = 0
    directives: int = 0

    def add(self, other: _Size, depth_offset: int = 0) -> None:
        self.depth = max(self.depth, other.depth + depth_offset)
        self.fields += other.fields
        self.aliases += other.aliases
        self.directives += other.directives


class _Measure:
    """Sizes of selection sets with fragments expanded, each fragment measured once."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.known: dict[str, _Size] = {}
        self.pending: set[str] = set()

    def selection_set(self, node: SelectionSetNode | None) -> _Size:
        size = _Size()
        if node is None:
            return size
        for selection in node.selections:
            size.directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                inner = self.selection_set(selection.selection_set)
                size.add(inner, depth_offset=1)
                size.depth = max(size.depth, 1)
                size.fields += 1
                size.aliases += selection.alias is not None
            elif isinstance(selection, InlineFragmentNode):
                size.add(self.selection_set(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                size.add(self.fragment(selection.name.value))
        return size

    def fragment(self, name: str) -> _Size:
        known = self.known.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.pending:
            return _Size()  # unknown or cyclic: the standard rules report those
        self.pending.add(name)
        size = self.selection_set(definition.selection_set)
        size.directives += len(definition.directives or ())
        self.pending.discard(name)
        self.known[name] = size
        return size


def _violations(size: _Size) -> list[str]:
    found = []
    if size.depth > MAX_DEPTH:
        found.append(f"nests {size.depth} levels deep, more than the limit of {MAX_DEPTH}")
    if size.fields > MAX_FIELDS:
        found.append(
            f"selects {size.fields} fields (fragments counted at each use),"
            f" more than the limit of {MAX_FIELDS}"
        )
    if size.aliases > MAX_ALIASES:
        found.append(f"uses {size.aliases} aliases, more than the limit of {MAX_ALIASES}")
    if size.directives > MAX_DIRECTIVES:
        found.append(f"uses {size.directives} directives, more than the limit of {MAX_DIRECTIVES}")
    return found


class QueryLimitsRule(ASTValidationRule):
    """Refuses operations deeper, wider or with more aliases or directives than the limits."""

    def enter_document(self, node: DocumentNode, *_args: Any) -> Any:
        measure = _Measure(node)
        for definition in node.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            try:
                size = measure.selection_set(definition.selection_set)
            except RecursionError:
                size = _Size(depth=MAX_DEPTH + 1)
            size.directives += len(definition.directives or ())
            name = f'Operation "{definition.name.value}"' if definition.name else "The operation"
            for problem in _violations(size):
                self.report_error(GraphQLError(f"{name} {problem}; ask for less.", definition))
        return SKIP  # the sizes above covered the whole document


# Built once; the engine runs them before the standard rules.
LIMIT_RULES: tuple[type[ASTValidationRule], ...] = (QueryLimitsRule,)
