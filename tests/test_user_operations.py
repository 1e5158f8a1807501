"""The user operations over GraphQL: users, user, isAvailable, addUser, updateUser, deleteUser."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import GraphQL, MakeGraphQL

USER_FIELDS = "id email password name role avatar creationAt updatedAt"
ADD = f"mutation Add($data: CreateUserDto!) {{ addUser(data: $data) {{ {USER_FIELDS} }} }}"
UPDATE = (
    "mutation Update($id: ID!, $changes: UpdateUserDto!) "
    f"{{ updateUser(id: $id, changes: $changes) {{ {USER_FIELDS} }} }}"
)
DELETE = "mutation Delete($id: ID!) { deleteUser(id: $id) }"
USER = f"query One($id: ID!) {{ user(id: $id) {{ {USER_FIELDS} }} }}"
AVAILABLE = "query Free($email: String!) { isAvailable(email: $email) }"

NEW_USER = {
    "email": "nico@mail.com",
    "name": "Nico",
    "password": "1234",
    "avatar": "https://picsum.photos/800",
}


def original_error(body: dict[str, Any]) -> dict[str, Any]:
    [error] = body["errors"]
    assert body["data"] is None
    original: dict[str, Any] = error["extensions"]["originalError"]
    return original


def bad_request_messages(body: dict[str, Any]) -> list[str]:
    [error] = body["errors"]
    assert error["message"] == "Bad Request Exception"
    assert error["extensions"]["code"] == "BAD_REQUEST"
    original = original_error(body)
    assert original["error"] == "Bad Request"
    assert original["statusCode"] == 400
    messages: list[str] = original["message"]
    return messages


async def add(graphql: GraphQL, **changes: Any) -> dict[str, Any]:
    status, body = await graphql.post(ADD, {"data": {**NEW_USER, **changes}})
    assert status == 200, body
    return body


async def test_schema_matches_the_real_one(graphql: GraphQL) -> None:
    query = """{
      q: __type(name: "Query") { fields { name args { name type { name kind ofType { name } } } } }
      role: __type(name: "Role") { enumValues { name } }
      create: __type(name: "CreateUserDto") { inputFields { name defaultValue type { kind name } } }
    }"""
    _, body = await graphql.post(query)
    fields = {field["name"]: field["args"] for field in body["data"]["q"]["fields"]}
    assert fields["users"] == [
        {"name": "limit", "type": {"name": "Float", "kind": "SCALAR", "ofType": None}}
    ]
    assert {v["name"] for v in body["data"]["role"]["enumValues"]} == {"admin", "customer"}
    inputs = {field["name"]: field for field in body["data"]["create"]["inputFields"]}
    assert inputs["role"] == {
        "name": "role",
        "defaultValue": None,
        "type": {"kind": "ENUM", "name": "Role"},
    }
    assert inputs["email"]["type"]["kind"] == "NON_NULL"


async def test_users_lists_the_seed_users_in_id_order(graphql: GraphQL) -> None:
    _, body = await graphql.post("{ users { id email } }")
    assert body == {
        "data": {
            "users": [
                {"id": "1", "email": "john@mail.com"},
                {"id": "2", "email": "maria@mail.com"},
                {"id": "3", "email": "admin@mail.com"},
            ]
        }
    }


async def test_users_limit(graphql: GraphQL) -> None:
    _, body = await graphql.post("{ users(limit: 2) { id } }")
    assert body == {"data": {"users": [{"id": "1"}, {"id": "2"}]}}


@pytest.mark.parametrize(("limit", "count"), [(0, 3), (-1, 3), (1.5, 1), (None, 3)])
async def test_users_limit_as_the_real_service_reads_it(
    graphql: GraphQL, limit: float | None, count: int
) -> None:
    # `if (limit) take: limit`: no limit, 0 (and a negative one) give everyone.
    _, body = await graphql.post("query L($l: Float) { users(limit: $l) { id } }", {"l": limit})
    assert len(body["data"]["users"]) == count


async def test_user_by_id(graphql: GraphQL) -> None:
    _, body = await graphql.post(USER, {"id": "2"})
    assert body == {
        "data": {
            "user": {
                "id": "2",
                "email": "maria@mail.com",
                "password": "12345",
                "name": "Maria",
                "role": "customer",
                "avatar": "https://api.lorem.space/image/face?w=640&h=480&r=4567",
                "creationAt": "2023-01-01T00:00:00.000Z",
                "updatedAt": "2023-01-01T00:00:00.000Z",
            }
        }
    }


async def test_unknown_user_is_not_found_naming_the_id(graphql: GraphQL) -> None:
    _, body = await graphql.post(USER, {"id": "99"})
    [error] = body["errors"]
    assert error["path"] == ["user"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "99" in error["message"]
    assert original_error(body) == {
        "message": error["message"],
        "error": "Not Found",
        "statusCode": 404,
    }


async def test_non_numeric_id_is_a_bad_request(graphql: GraphQL) -> None:
    _, body = await graphql.post(USER, {"id": "abc"})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert original_error(body)["message"] == "Validation failed (numeric string is expected)"


async def test_is_available(graphql: GraphQL) -> None:
    _, taken = await graphql.post(AVAILABLE, {"email": "john@mail.com"})
    _, free = await graphql.post(AVAILABLE, {"email": "nobody@mail.com"})
    assert taken == {"data": {"isAvailable": False}}
    assert free == {"data": {"isAvailable": True}}


async def test_add_user_continues_ids_defaults_role_and_can_log_in(graphql: GraphQL) -> None:
    body = await add(graphql)
    assert body == {
        "data": {
            "addUser": {
                **NEW_USER,
                "id": "4",
                "role": "customer",
                # The fake's clock, frozen at the documented instant.
                "creationAt": "2023-01-03T20:44:43.000Z",
                "updatedAt": "2023-01-03T20:44:43.000Z",
            }
        }
    }
    tokens = await graphql.login("nico@mail.com", "1234")
    profile = await graphql.profile(tokens["access_token"])
    assert profile["data"]["myProfile"]["id"] == "4"
    _, free = await graphql.post(AVAILABLE, {"email": "nico@mail.com"})
    assert free == {"data": {"isAvailable": False}}


async def test_ids_continue_after_the_highest(make_graphql: MakeGraphQL, tmp_path: Any) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(
        "users:\n  - {id: 41, email: a@mail.com, password: abcd, name: A, role: admin,"
        " avatar: 'https://a.com/a.png'}\n"
    )
    graphql = await make_graphql(users=users)
    assert (await add(graphql))["data"]["addUser"]["id"] == "42"
    assert (await add(graphql, email="b@mail.com"))["data"]["addUser"]["id"] == "43"


async def test_add_user_with_role_admin(graphql: GraphQL) -> None:
    _, body = await graphql.post(
        'mutation { addUser(data: {email: "x@mail.com", name: "X", password: "abcd",'
        ' role: admin, avatar: "https://x.com/x.png"}) { role } }'
    )
    assert body == {"data": {"addUser": {"role": "admin"}}}


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"email": "not-an-email"}, ["email must be an email"]),
        ({"email": ""}, ["email should not be empty", "email must be an email"]),
        ({"password": "abc"}, ["password must be longer than or equal to 4 characters"]),
        ({"password": "pass-word"}, ["password must contain only letters and numbers"]),
        (
            {"password": "a!"},
            [
                "password must be longer than or equal to 4 characters",
                "password must contain only letters and numbers",
            ],
        ),
        ({"avatar": "not a url"}, ["avatar must be a URL address"]),
        ({"avatar": "javascript:alert(1)"}, ["avatar must be a URL address"]),
        ({"name": ""}, ["name should not be empty"]),
        (
            {"email": "x", "name": "", "password": "-", "avatar": "x"},
            [
                "email must be an email",
                "name should not be empty",
                "password must be longer than or equal to 4 characters",
                "password must contain only letters and numbers",
                "avatar must be a URL address",
            ],
        ),
    ],
)
async def test_add_user_rules(
    graphql: GraphQL, changes: dict[str, str], messages: list[str]
) -> None:
    body = await add(graphql, **changes)
    assert bad_request_messages(body) == messages
    _, users = await graphql.post("{ users { id } }")
    assert len(users["data"]["users"]) == 3  # nothing changed


@pytest.mark.parametrize(
    "avatar",
    ["https://picsum.photos/640/480?r=1", "http://127.0.0.1:8080/a.png", "api.lorem.space/face"],
)
async def test_avatar_urls_that_pass(graphql: GraphQL, avatar: str) -> None:
    body = await add(graphql, avatar=avatar)
    assert body["data"]["addUser"]["avatar"] == avatar


async def test_add_user_with_a_taken_email_is_refused(graphql: GraphQL) -> None:
    body = await add(graphql, email="maria@mail.com")
    [message] = bad_request_messages(body)
    assert "maria@mail.com" in message
    assert "already taken" in message


async def test_role_outside_the_enum_is_bad_user_input(graphql: GraphQL) -> None:
    status, body = await graphql.post(ADD, {"data": {**NEW_USER, "role": "root"}})
    assert status == 200
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].endswith('at "data.role"; Value "root" does not exist in "Role" enum.')


async def test_update_user_changes_only_what_is_given(graphql: GraphQL) -> None:
    created = (await add(graphql))["data"]["addUser"]
    graphql.fake.clock.advance("1h")
    _, body = await graphql.post(
        UPDATE, {"id": created["id"], "changes": {"name": "Nicolas", "role": "admin"}}
    )
    assert body == {
        "data": {
            "updateUser": {
                **created,
                "name": "Nicolas",
                "role": "admin",
                "updatedAt": "2023-01-03T21:44:43.000Z",
            }
        }
    }


async def test_update_user_new_password_logs_in(graphql: GraphQL) -> None:
    created = (await add(graphql))["data"]["addUser"]
    await graphql.post(UPDATE, {"id": created["id"], "changes": {"password": "abcd5678"}})
    tokens = await graphql.login("nico@mail.com", "abcd5678")
    assert tokens["access_token"]
    _, body = await graphql.post(
        'mutation { login(email: "nico@mail.com", password: "1234") { access_token } }'
    )
    assert body["errors"][0]["message"] == "Unauthorized"


async def test_update_user_rules(graphql: GraphQL) -> None:
    created = (await add(graphql))["data"]["addUser"]
    _, body = await graphql.post(
        UPDATE, {"id": created["id"], "changes": {"email": "nope", "avatar": "nope"}}
    )
    assert bad_request_messages(body) == ["email must be an email", "avatar must be a URL address"]
    _, again = await graphql.post(USER, {"id": created["id"]})
    assert again["data"]["user"] == created


async def test_update_user_to_a_taken_email_is_refused(graphql: GraphQL) -> None:
    created = (await add(graphql))["data"]["addUser"]
    _, body = await graphql.post(
        UPDATE, {"id": created["id"], "changes": {"email": "john@mail.com"}}
    )
    [message] = bad_request_messages(body)
    assert "john@mail.com" in message


async def test_update_unknown_user_is_not_found(graphql: GraphQL) -> None:
    _, body = await graphql.post(UPDATE, {"id": "77", "changes": {"name": "X"}})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("user_id", ["1", "2", "3"])
async def test_seed_users_are_protected(graphql: GraphQL, user_id: str) -> None:
    _, update = await graphql.post(UPDATE, {"id": user_id, "changes": {"name": "X"}})
    _, delete = await graphql.post(DELETE, {"id": user_id})
    assert original_error(update) == {
        "message": "This user is not available for updating;"
        " instead, create your own user to update.",
        "error": "Unauthorized",
        "statusCode": 401,
    }
    assert original_error(delete) == {
        "message": "This user is not available for deleting;"
        " instead, create your own user to delete.",
        "error": "Unauthorized",
        "statusCode": 401,
    }
    _, still = await graphql.post(USER, {"id": user_id})
    assert still["data"]["user"]["name"] != "X"


async def test_protection_comes_from_the_users_file(
    make_graphql: MakeGraphQL, tmp_path: Any
) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(
        "users:\n"
        "  - {email: a@mail.com, password: abcd, name: A, role: admin, avatar: 'https://a.com/a'}\n"
        "  - {email: b@mail.com, password: abcd, name: B, role: admin, avatar: 'https://a.com/b',"
        " protected: true}\n"
    )
    graphql = await make_graphql(users=users)
    _, free = await graphql.post(UPDATE, {"id": "1", "changes": {"name": "AA"}})
    _, kept = await graphql.post(DELETE, {"id": "2"})
    assert free["data"]["updateUser"]["name"] == "AA"
    assert kept["errors"][0]["extensions"]["originalError"]["statusCode"] == 401


async def test_delete_user_and_its_tokens_stop_working(graphql: GraphQL) -> None:
    created = (await add(graphql))["data"]["addUser"]
    tokens = await graphql.login("nico@mail.com", "1234")
    _, body = await graphql.post(DELETE, {"id": created["id"]})
    assert body == {"data": {"deleteUser": True}}
    profile = await graphql.profile(tokens["access_token"])
    assert profile["errors"][0]["message"] == "Unauthorized"
    _, gone = await graphql.post(USER, {"id": created["id"]})
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    _, again = await graphql.post(DELETE, {"id": created["id"]})
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_reset_restores_the_loaded_users(graphql: GraphQL) -> None:
    await add(graphql)
    graphql.fake.reset()
    _, body = await graphql.post("{ users { id } }")
    assert body == {"data": {"users": [{"id": "1"}, {"id": "2"}, {"id": "3"}]}}
