"""Answers to catalogue-only queries, kept until the catalogue changes.

A store page asks the same few queries over and over, and executing one page of
products through graphql-core costs about 1.8 ms (some 140 fields). Its answer
depends on nothing but the query, its variables, the base URL of image paths and the
catalogue, so it is kept, keyed by those, and dropped as soon as the catalogue's
version moves. Faults, the request log and latency still apply to every request:
they run before this, in the pipeline.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from fakeauth.core.catalog import CatalogStore
from fakeauth.gql.engine import Engine, Operation, Outcome
from fakeauth.gql.schema import Context

CATALOG_READS = frozenset({"products", "product", "categories", "category"})
MAX_ANSWERS = 256
_KEY_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


class CatalogAnswers:
    """Executes operations with the engine, answering repeated catalogue reads from memory."""

    def __init__(self, engine: Engine, store: CatalogStore) -> None:
        self._engine = engine
        self._store = store
        self._answers: OrderedDict[tuple[Any, ...], Outcome] = OrderedDict()
        self._version = store.version

    def execute(
        self, query: str, operation: Operation, variables: dict[str, Any] | None, context: Context
    ) -> Outcome:
        if not operation.is_query or not CATALOG_READS.issuperset(operation.root_fields):
            return self._engine.execute(operation, variables, context)
        version = self._store.version
        if version != self._version:
            self._answers.clear()
            self._version = version
        shown = None if not variables else _KEY_JSON.encode(variables)
        key = (query, operation.name, shown, context.base_url)
        outcome = self._answers.get(key)
        if outcome is not None:
            self._answers.move_to_end(key)
            return outcome
        outcome = self._engine.execute(operation, variables, context)
        # Only a clean answer, computed on a catalogue that did not change meanwhile.
        if not outcome.error_codes and self._store.version == version:
            self._answers[key] = outcome
            if len(self._answers) > MAX_ANSWERS:
                self._answers.popitem(last=False)
        return outcome
