"""The toolkit on the catalogue: faults, the request log, latency, reset, the control routes,
the start page, and the images fakeauth draws for every seed URL."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest
from helpers import (
    GOOD_IMAGE,
    ONE_CATEGORY,
    GraphQL,
    MakeGraphQL,
    gql_data,
    product_ids,
    put_catalog,
    titled,
)

from fakeauth.core.operations import OPERATIONS


async def control(gql: GraphQL, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    response = await gql.client.request(method, f"/__fakeauth{path}", json=body)
    return response.status, None if response.status == 204 else await response.json()


async def fault(gql: GraphQL, **spec: Any) -> None:
    status, body = await control(gql, "POST", "/faults", spec)
    assert status == 201, body


@pytest.mark.parametrize(
    "name",
    sorted({op.field for op in OPERATIONS if op.path.startswith(("/products", "/categories"))}),
)
async def test_every_catalogue_operation_name_takes_a_fault(graphql: GraphQL, name: str) -> None:
    await fault(graphql, operation=name, error="SERVICE_UNAVAILABLE")
    _, pending = await control(graphql, "GET", "/faults")
    assert [f["operation"] for f in pending] == [name]


async def test_one_fault_counts_across_both_apis(graphql: GraphQL) -> None:
    await fault(graphql, operation="products", error="INTERNAL_SERVER_ERROR", times=2)
    status, body = await graphql.post("{ products { id } }")
    assert status == 200
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert await graphql.rest("GET", "/products") == (
        500,
        {"message": "Internal server error", "statusCode": 500},
    )
    assert await product_ids(graphql)  # the third goes through


async def test_a_fault_on_product_hits_both_of_its_routes(graphql: GraphQL) -> None:
    await fault(graphql, operation="product", error="NOT_FOUND", times=2)
    status, _ = await graphql.rest("GET", "/products/1")
    assert status == 404
    status, _ = await graphql.rest("GET", "/products/slug/midnight-zip-hoodie")
    assert status == 404
    status, _ = await graphql.rest("GET", "/products/1")
    assert status == 200


async def test_rest_only_names_fault_their_routes(graphql: GraphQL) -> None:
    await fault(graphql, operation="relatedProducts", error="TOO_MANY_REQUESTS")
    await fault(graphql, operation="categoryProducts", error="network")
    assert (await graphql.rest("GET", "/products/2/related"))[0] == 429
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await graphql.client.get("/api/v1/categories/1/products")
    assert (await graphql.rest("GET", "/categories/1/products"))[0] == 200


async def test_a_faulted_mutation_changes_nothing(graphql: GraphQL) -> None:
    await fault(graphql, operation="deleteProduct", error="BAD_REQUEST", message="nope")
    status, body = await graphql.rest("DELETE", "/products/3")
    assert (status, body["message"]) == (400, ["nope"])
    assert 3 in await product_ids(graphql)


async def test_catalogue_requests_are_logged(graphql: GraphQL) -> None:
    await graphql.rest("GET", "/products?limit=2&offset=0")
    await graphql.rest("GET", "/products/slug/nope")
    await graphql.rest("GET", "/categories/2/products")
    await graphql.post('{ products(limit: 1, offset: 0) { id } category(id: "1") { name } }')
    status, entries = await control(graphql, "GET", "/requests")
    assert status == 200
    assert [
        (e["api"], e["operation"], e["fields"], e["outcome"], e["status"]) for e in entries
    ] == [
        ("rest", "products", ["products"], "ok", 200),
        ("rest", "product", ["product"], "NOT_FOUND", 400),
        ("rest", "categoryProducts", ["categoryProducts"], "ok", 200),
        ("graphql", None, ["products", "category"], "ok", 200),
    ]
    assert entries[0]["path"] == "/api/v1/products?limit=2&offset=0"


async def test_latency_delays_catalogue_answers(make_graphql: MakeGraphQL) -> None:
    graphql = await make_graphql(latency="150ms")
    started = time.perf_counter()
    status, _ = await graphql.rest("GET", "/categories")
    assert status == 200
    assert time.perf_counter() - started >= 0.15
    started = time.perf_counter()
    assert await product_ids(graphql, "limit: 1, offset: 0") == [1]
    assert time.perf_counter() - started >= 0.15


async def test_reset_restores_the_catalogue(graphql: GraphQL) -> None:
    before = await control(graphql, "GET", "/catalog")
    await graphql.rest(
        "POST",
        "/products",
        {"title": "Extra", "price": 5, "description": "x", "categoryId": 1, "images": [GOOD_IMAGE]},
    )
    await graphql.rest("DELETE", "/products/4")
    await graphql.rest("PUT", "/categories/2", {"name": "Gadgets"})
    assert await control(graphql, "GET", "/catalog") != before
    assert await control(graphql, "POST", "/reset") == (204, None)
    assert await control(graphql, "GET", "/catalog") == before
    await put_catalog(graphql, ONE_CATEGORY, titled("Only"))
    graphql.fake.reset()
    assert await control(graphql, "GET", "/catalog") == before


async def test_get_catalog_is_in_the_file_shape_and_put_takes_it_back(graphql: GraphQL) -> None:
    status, catalog = await control(graphql, "GET", "/catalog")
    assert status == 200
    assert set(catalog) == {"categories", "products"}
    assert catalog["categories"][0] == {
        "id": 1,
        "name": "Clothes",
        "slug": "clothes",
        "image": "/images/categories/1.svg",
        "creationAt": "2023-01-01T00:00:00.000Z",
        "updatedAt": "2023-01-01T00:00:00.000Z",
    }
    assert set(catalog["products"][0]) == {
        "id",
        "title",
        "slug",
        "price",
        "description",
        "categoryId",
        "images",
        "creationAt",
        "updatedAt",
    }
    catalog["products"] = catalog["products"][:3]
    assert await control(graphql, "PUT", "/catalog", catalog) == (200, catalog)
    assert await product_ids(graphql) == [1, 2, 3]


async def test_put_catalog_replaces_and_new_ids_follow(graphql: GraphQL) -> None:
    status, body = await put_catalog(graphql, ONE_CATEGORY, titled("First", "Second"))
    assert status == 200
    assert [p["slug"] for p in body["products"]] == ["first", "second"]
    data = await gql_data(graphql, "{ categories { name products { title } } }")
    assert data == {
        "categories": [{"name": "Things", "products": [{"title": "First"}, {"title": "Second"}]}]
    }
    # Ids already given out (the seed's 51) are not given again.
    status, created = await graphql.rest(
        "POST",
        "/products",
        {"title": "Third", "price": 1, "description": "x", "categoryId": 1, "images": [GOOD_IMAGE]},
    )
    assert (status, created["id"]) == (201, 52)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], 'send a JSON object: {"categories": [...], "products": [...]}, as GET gives it'),
        ({"categories": [], "product": []}, "unknown key 'product' (known: categories, products)"),
        ({"categories": {}}, "categories must be a list"),
        (
            {"categories": ONE_CATEGORY, "products": [{**titled("x")[0], "price": "10"}]},
            "products[0].price: price must be a positive number, not '10'",
        ),
        (
            {"categories": ONE_CATEGORY, "products": [{**titled("x")[0], "categoryId": 2}]},
            "products[0].categoryId: categoryId 2 is not the id of a category in this catalogue (ids: 1)",
        ),
        (
            {"categories": [*ONE_CATEGORY, {"name": "Things", "image": "/x.svg"}]},
            "categories[1]: duplicate slug 'things' (already used by category 1); slugs are unique",
        ),
        (
            {"categories": [{"name": "A"}]},
            "categories[0]: missing field 'image'",
        ),
        (
            {"categories": ["A"]},
            "categories[0]: each category must be a mapping of fields",
        ),
    ],
)
async def test_put_catalog_refuses_bad_catalogues_whole(
    graphql: GraphQL, body: Any, message: str
) -> None:
    before = await control(graphql, "GET", "/catalog")
    assert await control(graphql, "PUT", "/catalog", body) == (
        400,
        {"message": message, "error": "Bad Request", "statusCode": 400},
    )
    assert await control(graphql, "GET", "/catalog") == before


async def test_start_page_lists_categories_and_counts(graphql: GraphQL) -> None:
    response = await graphql.client.get("/")
    page = await response.text()
    assert '<section id="catalog">' in page
    section = page.split('<section id="catalog">')[1].split("</section>")[0]
    assert f"Catalogue ({len(await product_ids(graphql))} products)" in section
    counts = await gql_data(graphql, "{ categories { id name products { id } } }")
    for category in counts["categories"]:
        row = f"<td>{category['id']}</td><td>{category['name']}</td>"
        assert row in section
        assert f"</code></td><td>{len(category['products'])}</td></tr>" in section
    await graphql.rest("DELETE", "/products/1")
    again = await (await graphql.client.get("/")).text()
    clothes = len(counts["categories"][0]["products"])
    assert f"<code>clothes</code></td><td>{clothes - 1}</td>" in again


async def seed_image_urls(graphql: GraphQL) -> list[str]:
    data = await gql_data(graphql, "{ products { images } categories { image } }")
    urls = [url for p in data["products"] for url in p["images"]]
    return urls + [c["image"] for c in data["categories"]]


async def test_every_seed_image_is_served_as_svg(graphql: GraphQL) -> None:
    urls = await seed_image_urls(graphql)
    base = f"http://{graphql.client.host}:{graphql.client.port}"
    assert len(urls) > 100
    assert all(url.startswith(base + "/images/") for url in urls)
    data = await gql_data(graphql, "{ products { title images } categories { name image } }")
    titles = {url: p["title"] for p in data["products"] for url in p["images"]}
    titles.update({c["image"]: c["name"] for c in data["categories"]})
    for url in urls:
        response = await graphql.client.get(url.removeprefix(base))
        assert response.status == 200, url
        assert response.content_type == "image/svg+xml"
        svg = (await response.read()).decode()
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert svg.endswith("</svg>")
        assert f"<title>{titles[url].replace('&', '&amp;')}</title>" in svg


async def test_images_are_deterministic_and_differ_by_number_and_category(graphql: GraphQL) -> None:
    async def svg(path: str) -> bytes:
        response = await graphql.client.get(path)
        assert response.status == 200
        return await response.read()

    first = await svg("/images/products/1-1.svg")
    assert await svg("/images/products/1-1.svg") == first
    assert await svg("/images/products/1-2.svg") != first
    clothes, electronics = (
        await svg("/images/categories/1.svg"),
        await svg("/images/categories/2.svg"),
    )
    fill = lambda body: body.split(b'fill="')[1].split(b'"')[0]  # noqa: E731
    assert fill(clothes) != fill(electronics)
    assert fill(first) == fill(clothes)  # a product's images wear its category's colour


async def test_images_of_deleted_products_still_draw_and_unknown_ones_are_404(
    graphql: GraphQL,
) -> None:
    await graphql.rest("DELETE", "/products/2")
    assert (await graphql.client.get("/images/products/2-1.svg")).status == 200
    for path in (
        "/images/products/9999-1.svg",
        "/images/products/1.svg",
        "/images/categories/77.svg",
    ):
        response = await graphql.client.get(path)
        assert response.status == 404
        assert await response.json() == {
            "message": f"Cannot GET {path}",
            "error": "Not Found",
            "statusCode": 404,
        }


async def test_repeated_queries_see_every_change(graphql: GraphQL) -> None:
    query = '{ products(categorySlug: "furniture") { id title images } }'
    first = await gql_data(graphql, query)
    assert await gql_data(graphql, query) == first
    status, created = await graphql.rest(
        "POST",
        "/products",
        {
            "title": "Side Table",
            "price": 40,
            "description": "x",
            "categoryId": 3,
            "images": [GOOD_IMAGE],
        },
    )
    assert status == 201
    after_add = await gql_data(graphql, query)
    assert [p["title"] for p in after_add["products"]][-1] == "Side Table"
    await gql_data(
        graphql,
        f'mutation {{ updateProduct(id: "{created["id"]}", changes: {{title: "Low Table"}}) {{ id }} }}',
    )
    assert [p["title"] for p in (await gql_data(graphql, query))["products"]][-1] == "Low Table"
    graphql.fake.reset()
    assert await gql_data(graphql, query) == first
    status, other_host = await graphql.post(query, headers={"Host": "localhost:9"})
    assert status == 200
    assert other_host["data"]["products"][0]["images"][0].startswith("http://localhost:9/")
    await put_catalog(graphql, ONE_CATEGORY, titled("Solo"))
    assert await gql_data(graphql, query) == {"products": []}
