"""Token rules through GraphQL: lifetimes, kinds, expiry by the server's clock, bad tokens."""

from __future__ import annotations

import base64
import json

import pytest
from helpers import DOC_NOW, JOHN_JSON, GraphQL, MakeGraphQL, payload_of

UNAUTHORIZED = {
    "message": "Unauthorized",
    "extensions": {
        "code": "UNAUTHENTICATED",
        "originalError": {"message": "Unauthorized", "statusCode": 401},
    },
}
INVALID = {
    "message": "Invalid",
    "extensions": {
        "code": "UNAUTHENTICATED",
        "originalError": {"message": "Invalid", "error": "Unauthorized", "statusCode": 401},
    },
}


def claims(token: str) -> dict[str, int]:
    return payload_of(token)


def segment(data: dict[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def assert_refused(body: dict[str, object], field: str, error: dict[str, object]) -> None:
    assert body["data"] is None
    [entry] = body["errors"]  # type: ignore[misc]
    assert entry["path"] == [field]
    assert {key: entry[key] for key in ("message", "extensions")} == error


async def test_payload_is_sub_iat_exp_in_that_order(graphql: GraphQL) -> None:
    tokens = await graphql.login("admin@mail.com", "admin123")
    access, refresh = claims(tokens["access_token"]), claims(tokens["refresh_token"])
    assert list(access) == ["sub", "iat", "exp"]
    assert access == {"sub": 3, "iat": 1672778683, "exp": 1672778683 + 20 * 86400}
    assert refresh == {"sub": 3, "iat": 1672778683, "exp": 1672778683 + 10 * 3600}


async def test_lifetimes_are_configurable(make_graphql: MakeGraphQL) -> None:
    graphql = await make_graphql(now=DOC_NOW, frozen=True, access_ttl="15m", refresh_ttl="1h30m")
    tokens = await graphql.login()
    assert claims(tokens["access_token"])["exp"] - 1672778683 == 900
    assert claims(tokens["refresh_token"])["exp"] - 1672778683 == 5400


async def test_access_token_valid_until_exp_then_refused(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    exp = claims(tokens["access_token"])["exp"]
    graphql.fake.clock.set(exp - 1)
    assert (await graphql.profile(tokens["access_token"]))["data"]["myProfile"]["id"] == "1"
    graphql.fake.clock.set(exp)
    assert_refused(await graphql.profile(tokens["access_token"]), "myProfile", UNAUTHORIZED)


async def test_refresh_token_valid_until_exp_then_refused(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    exp = claims(tokens["refresh_token"])["exp"]
    graphql.fake.clock.set(exp - 1)
    body = await graphql.refresh(tokens["refresh_token"])
    assert claims(body["data"]["refreshToken"]["access_token"])["iat"] == exp - 1
    graphql.fake.clock.set(exp)
    assert_refused(await graphql.refresh(tokens["refresh_token"]), "refreshToken", INVALID)


async def test_a_running_clock_starts_at_now_and_moves(make_graphql: MakeGraphQL) -> None:
    graphql = await make_graphql(now=DOC_NOW)
    iat = claims((await graphql.login())["access_token"])["iat"]
    assert 1672778683 <= iat <= 1672778683 + 60


async def test_refresh_returns_a_new_pair_and_the_old_token_stays_valid(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    graphql.fake.clock.advance("1h")
    first = (await graphql.refresh(tokens["refresh_token"]))["data"]["refreshToken"]
    assert first["access_token"] != tokens["access_token"]
    assert first["refresh_token"] != tokens["refresh_token"]
    assert (await graphql.profile(first["access_token"]))["data"]["myProfile"]["id"] == "1"
    graphql.fake.clock.advance("1s")
    again = await graphql.refresh(tokens["refresh_token"])
    assert "errors" not in again


async def test_refresh_needs_no_authorization_header(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    _, body = await graphql.post(
        f'mutation {{ refreshToken(refreshToken: "{tokens["refresh_token"]}") {{ access_token }} }}',
        headers={"Authorization": "Bearer nonsense"},
    )
    assert body["data"]["refreshToken"]["access_token"]


async def test_my_profile_is_the_token_owner(graphql: GraphQL) -> None:
    for email, password, user_id in [
        ("maria@mail.com", "12345", "2"),
        ("admin@mail.com", "admin123", "3"),
    ]:
        tokens = await graphql.login(email, password)
        profile = (await graphql.profile(tokens["access_token"]))["data"]["myProfile"]
        assert profile["id"] == user_id
        assert profile["email"] == email


async def test_full_user_fields(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    _, body = await graphql.post(
        "{ myProfile { id email password name role avatar creationAt updatedAt } }",
        token=tokens["access_token"],
    )
    # GraphQL writes the ID as a string.
    assert body == {"data": {"myProfile": {**JOHN_JSON, "id": "1"}}}


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("john@mail.com", "wrong"),
        ("John@mail.com", "changeme"),
        ("nobody@mail.com", "changeme"),
        ("john@mail.com", ""),
    ],
)
async def test_failed_login_is_unauthorized(graphql: GraphQL, email: str, password: str) -> None:
    status, body = await graphql.post(
        "mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }",
        {"e": email, "p": password},
    )
    assert status == 200
    assert_refused(body, "login", UNAUTHORIZED)
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 40}]


async def test_login_error_matches_the_real_shape_exactly(graphql: GraphQL) -> None:
    _, body = await graphql.post(
        'mutation {\n  login(email: "john@mail.com", password: "nope") {\n    access_token\n  }\n}'
    )
    assert body == {
        "errors": [
            {
                "message": "Unauthorized",
                "locations": [{"line": 2, "column": 3}],
                "path": ["login"],
                "extensions": {
                    "code": "UNAUTHENTICATED",
                    "originalError": {"message": "Unauthorized", "statusCode": 401},
                },
            }
        ],
        "data": None,
    }


def forged(header: dict[str, object], payload: dict[str, object], signature: str = "") -> str:
    return f"{segment(header)}.{segment(payload)}.{signature}"


BAD_BEARERS = {
    "missing": None,
    "empty": "",
    "not a jwt": "Bearer abc",
    "scheme only": "Bearer",
    "basic scheme": "Basic am9objpjaGFuZ2VtZQ==",
    "alg none": "Bearer "
    + forged({"alg": "none", "typ": "JWT"}, {"sub": 1, "iat": 1672778683, "exp": 1999999999}),
    "unsigned HS256": "Bearer "
    + forged({"alg": "HS256", "typ": "JWT"}, {"sub": 1, "iat": 1672778683, "exp": 1999999999}),
}


@pytest.mark.parametrize("header", list(BAD_BEARERS.values()), ids=list(BAD_BEARERS))
async def test_bad_bearer_is_unauthorized(graphql: GraphQL, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    _, body = await graphql.post("{ myProfile { id } }", headers=headers)
    assert_refused(body, "myProfile", UNAUTHORIZED)


async def test_tampered_and_cross_kind_tokens_are_refused(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    header, _, signature = tokens["access_token"].split(".")
    as_maria = f"{header}.{segment({'sub': 2, 'iat': 1672778683, 'exp': 1674506683})}.{signature}"
    assert_refused(await graphql.profile(as_maria), "myProfile", UNAUTHORIZED)
    assert_refused(await graphql.profile(tokens["refresh_token"]), "myProfile", UNAUTHORIZED)
    assert_refused(await graphql.refresh(tokens["access_token"]), "refreshToken", INVALID)
    assert_refused(await graphql.refresh("not.a.token"), "refreshToken", INVALID)
    assert_refused(await graphql.refresh(""), "refreshToken", INVALID)


async def test_token_of_another_secret_is_refused(make_graphql: MakeGraphQL) -> None:
    ours = await make_graphql(now=DOC_NOW, frozen=True)
    theirs = await make_graphql(now=DOC_NOW, frozen=True, access_secret="x", refresh_secret="y")
    tokens = await theirs.login()
    assert_refused(await ours.profile(tokens["access_token"]), "myProfile", UNAUTHORIZED)
    assert_refused(await ours.refresh(tokens["refresh_token"]), "refreshToken", INVALID)


async def test_tokens_of_a_removed_user_are_refused(graphql: GraphQL) -> None:
    tokens = await graphql.login("maria@mail.com", "12345")
    graphql.fake.users.remove(2)
    assert_refused(await graphql.profile(tokens["access_token"]), "myProfile", UNAUTHORIZED)
    assert_refused(await graphql.refresh(tokens["refresh_token"]), "refreshToken", INVALID)


async def test_bearer_scheme_is_case_insensitive(graphql: GraphQL) -> None:
    tokens = await graphql.login()
    for scheme in ("bearer", "BEARER", "Bearer"):
        _, body = await graphql.post(
            "{ myProfile { id } }", headers={"Authorization": f"{scheme} {tokens['access_token']}"}
        )
        assert body["data"]["myProfile"]["id"] == "1"


async def test_a_token_minted_at_a_fake_time_verifies_at_that_time(
    make_graphql: MakeGraphQL,
) -> None:
    graphql = await make_graphql(now="2001-01-01T00:00:00Z", frozen=True)
    tokens = await graphql.login()
    assert (await graphql.profile(tokens["access_token"]))["data"]["myProfile"]["id"] == "1"
