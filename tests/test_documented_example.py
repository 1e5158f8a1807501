"""The session that auth-jwt.md documents, replayed byte for byte."""

from __future__ import annotations

from typing import Any

from helpers import DOC_NOW, LOGIN, PROFILE, GraphQL, MakeGraphQL, signed_part

from fakeauth import create_app

# The documented tokens; their signatures come from the real service's secret.
DOC_LOGIN = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjc0NTA2NjgzfQ.kq-NxeQb-IT5SRKNV1BYEiYwFih2jhXXjJZMKsN5ziU",
    "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjcyODE0NjgzfQ.XMjQQ6tTHAvy2ELrsYN0enWcQTo0PTeqb46-OrhUK7o",
}
DOC_REFRESH = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODgwMiwiZXhwIjoxNjc0NTA2ODAyfQ.HjsfDRBlSu1W5jBTUmfk_sS3SfrZGppjarrVGOt2IuI",
    "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODgwMiwiZXhwIjoxNjcyODE0ODAyfQ.vVBGJYyxlTaI5k_pseGAOKHhuACIFo1wOzHI20oRF6M",
}
DOC_PROFILE = {
    "data": {
        "myProfile": {
            "id": "1",
            "name": "Jhon",
            "avatar": "https://api.lorem.space/image/face?w=640&h=480&r=1229",
        }
    }
}


async def test_documented_session_replays_byte_for_byte(graphql: GraphQL) -> None:
    status, body = await graphql.post(LOGIN)
    assert status == 200
    login = body["data"]["login"]
    assert list(login) == ["access_token", "refresh_token"]
    for kind in login:
        assert signed_part(login[kind]) == signed_part(DOC_LOGIN[kind])

    response = await graphql.client.post(
        "/graphql",
        json={"query": PROFILE},
        headers={"Authorization": f"Bearer {login['access_token']}"},
    )
    assert await response.json() == DOC_PROFILE
    # The documented JSON, compact, with the line break Apollo ends every answer with.
    assert await response.text() == (
        '{"data":{"myProfile":{"id":"1","name":"Jhon",'
        '"avatar":"https://api.lorem.space/image/face?w=640&h=480&r=1229"}}}\n'
    )

    graphql.fake.clock.advance(119)
    body = await graphql.refresh(login["refresh_token"])
    refreshed = body["data"]["refreshToken"]
    for kind in refreshed:
        assert signed_part(refreshed[kind]) == signed_part(DOC_REFRESH[kind])


async def test_create_app_takes_settings_as_keywords(aiohttp_client: Any) -> None:
    client = await aiohttp_client(create_app(now=DOC_NOW, frozen=True))
    response = await client.post("/graphql", json={"query": LOGIN})
    login = (await response.json())["data"]["login"]
    assert signed_part(login["access_token"]) == signed_part(DOC_LOGIN["access_token"])


async def test_same_clock_and_secrets_give_the_same_tokens(make_graphql: MakeGraphQL) -> None:
    first = await make_graphql(now=DOC_NOW, frozen=True)
    second = await make_graphql(now=DOC_NOW, frozen=True)
    assert await first.login() == await second.login()


async def test_other_secrets_give_other_signatures(make_graphql: MakeGraphQL) -> None:
    default = await make_graphql(now=DOC_NOW, frozen=True)
    custom = await make_graphql(now=DOC_NOW, frozen=True, access_secret="a", refresh_secret="b")
    ours, theirs = await default.login(), await custom.login()
    assert signed_part(ours["access_token"]) == signed_part(theirs["access_token"])
    assert ours["access_token"] != theirs["access_token"]
