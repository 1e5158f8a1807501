"""`pytest -n 4` against one `fakeauth serve`: each xdist worker works in its own namespace."""

import json
import os
import urllib.request

import pytest

FAKEAUTH = os.environ.get("FAKEAUTH_URL", "http://127.0.0.1:3001").rstrip("/")
LOGIN = 'mutation { login(email: "john@mail.com", password: "changeme") { access_token } }'
PROFILE = "{ myProfile { email } }"


def call(url, body=None, method="POST", token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(
        urllib.request.Request(url, data, headers, method=method)
    ) as response:
        return None if response.status == 204 else json.load(response)


@pytest.fixture
def fakeauth_url(worker_id):
    """This worker's namespace, reset; worker_id is xdist's "gw0", "gw1", ... ("master" without -n)."""
    url = f"{FAKEAUTH}/ns/{worker_id}"
    call(f"{url}/__fakeauth/reset")
    call(f"{url}/__fakeauth/clock", {"now": "2023-01-03T20:44:43Z", "frozen": True}, "PUT")
    return url


@pytest.mark.parametrize("days", range(8))
def test_a_session_lasts_until_its_access_token_expires(fakeauth_url, days):
    token = call(f"{fakeauth_url}/graphql", {"query": LOGIN})["data"]["login"]["access_token"]
    call(f"{fakeauth_url}/__fakeauth/clock/advance", {"by": f"{days}d"})
    answer = call(f"{fakeauth_url}/graphql", {"query": PROFILE}, token=token)
    assert answer["data"]["myProfile"]["email"] == "john@mail.com"
    # Moving this worker's clock expires the token here, and nowhere else.
    call(f"{fakeauth_url}/__fakeauth/clock/advance", {"by": "20d"})
    answer = call(f"{fakeauth_url}/graphql", {"query": PROFILE}, token=token)
    assert answer["errors"][0]["message"] == "Unauthorized"


def test_the_server_can_end_a_session(fakeauth_url):
    token = call(f"{fakeauth_url}/graphql", {"query": LOGIN})["data"]["login"]["access_token"]
    call(f"{fakeauth_url}/__fakeauth/users/1/revoke")
    answer = call(f"{fakeauth_url}/graphql", {"query": PROFILE}, token=token)
    assert answer["errors"][0]["message"] == "Unauthorized"
