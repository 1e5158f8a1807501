"""Hostile users files: object tags, alias bombs, deep nesting, odd values, huge files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import JOHN_YAML, fakeauth_cmd, write_users

from fakeauth import UsersFileError, load_users

USER = JOHN_YAML


def refusal(path: Path) -> str:
    with pytest.raises(UsersFileError) as caught:
        load_users(path)
    return str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch pwned']",
        "!!python/object/new:os.system ['touch pwned']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/tuple [a, b]",
        "!<tag:yaml.org,2002:python/object/apply:subprocess.call> [[touch, pwned]]",
    ],
)
def test_tags_that_would_build_python_objects_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_users(tmp_path, "users:\n" + USER.replace("Jhon", value))
    message = refusal(path)
    assert message.startswith(f"{path} line 4: YAML tags such as !!python"), message
    assert not (tmp_path / "pwned").exists()


def laughs(levels: int) -> str:
    # The "billion laughs": each level holds nine references to the one before.
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def merges(levels: int) -> str:
    # The same with merge keys, which copy mappings instead of sharing them.
    lines = ["m0: &m0 {a: 1, b: 2}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (laughs(10) + "users:\n" + USER, 1, "unknown top-level key 'lol0'"),
        (
            "users:\n  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + "".join(f"  - &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)),
            2,
            "each user must be a mapping",
        ),
        (merges(10) + "users:\n" + USER, 1, "unknown top-level key 'm0'"),
        ("users: &r [*r]\n", 1, "aliases (*r) are not allowed"),
        ("users: " + "[" * 10_000 + "]" * 10_000 + "\n", 1, "not valid YAML"),
    ],
    ids=["laughs beside", "laughs as users", "merges", "cycle", "deep"],
)
def test_alias_bombs_and_deep_nesting_are_refused_quickly(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = write_users(tmp_path, text)
    began = time.perf_counter()
    message = refusal(path)
    took = time.perf_counter() - began
    assert message.startswith(f"{path} line {line}: "), message
    assert problem in message
    print(f"\nrefused in {took * 1000:.1f} ms: {message[len(str(path)) :][:70]}")


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("id: 1" + "0" * 5000, "id must be a positive integer, not '10000"),
        ("id: 0x" + "f" * 5000, "id must be a positive integer, not '0xfff"),
        ("id: 9007199254740992", "id must be at most 9007199254740991"),
        ("creationAt: 2023-02-30T00:00:00Z", "creationAt: not an instant: '2023-02-30T00:00:00Z'"),
        ("creationAt: 2023-13-01", "creationAt: not an instant: '2023-13-01'"),
        ("creationAt: 99999-01-01T00:00:00Z", "creationAt"),
    ],
)
def test_values_yaml_cannot_build_name_their_line(tmp_path: Path, field: str, problem: str) -> None:
    path = write_users(tmp_path, "users:\n" + USER + f"    {field}\n")
    message = refusal(path)
    assert message.startswith(f"{path} line "), message
    assert problem in message
    assert len(message) < 500


def test_the_largest_safe_id_is_taken(tmp_path: Path) -> None:
    [user] = load_users(write_users(tmp_path, "users:\n" + USER + "    id: 9007199254740991\n"))
    assert user.id == 2**53 - 1


def test_a_file_over_64_mib_is_refused_before_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    with path.open("wb") as file:
        file.truncate(64 * 1024 * 1024 + 1)  # sparse: costs no disk
    message = refusal(path)
    assert message == (
        f"{path}: larger than 64 MiB, the most a users file may be;"
        " keep fewer users in it (100,000 users take about 13 MiB)"
    )


def test_serve_with_a_bomb_exits_1_with_one_line(tmp_path: Path) -> None:
    path = write_users(tmp_path, merges(12) + laughs(12) + "users:\n" + USER)
    result = fakeauth_cmd("serve", "--port", "0", "--users", str(path))
    assert result.returncode == 1
    assert (
        result.stderr
        == f"Error: {path} line 1: unknown top-level key 'm0' (expected only 'users')\n"
    )


def test_serve_with_an_unreadable_value_exits_1_without_a_traceback(tmp_path: Path) -> None:
    path = write_users(tmp_path, "users:\n" + USER + "    id: 1" + "0" * 5000 + "\n")
    result = fakeauth_cmd("serve", "--port", "0", "--users", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {path} line 7: id must be a positive integer")
    assert "Traceback" not in result.stderr
