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
from weakref import WeakKeyDictionary

from fakeauth.core.catalog import CatalogStore
from fakeauth.gql.engine import Engine, Operation, Outcome
from fakeauth.gql.schema import Context

CATALOG_READS = frozenset({"products", "product", "categories", "category"})
MAX_ANSWERS = 256
_KEY_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


class _Kept:
    """The answers kept for one catalogue, and the version they were computed on."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.answers: OrderedDict[tuple[Any, ...], Outcome] = OrderedDict()


class CatalogAnswers:
    """Executes operations with the engine, answering repeated catalogue reads from memory."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # Per catalogue, so each fake (and later each namespace) keeps its own.
        self._kept: WeakKeyDictionary[CatalogStore, _Kept] = WeakKeyDictionary()

    def execute(
        self, query: str, operation: Operation, variables: dict[str, Any] | None, context: Context
    ) -> Outcome:
        if not operation.is_query or not CATALOG_READS.issuperset(operation.root_fields):
            return self._engine.execute(operation, variables, context)
        store = context.fake.catalog_store
        version = store.version
        kept = self._kept.get(store)
        if kept is None or kept.version != version:
            kept = self._kept[store] = _Kept(version)
        shown = None if not variables else _KEY_JSON.encode(variables)
        key = (query, operation.name, shown, context.base_url)
        outcome = kept.answers.get(key)
        if outcome is not None:
            kept.answers.move_to_end(key)
            return outcome
        outcome = self._engine.execute(operation, variables, context)
        # Only a clean answer, computed on a catalogue that did not change meanwhile.
        if not outcome.error_codes and store.version == version:
            kept.answers[key] = outcome
            if len(kept.answers) > MAX_ANSWERS:
                kept.answers.popitem(last=False)
        return outcome
