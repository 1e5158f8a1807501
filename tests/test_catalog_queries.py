"""The catalogue's queries: every filter of ``products``, pagination, lookups, image URLs.

The expectations are computed from the whole list (the oracle), with the real
service's rules spelled out in each test, and checked over GraphQL and REST alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import (
    DOC_NOW,
    ONE_CATEGORY,
    PRODUCT,
    GraphQL,
    MakeGraphQL,
    all_products,
    gql_data,
    gql_error,
    product_ids,
    put_catalog,
    rest_ids,
    titled,
)


async def test_products_are_the_whole_catalogue_in_id_order(graphql: GraphQL) -> None:
    ids = await product_ids(graphql)
    assert ids == sorted(ids)
    assert ids == list(range(1, len(ids) + 1))
    assert len(ids) == len(graphql.fake.catalog_store)
    assert await rest_ids(graphql, "/products") == ids


@pytest.mark.parametrize(
    ("limit", "offset", "window"),
    [
        (10, 0, slice(0, 10)),
        (10, 5, slice(5, 15)),
        (10, 45, slice(45, 55)),  # past the end: what is left
        (1, 50, slice(50, 51)),
        (10, 51, slice(51, 51)),  # exactly at the end: []
        (10, 1000, slice(0, 0)),
    ],
)
async def test_pagination_with_limit_and_offset(
    graphql: GraphQL, limit: int, offset: int, window: slice
) -> None:
    every = await product_ids(graphql)
    expected = every[window]
    assert await product_ids(graphql, f"limit: {limit}, offset: {offset}") == expected
    assert await rest_ids(graphql, f"/products?limit={limit}&offset={offset}") == expected


@pytest.mark.parametrize(
    "args",
    [
        "limit: 5",
        "offset: 5",
        "limit: 0, offset: 0",
        "limit: 5, offset: -1",
        "limit: -5, offset: 0",
    ],
)
async def test_no_pagination_unless_both_limit_above_0_and_offset_at_least_0(
    graphql: GraphQL, args: str
) -> None:
    assert await product_ids(graphql, args) == await product_ids(graphql)


async def test_title_is_a_case_insensitive_substring(graphql: GraphQL) -> None:
    every = await all_products(graphql)
    expected = [p["id"] for p in every if "hoodie" in p["title"].lower()]
    assert len(expected) >= 1
    for spelling in ("hoodie", "HOODIE", "HoOdIe"):
        assert await product_ids(graphql, f'title: "{spelling}"') == expected
    assert await rest_ids(graphql, "/products?title=HOODIE") == expected


async def test_empty_title_is_no_filter(graphql: GraphQL) -> None:
    assert await product_ids(graphql, 'title: ""') == await product_ids(graphql)
    assert await rest_ids(graphql, "/products?title=") == await product_ids(graphql)


async def test_title_percent_and_underscore_are_wildcards(graphql: GraphQL) -> None:
    titles = ["100% Cotton", "1000 Threads", "a_b", "axb", "ab", "Plain"]
    status, _ = await put_catalog(graphql, ONE_CATEGORY, titled(*titles))
    assert status == 200

    async def titles_for(pattern: str) -> list[str]:
        data = await gql_data(
            graphql, "query($t: String) { products(title: $t) { title } }", {"t": pattern}
        )
        return [p["title"] for p in data["products"]]

    assert await titles_for("100%") == ["100% Cotton", "1000 Threads"]
    assert await titles_for("a_b") == ["a_b", "axb"]
    assert await titles_for("%") == titles
    assert await titles_for("_") == titles
    assert await titles_for("__________") == ["100% Cotton", "1000 Threads"]
    assert await titles_for("c%n") == ["100% Cotton"]


async def test_title_folds_only_ascii_letters(graphql: GraphQL) -> None:
    titles = ["ÄPFEL und Birnen", "Straße", "Crème Brûlée", "CAFÉ"]
    await put_catalog(graphql, ONE_CATEGORY, titled(*titles))

    async def titles_for(pattern: str) -> list[str]:
        data = await gql_data(
            graphql, "query($t: String) { products(title: $t) { title } }", {"t": pattern}
        )
        return [p["title"] for p in data["products"]]

    assert await titles_for("äpfel") == []  # Ä is not ASCII: no folding
    assert await titles_for("ÄPFEL UND birnen") == ["ÄPFEL und Birnen"]
    assert await titles_for("STRASSE") == []
    assert await titles_for("STRAßE") == ["Straße"]
    assert await titles_for("crème") == ["Crème Brûlée"]
    assert await titles_for("CRÈME") == []
    assert await titles_for("café") == []
    assert await titles_for("caf") == ["CAFÉ"]


async def test_price_is_exact(graphql: GraphQL) -> None:
    every = await all_products(graphql)
    price = every[3]["price"]
    expected = [p["id"] for p in every if p["price"] == price]
    assert await product_ids(graphql, f"price: {price}") == expected
    assert await rest_ids(graphql, f"/products?price={price}") == expected
    assert await product_ids(graphql, "price: 9999") == []


async def test_price_range_is_inclusive(graphql: GraphQL) -> None:
    every = await all_products(graphql)
    low, high = every[0]["price"], every[1]["price"]
    low, high = min(low, high), max(low, high)
    expected = [p["id"] for p in every if low <= p["price"] <= high]
    assert {every[0]["id"], every[1]["id"]} <= set(expected)
    assert await product_ids(graphql, f"price_min: {low}, price_max: {high}") == expected
    assert await rest_ids(graphql, f"/products?price_min={low}&price_max={high}") == expected


@pytest.mark.parametrize(
    "args",
    [
        "price_min: 20",  # one bound alone
        "price_max: 40",
        "price_min: 0, price_max: 40",  # a bound of 0 is no bound
        "price: 0",
        "price: 54, price_min: 20",  # price plus a bound: no price filter at all
        "price: 54, price_max: 60",
        "price: 54, price_min: 20, price_max: 60",
        "price_max: -5",  # never validated
    ],
)
async def test_price_filters_that_filter_nothing(graphql: GraphQL, args: str) -> None:
    assert await product_ids(graphql, args) == await product_ids(graphql)


async def test_price_min_above_price_max_is_empty(graphql: GraphQL) -> None:
    assert await product_ids(graphql, "price_min: 60, price_max: 20") == []
    assert await product_ids(graphql, "price_min: 10, price_max: -5") == []


async def test_negative_price_min_is_a_bad_request(graphql: GraphQL) -> None:
    error = await gql_error(graphql, "{ products(price_min: -1) { id } }")
    assert error["message"] == "Bad Request Exception"
    assert error["path"] == ["products"]
    assert error["extensions"] == {
        "code": "BAD_REQUEST",
        "originalError": {
            "message": ["price_min must not be less than 0"],
            "error": "Bad Request",
            "statusCode": 400,
        },
    }
    assert await graphql.rest("GET", "/products?price_min=-1") == (
        400,
        {
            "message": ["price_min must not be less than 0"],
            "error": "Bad Request",
            "statusCode": 400,
        },
    )


async def test_category_id_filters(graphql: GraphQL) -> None:
    every = await all_products(graphql)
    expected = [p["id"] for p in every if p["category"]["id"] == 2]
    assert expected
    assert await product_ids(graphql, "categoryId: 2") == expected
    assert await rest_ids(graphql, "/products?categoryId=2") == expected
    assert await product_ids(graphql, "categoryId: 99") == []
    assert await product_ids(graphql, "categoryId: 1.5") == []
    assert await product_ids(graphql, "categoryId: 0") == await product_ids(graphql)


async def test_category_slug_filters_case_sensitively(graphql: GraphQL) -> None:
    every = await all_products(graphql)
    expected = [p["id"] for p in every if p["category"]["slug"] == "shoes"]
    assert expected
    assert await product_ids(graphql, 'categorySlug: "shoes"') == expected
    assert await rest_ids(graphql, "/products?categorySlug=shoes") == expected
    assert await product_ids(graphql, 'categorySlug: "Shoes"') == []
    assert await product_ids(graphql, 'categorySlug: "nothing"') == []


async def test_category_slug_wins_over_category_id(graphql: GraphQL) -> None:
    shoes = await product_ids(graphql, 'categorySlug: "shoes"')
    assert await product_ids(graphql, 'categoryId: 2, categorySlug: "shoes"') == shoes
    assert await product_ids(graphql, 'categoryId: 4, categorySlug: "nothing"') == []


async def test_filters_and_together_then_paginate(graphql: GraphQL) -> None:
    every = await all_products(graphql)
    matching = [
        p["id"]
        for p in every
        if p["category"]["slug"] == "clothes"
        and 20 <= p["price"] <= 80
        and "e" in p["title"].lower()
    ]
    assert len(matching) > 4
    args = 'categorySlug: "clothes", price_min: 20, price_max: 80, title: "E"'
    assert await product_ids(graphql, args) == matching
    assert await product_ids(graphql, args + ", limit: 3, offset: 2") == matching[2:5]
    path = "/products?categorySlug=clothes&price_min=20&price_max=80&title=E&limit=3&offset=2"
    assert await rest_ids(graphql, path) == matching[2:5]


async def test_exact_price_and_title_and_category(graphql: GraphQL) -> None:
    every = await all_products(graphql)
    target = every[20]
    word = target["title"].split()[0]
    expected = [
        p["id"]
        for p in every
        if p["price"] == target["price"]
        and word.lower() in p["title"].lower()
        and p["category"]["id"] == target["category"]["id"]
    ]
    args = f'price: {target["price"]}, title: "{word}", categoryId: {target["category"]["id"]}'
    assert await product_ids(graphql, args) == expected
    assert target["id"] in expected


async def test_product_by_id_has_every_field(graphql: GraphQL) -> None:
    data = await gql_data(graphql, f'{{ product(id: "7") {{ {PRODUCT} }} }}')
    product = data["product"]
    status, rest = await graphql.rest("GET", "/products/7")
    assert status == 200
    assert list(rest) == [
        "id",
        "title",
        "slug",
        "price",
        "description",
        "category",
        "images",
        "creationAt",
        "updatedAt",
    ]
    assert list(rest["category"]) == ["id", "name", "slug", "image", "creationAt", "updatedAt"]
    assert product["id"] == "7"
    assert rest["id"] == 7
    for key in ("title", "slug", "price", "description", "images", "creationAt", "updatedAt"):
        assert product[key] == rest[key], key
    assert product["category"] == {**rest["category"], "id": str(rest["category"]["id"])}


async def test_unknown_product_is_a_not_found_naming_the_id(graphql: GraphQL) -> None:
    error = await gql_error(graphql, '{ product(id: "999") { id } }')
    assert "999" in error["message"]
    assert error["path"] == ["product"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["originalError"] == {
        "message": error["message"],
        "error": "Not Found",
        "statusCode": 404,
    }


async def test_non_numeric_product_id_is_a_bad_request(graphql: GraphQL) -> None:
    error = await gql_error(graphql, '{ product(id: "abc") { id } }')
    assert error["message"] == "Validation failed (numeric string is expected)"
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_categories_are_the_five_seed_categories(graphql: GraphQL) -> None:
    data = await gql_data(graphql, "{ categories { id name slug } }")
    assert data["categories"] == [
        {"id": "1", "name": "Clothes", "slug": "clothes"},
        {"id": "2", "name": "Electronics", "slug": "electronics"},
        {"id": "3", "name": "Furniture", "slug": "furniture"},
        {"id": "4", "name": "Shoes", "slug": "shoes"},
        {"id": "5", "name": "Miscellaneous", "slug": "miscellaneous"},
    ]


async def test_category_products_are_its_products(graphql: GraphQL) -> None:
    data = await gql_data(graphql, '{ category(id: "3") { name products { id category { id } } } }')
    expected = await product_ids(graphql, "categoryId: 3")
    assert [int(p["id"]) for p in data["category"]["products"]] == expected
    assert {p["category"]["id"] for p in data["category"]["products"]} == {"3"}
    listed = await gql_data(graphql, "{ categories { id products { id } } }")
    counts = {c["id"]: len(c["products"]) for c in listed["categories"]}
    assert sum(counts.values()) == len(await product_ids(graphql))


async def test_unknown_category_is_a_not_found_naming_the_id(graphql: GraphQL) -> None:
    error = await gql_error(graphql, '{ category(id: "42") { id } }')
    assert "42" in error["message"]
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_image_paths_are_written_on_the_host_the_client_used(
    make_graphql: MakeGraphQL,
) -> None:
    graphql = await make_graphql(now=DOC_NOW, frozen=True, allowed_hosts="shop.example")
    headers = {"Host": "shop.example:8080"}
    status, body = await graphql.post(
        '{ product(id: "1") { images category { image } } categories { image } }', headers=headers
    )
    assert status == 200
    images = body["data"]["product"]["images"]
    assert images
    assert all(url.startswith("http://shop.example:8080/images/products/1-") for url in images)
    assert (
        body["data"]["product"]["category"]["image"]
        == "http://shop.example:8080/images/categories/1.svg"
    )
    response = await graphql.client.get("/api/v1/products/1", headers=headers)
    rest = await response.json()
    assert rest["images"] == images
    # Seen on the real address, the same paths are on that address.
    _, plain = await graphql.post('{ product(id: "1") { images } }')
    host = f"http://{graphql.client.host}:{graphql.client.port}"
    assert plain["data"]["product"]["images"] == [
        url.replace("http://shop.example:8080", host) for url in images
    ]


async def test_images_given_as_urls_stay_as_they_are(graphql: GraphQL) -> None:
    products = titled("Outside")
    products[0]["images"] = ["https://cdn.example.com/p/1.png", "/images/products/1-1.svg"]
    await put_catalog(
        graphql, [{**ONE_CATEGORY[0], "image": "https://cdn.example.com/c.png"}], products
    )
    data = await gql_data(graphql, "{ products { images category { image } } }")
    [product] = data["products"]
    assert product["images"][0] == "https://cdn.example.com/p/1.png"
    assert product["images"][1].endswith("/images/products/1-1.svg")
    assert product["images"][1].startswith("http://")
    assert product["category"]["image"] == "https://cdn.example.com/c.png"


@pytest.mark.parametrize(
    ("args", "query"),
    [
        ("", ""),
        ("limit: 7, offset: 3", "limit=7&offset=3"),
        ('title: "shirt"', "title=shirt"),
        ("price_min: 30, price_max: 60", "price_min=30&price_max=60"),
        (
            'categorySlug: "electronics", limit: 4, offset: 1',
            "categorySlug=electronics&limit=4&offset=1",
        ),
        ("categoryId: 5", "categoryId=5"),
    ],
)
async def test_rest_lists_what_graphql_lists(graphql: GraphQL, args: str, query: str) -> None:
    data = await gql_data(graphql, f"{{ products{f'({args})' if args else ''} {{ {PRODUCT} }} }}")
    status, rest = await graphql.rest("GET", f"/products?{query}")
    assert status == 200
    assert [_as_rest(p) for p in data["products"]] == rest


def _as_rest(product: dict[str, Any]) -> dict[str, Any]:
    return {
        **product,
        "id": int(product["id"]),
        "category": {**product["category"], "id": int(product["category"]["id"])},
    }
