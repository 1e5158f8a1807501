import aiohttp
import pytest

LOGIN = 'mutation { login(email: "john@mail.com", password: "changeme") { access_token } }'


@pytest.mark.asyncio
async def test_login_with_aiohttp(fakeauth):
    fakeauth.clock.advance(hours=1)  # the handle is plain Python: no await needed
    async with (
        aiohttp.ClientSession() as session,
        session.post(fakeauth.graphql_url, json={"query": LOGIN}) as response,
    ):
        answer = await response.json()
    assert answer["data"]["login"]["access_token"].startswith("eyJ")
