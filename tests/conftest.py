"""Fixtures shared by the tests; the helpers they use live in helpers.py."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import DOC_NOW, GraphQL, MakeGraphQL

from fakeauth import Config, FakeAuth, create_app


@pytest.fixture
def make_graphql(aiohttp_client: Any) -> MakeGraphQL:
    """Factory: ``await make_graphql(now=..., frozen=True, ...)`` gives a GraphQL caller."""

    async def go(**settings: Any) -> GraphQL:
        fake = FakeAuth(Config.build(**settings))
        return GraphQL(fake, await aiohttp_client(create_app(fake)))

    return go


@pytest.fixture
async def graphql(make_graphql: MakeGraphQL) -> GraphQL:
    """A fake with the bundled users, its clock frozen at the documented example's instant."""
    return await make_graphql(now=DOC_NOW, frozen=True)
