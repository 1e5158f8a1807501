"""The start page at GET / and the offline GraphiQL at GET /graphql, over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import GraphQL, MakeGraphQL

import fakeauth

ASSETS_DIR = Path(fakeauth.__file__).parent / "web" / "static" / "graphiql"


async def get_html(graphql: GraphQL, path: str, **headers: str) -> str:
    response = await graphql.client.get(path, headers=headers)
    assert response.status == 200
    assert response.content_type == "text/html"
    return await response.text()


async def test_start_page_shows_urls_users_clock_and_lifetimes(graphql: GraphQL) -> None:
    page = await get_html(graphql, "/")
    base = f"http://{graphql.client.host}:{graphql.client.port}"
    assert f"{base}/graphql" in page
    assert f"{base}/api/v1" in page
    for text in ("john@mail.com", "changeme", "maria@mail.com", "12345", "admin123"):
        assert f"<code>{text}</code>" in page
    assert '<code id="clock-now">2023-01-03T20:44:43.000Z</code>' in page
    assert ">frozen<" in page
    assert '<code id="access-ttl">20d</code>' in page
    assert '<code id="refresh-ttl">10h</code>' in page


async def add_user(graphql: GraphQL, email: str, name: str) -> None:
    user = {"email": email, "name": name, "password": "abcd", "avatar": "https://a.io/x"}
    await graphql.client.post("/api/v1/users", json=user)


async def test_start_page_follows_the_clock_and_the_users(graphql: GraphQL) -> None:
    graphql.fake.clock.advance("1h")
    graphql.fake.clock.unfreeze()
    await add_user(graphql, "new@mail.com", "New")
    page = await get_html(graphql, "/")
    assert "2023-01-03T21:44:4" in page
    assert ">running<" in page
    assert "<code>new@mail.com</code>" in page


async def test_start_page_escapes_users_and_the_host_header(make_graphql: MakeGraphQL) -> None:
    # Any host name is answered only when the user asks for it; then it is escaped.
    graphql = await make_graphql(allowed_hosts="*")
    await add_user(graphql, "x@mail.com", "<script>alert(1)</script>")
    page = await get_html(graphql, "/", Host='evil"><img src=x onerror=alert(2)>')
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "onerror=alert(2)>" not in page


async def test_start_page_loads_nothing_from_outside(graphql: GraphQL) -> None:
    page = await get_html(graphql, "/")
    base = f"http://{graphql.client.host}:{graphql.client.port}/"
    # Links to fakeauth itself only; no stylesheet, script or image from anywhere.
    assert re.findall(r"<(?:script|img|iframe)[^>]*\bsrc=", page) == []
    for url in re.findall(r'\bhref="([^"]*)"', page):
        assert url.startswith(base) or url.startswith("data:"), url


async def test_start_page_shows_the_last_requests_newest_first(graphql: GraphQL) -> None:
    graphql.fake.users.add("<b>x@mail.com</b>", "pass1234")
    token = graphql.fake.login("<b>x@mail.com</b>").access_token
    await graphql.post(
        'mutation Login { login(email: "john@mail.com", password: "no") { access_token } }'
    )
    await graphql.post("{ myProfile { id } }", token=token)
    page = await get_html(graphql, "/")
    section = page[page.index('<section id="requests">') :]
    section = section[: section.index("</section>")]
    assert section.index("myProfile") < section.index("Login (login)")  # newest first
    assert "UNAUTHENTICATED" in section
    assert "&lt;b&gt;x@mail.com&lt;/b&gt;" in section


async def test_graphiql_page_uses_only_packaged_assets(graphql: GraphQL) -> None:
    page = await get_html(graphql, "/graphql", Accept="text/html")
    assert "GraphiQL" in page
    assert "unpkg" not in page
    assert "cdn" not in page.lower()
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", page)
    assert "/graphql/assets/graphiql/graphiql.min.js" in assets
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert asset.startswith("/graphql/assets/"), asset
        response = await graphql.client.get(asset)
        assert response.status == 200, asset
        assert len(await response.read()) > 1000


def test_packaged_assets_are_small_and_licensed() -> None:
    total = sum(path.stat().st_size for path in ASSETS_DIR.iterdir())
    assert total < 3 * 1024 * 1024
    for name in ("LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom"):
        assert "MIT License" in (ASSETS_DIR / name).read_text()
