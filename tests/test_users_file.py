"""The users file: format, defaults, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DOC_NOW, JOHN_YAML, MakeGraphQL, write_users

from fakeauth import UsersFileError, load_users


def test_bundled_users_are_the_real_seed_users() -> None:
    users = load_users()
    assert [(u.id, u.email, u.password, u.name, u.role) for u in users] == [
        (1, "john@mail.com", "changeme", "Jhon", "customer"),
        (2, "maria@mail.com", "12345", "Maria", "customer"),
        (3, "admin@mail.com", "admin123", "Admin", "admin"),
    ]
    assert users[0].avatar == "https://api.lorem.space/image/face?w=640&h=480&r=1229"


def test_ids_are_assigned_in_order_and_dates_default_to_a_fixed_instant(tmp_path: Path) -> None:
    text = (
        "users:\n"
        + JOHN_YAML
        + JOHN_YAML.replace("john", "jane")
        + "    id: 7\n"
        + JOHN_YAML.replace("john", "jim")
    )
    users = load_users(write_users(tmp_path, text))
    assert [u.id for u in users] == [1, 7, 8]
    assert {u.creation_at for u in users} == {u.updated_at for u in users} == {1672531200.0}


def test_dates_can_be_given(tmp_path: Path) -> None:
    text = (
        "users:\n"
        + JOHN_YAML
        + "    creationAt: 2020-05-06T07:08:09Z\n    updatedAt: '2021-01-01T00:00:00+01:00'\n"
    )
    [user] = load_users(write_users(tmp_path, text))
    assert user.creation_at == 1588748889.0
    assert user.updated_at == 1609455600.0


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("users: [\n", 2, "not valid YAML"),
        ("- a\n- b\n", 1, "top-level 'users:' list"),
        ("people: []\n", 1, "unknown top-level key 'people'"),
        ("users: 5\n", 1, "'users' must be a list"),
        ("users:\n  - just a string\n", 2, "each user must be a mapping"),
        (
            "users:\n" + JOHN_YAML.replace("    avatar: https://example.com/john.png\n", ""),
            2,
            "missing field 'avatar'",
        ),
        ("users:\n" + JOHN_YAML + "    age: 5\n", 7, "unknown field 'age'"),
        (
            "users:\n" + JOHN_YAML.replace("customer", "boss"),
            5,
            "role must be 'customer' or 'admin'",
        ),
        ("users:\n" + JOHN_YAML + "    id: zero\n", 7, "id must be a positive integer"),
        (
            "users:\n"
            + JOHN_YAML
            + "    id: 1\n"
            + JOHN_YAML.replace("john@", "j2@")
            + "    id: 1\n",
            8,
            "duplicate id 1",
        ),
        (
            "users:\n" + JOHN_YAML + JOHN_YAML,
            7,
            "duplicate email 'john@mail.com' (already used by user 1)",
        ),
        ("users:\n" + JOHN_YAML + "    name: Again\n", 7, "field 'name' given twice"),
        (
            "users:\n" + JOHN_YAML.replace("Jhon", "[a, b]"),
            4,
            "field 'name' must be a single value",
        ),
        (
            "users:\n" + JOHN_YAML.replace("Jhon", "!!python/object:os.system {}"),
            4,
            "YAML tags such as !!python/object:os.system are not allowed",
        ),
        ("users:\n" + JOHN_YAML + "    creationAt: 2020-01-01T00:00:00\n", 7, "no time zone"),
        (
            "users:\n" + JOHN_YAML.replace("changeme", "''"),
            3,
            "'password' must be a non-empty string",
        ),
    ],
)
def test_bad_files_name_file_line_and_problem(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = write_users(tmp_path, text)
    with pytest.raises(UsersFileError) as caught:
        load_users(path)
    message = str(caught.value)
    assert message.startswith(f"{path} line {line}: "), message
    assert problem in message


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsersFileError, match="cannot read"):
        load_users(tmp_path / "absent.yaml")


async def test_loaded_users_can_log_in(tmp_path: Path, make_graphql: MakeGraphQL) -> None:
    path = write_users(tmp_path, "users:\n" + JOHN_YAML.replace("john@", "jo@") + "    id: 40\n")
    graphql = await make_graphql(users=path, now=DOC_NOW, frozen=True)
    tokens = await graphql.login("jo@mail.com", "changeme")
    profile = (await graphql.profile(tokens["access_token"]))["data"]["myProfile"]
    assert profile == {"id": "40", "email": "jo@mail.com", "name": "Jhon", "role": "customer"}
