"""The GraphQL schema of the real service's auth part, written with strawberry."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, NewType, cast

import strawberry
from strawberry.schema.config import StrawberryConfig

from fakeauth.core import users
from fakeauth.core.clock import format_instant, parse_instant
from fakeauth.core.fake import FakeAuth
from fakeauth.core.tokens import TokenPair
from fakeauth.core.users import API_FIELDS, User

# Unix seconds inside, an ISO 8601 string with milliseconds outside, as the real API.
DateTime = NewType("DateTime", float)
_DATETIME = strawberry.scalar(
    name="DateTime",
    description="ISO 8601 date-time string, e.g. 2023-01-03T20:44:43.000Z",
    serialize=format_instant,
    parse_value=parse_instant,
)


@dataclass(slots=True)
class Context:
    """What resolvers may read: the fake, the request's bearer header, and the base URL
    the client reached the server on (for image paths)."""

    fake: FakeAuth
    authorization: str | None = None
    base_url: str = ""


Info = strawberry.Info[Context, None]


@strawberry.type(name="User")
class UserType:
    # Resolvers return the core's User itself: strawberry reads these attributes from it.
    id: strawberry.ID
    email: str
    password: str
    name: str
    role: str
    avatar: str
    creation_at: DateTime
    updated_at: DateTime


def _shown(user: User) -> UserType:
    return cast(UserType, user)


@strawberry.type
class Login:
    # The real API keeps these two in snake case.
    access_token: str = strawberry.field(name="access_token")
    refresh_token: str = strawberry.field(name="refresh_token")

    @classmethod
    def of(cls, pair: TokenPair) -> Login:
        return cls(access_token=pair.access_token, refresh_token=pair.refresh_token)


# The core's own enum, registered with strawberry (which marks the class, nothing more).
strawberry.enum(users.Role)


@strawberry.input
class CreateUserDto:
    email: str
    name: str
    password: str
    role: users.Role | None = strawberry.UNSET
    avatar: str


@strawberry.input
class UpdateUserDto:
    email: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    password: str | None = strawberry.UNSET
    role: users.Role | None = strawberry.UNSET
    avatar: str | None = strawberry.UNSET


def _fields(dto: CreateUserDto | UpdateUserDto) -> dict[str, Any]:
    """The input as plain values, for the rules in core/accounts.py."""
    values = {}
    for name in API_FIELDS:
        value = getattr(dto, name)
        if value is not strawberry.UNSET:
            values[name] = value.value if isinstance(value, Enum) else value
    return values


@strawberry.type
class Query:
    @strawberry.field
    def my_profile(self, info: Info) -> UserType:
        context = info.context
        return _shown(context.fake.auth.profile(context.authorization))

    @strawberry.field
    def users(self, info: Info, limit: float | None = strawberry.UNSET) -> list[UserType]:
        limit = None if limit is strawberry.UNSET else limit
        return [_shown(user) for user in info.context.fake.accounts.users(limit)]

    @strawberry.field
    def user(self, info: Info, id: strawberry.ID) -> UserType:
        return _shown(info.context.fake.accounts.get(id))

    @strawberry.field
    def is_available(self, info: Info, email: str) -> bool:
        return info.context.fake.accounts.is_available(email)


@strawberry.type
class Mutation:
    @strawberry.field
    def login(self, info: Info, email: str, password: str) -> Login:
        return Login.of(info.context.fake.auth.login(email, password))

    @strawberry.field
    def refresh_token(self, info: Info, refresh_token: str) -> Login:
        return Login.of(info.context.fake.auth.refresh(refresh_token))

    @strawberry.mutation
    def add_user(self, info: Info, data: CreateUserDto) -> UserType:
        return _shown(info.context.fake.accounts.add(_fields(data)))

    @strawberry.mutation
    def update_user(self, info: Info, id: strawberry.ID, changes: UpdateUserDto) -> UserType:
        return _shown(info.context.fake.accounts.update(id, _fields(changes)))

    @strawberry.mutation
    def delete_user(self, info: Info, id: strawberry.ID) -> bool:
        return info.context.fake.accounts.delete(id)


def _schema() -> strawberry.Schema:
    # The catalogue's types use Context and DateTime from this module: imported once they exist.
    from strawberry.tools import merge_types

    from fakeauth.gql.catalog import CatalogMutation, CatalogQuery

    return strawberry.Schema(
        query=merge_types("Query", (Query, CatalogQuery)),
        mutation=merge_types("Mutation", (Mutation, CatalogMutation)),
        config=StrawberryConfig(scalar_map={DateTime: _DATETIME}),
    )


schema = _schema()
