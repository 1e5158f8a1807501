import json
import urllib.request
from pathlib import Path

import pytest

LOGIN = """mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { access_token refresh_token }
}"""
PROFILE = "{ myProfile { email name } }"


def graphql(url, query, variables=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, body, headers)) as response:
        return json.load(response)


def test_login_then_profile(fakeauth):
    login = graphql(fakeauth.graphql_url, LOGIN, {"email": "john@mail.com", "password": "changeme"})
    token = login["data"]["login"]["access_token"]
    profile = graphql(fakeauth.graphql_url, PROFILE, token=token)
    assert profile["data"]["myProfile"] == {"email": "john@mail.com", "name": "Jhon"}


def test_a_new_user_and_a_token_without_http(fakeauth):
    fakeauth.users.add("ann@mail.com", "secret1", name="Ann")
    tokens = fakeauth.login("ann@mail.com")  # the pair a login would give, password unchecked
    profile = graphql(fakeauth.graphql_url, PROFILE, token=tokens.access_token)
    assert profile["data"]["myProfile"]["name"] == "Ann"


def test_the_login_form_shows_a_server_error(fakeauth):
    fakeauth.fail("login", "INTERNAL_SERVER_ERROR")  # the next login fails, then all is well
    answer = graphql(
        fakeauth.graphql_url, LOGIN, {"email": "john@mail.com", "password": "changeme"}
    )
    assert answer["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert [(r.fields, r.outcome) for r in fakeauth.requests] == [
        (("login",), "INTERNAL_SERVER_ERROR")
    ]


@pytest.mark.fakeauth(users=Path(__file__).parent / "users.yaml")
def test_with_your_own_users(fakeauth):
    assert [user.email for user in fakeauth.users] == ["qa@example.com"]
