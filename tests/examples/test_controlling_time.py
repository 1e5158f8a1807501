import json
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest


def my_profile(fakeauth, token):
    body = json.dumps({"query": "{ myProfile { email } }"}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    with urllib.request.urlopen(urllib.request.Request(fakeauth.graphql_url, body, headers)) as r:
        return json.load(r)


def test_an_access_token_expires_after_its_lifetime(fakeauth):
    tokens = fakeauth.login("john@mail.com")
    fakeauth.clock.advance(days=20, seconds=-1)
    assert "data" in my_profile(fakeauth, tokens.access_token)
    fakeauth.clock.advance(seconds=1)  # now exactly 20 days: the default access lifetime
    assert my_profile(fakeauth, tokens.access_token)["errors"][0]["message"] == "Unauthorized"


def test_the_clock_stands_still_until_moved(fakeauth):
    assert fakeauth.clock.now() == datetime(2023, 1, 3, 20, 44, 43, tzinfo=UTC)
    fakeauth.clock.advance(timedelta(hours=1), minutes=30)
    assert fakeauth.clock.now() == datetime(2023, 1, 3, 22, 14, 43, tzinfo=UTC)
    fakeauth.clock.set("2024-02-29T12:00:00Z")
    fakeauth.clock.unfreeze()  # from here on it runs at real speed
    assert fakeauth.clock.now() >= datetime(2024, 2, 29, 12, tzinfo=UTC)


@pytest.mark.fakeauth(now="2030-01-01T00:00:00Z", access_ttl="15m")
def test_short_lived_tokens(fakeauth):
    tokens = fakeauth.login("maria@mail.com")
    fakeauth.clock.advance(minutes=15)
    assert my_profile(fakeauth, tokens.access_token)["errors"][0]["message"] == "Unauthorized"
