"""The GraphQL schema of the real service's auth part, written with strawberry."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NewType

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from fakeauth.accounts import Accounts
from fakeauth.auth import Auth
from fakeauth.clock import format_instant, parse_instant
from fakeauth.users import User

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
    """What resolvers may read: the fake's rules and the request's bearer header."""

    auth: Auth
    authorization: str | None = None
    accounts: Accounts = field(kw_only=True)


Info = strawberry.Info[Context, None]


@strawberry.type(name="User")
class UserType:
    id: strawberry.ID
    email: str
    password: str
    name: str
    role: str
    avatar: str
    creation_at: DateTime
    updated_at: DateTime

    @classmethod
    def of(cls, user: User) -> UserType:
        return cls(
            id=strawberry.ID(str(user.id)),
            email=user.email,
            password=user.password,
            name=user.name,
            role=user.role,
            avatar=user.avatar,
            creation_at=DateTime(user.creation_at),
            updated_at=DateTime(user.updated_at),
        )


@strawberry.type
class Login:
    # The real API keeps these two in snake case.
    access_token: str = strawberry.field(name="access_token")
    refresh_token: str = strawberry.field(name="refresh_token")


@strawberry.enum
class Role(Enum):
    admin = "admin"
    customer = "customer"


@strawberry.input
class CreateUserDto:
    email: str
    name: str
    password: str
    role: Role | None = strawberry.UNSET
    avatar: str


@strawberry.input
class UpdateUserDto:
    email: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    password: str | None = strawberry.UNSET
    role: Role | None = strawberry.UNSET
    avatar: str | None = strawberry.UNSET


def _fields(dto: CreateUserDto | UpdateUserDto) -> dict[str, Any]:
    """The input as plain values, for the rules in accounts.py."""
    values = {}
    for name in ("email", "name", "password", "role", "avatar"):
        value = getattr(dto, name)
        if value is not strawberry.UNSET:
            values[name] = value.value if isinstance(value, Role) else value
    return values


@strawberry.type
class Query:
    @strawberry.field
    def my_profile(self, info: Info) -> UserType:
        context = info.context
        return UserType.of(context.auth.profile(context.authorization))

    @strawberry.field
    def users(self, info: Info, limit: float | None = strawberry.UNSET) -> list[UserType]:
        limit = None if limit is strawberry.UNSET else limit
        return [UserType.of(user) for user in info.context.accounts.users(limit)]

    @strawberry.field
    def user(self, info: Info, id: strawberry.ID) -> UserType:
        return UserType.of(info.context.accounts.get(id))

    @strawberry.field
    def is_available(self, info: Info, email: str) -> bool:
        return info.context.accounts.is_available(email)


@strawberry.type
class Mutation:
    @strawberry.field
    def login(self, info: Info, email: str, password: str) -> Login:
        pair = info.context.auth.login(email, password)
        return Login(access_token=pair.access_token, refresh_token=pair.refresh_token)

    @strawberry.field
    def refresh_token(self, info: Info, refresh_token: str) -> Login:
        pair = info.context.auth.refresh(refresh_token)
        return Login(access_token=pair.access_token, refresh_token=pair.refresh_token)

    @strawberry.mutation
    def add_user(self, info: Info, data: CreateUserDto) -> UserType:
        return UserType.of(info.context.accounts.add(_fields(data)))

    @strawberry.mutation
    def update_user(self, info: Info, id: strawberry.ID, changes: UpdateUserDto) -> UserType:
        return UserType.of(info.context.accounts.update(id, _fields(changes)))

    @strawberry.mutation
    def delete_user(self, info: Info, id: strawberry.ID) -> bool:
        return info.context.accounts.delete(id)


def build_schema() -> strawberry.Schema:
    # The caches serve anyone who runs the schema through strawberry itself;
    # the HTTP endpoint keeps its own cache of validated documents (engine.py).
    # One instance each, handed out by a factory: a new instance per request
    # would start with an empty cache.
    parser_cache, validation_cache = ParserCache(), ValidationCache()
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[lambda: parser_cache, lambda: validation_cache],
        config=StrawberryConfig(scalar_map={DateTime: _DATETIME}),
    )


schema = build_schema()
