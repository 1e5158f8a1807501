import pytest

from fakeauth import Config, FakeAuth, create_app

LOGIN = 'mutation { login(email: "john@mail.com", password: "changeme") { access_token } }'
PROFILE = "{ myProfile { id } }"


# pytest-aiohttp runs async tests through pytest-asyncio: mark them, or set
# asyncio_mode = "auto" in your pytest configuration.
@pytest.mark.asyncio
async def test_the_access_token_expires(aiohttp_client):
    fake = FakeAuth(Config.build(now="2023-01-03T20:44:43Z", frozen=True, access_ttl="15m"))
    client = await aiohttp_client(create_app(fake))
    login = await (await client.post("/graphql", json={"query": LOGIN})).json()
    headers = {"Authorization": f"Bearer {login['data']['login']['access_token']}"}

    fake.clock.advance("14m59s")
    answer = await (await client.post("/graphql", json={"query": PROFILE}, headers=headers)).json()
    assert answer == {"data": {"myProfile": {"id": "1"}}}

    fake.clock.advance("1s")  # the access token is refused from now on
    answer = await (await client.post("/graphql", json={"query": PROFILE}, headers=headers)).json()
    assert answer["errors"][0]["message"] == "Unauthorized"
