"""Shared helpers of the catalogue tests: queries, and a small catalogue of one's own."""

from __future__ import annotations

from typing import Any

from conftest import GraphQL

PRODUCT_FIELDS = "id title slug price description images creationAt updatedAt"
PRODUCT = f"{PRODUCT_FIELDS} category {{ id name slug image creationAt updatedAt }}"
GOOD_IMAGE = "https://example.com/a.png"


async def product_ids(graphql: GraphQL, args: str = "") -> list[int]:
    """The ids ``products(args)`` answers, in order."""
    query = f"{{ products{f'({args})' if args else ''} {{ id }} }}"
    status, body = await graphql.post(query)
    assert status == 200, body
    assert "errors" not in body, body
    return [int(p["id"]) for p in body["data"]["products"]]


async def rest_ids(graphql: GraphQL, path: str) -> list[int]:
    status, body = await graphql.rest("GET", path)
    assert status == 200, body
    return [p["id"] for p in body]


async def all_products(graphql: GraphQL) -> list[dict[str, Any]]:
    """Every product as REST shows it: the oracle the filter tests compute from."""
    status, body = await graphql.rest("GET", "/products")
    assert status == 200
    assert isinstance(body, list)
    return body


async def put_catalog(
    graphql: GraphQL, categories: list[dict[str, Any]], products: list[dict[str, Any]]
) -> tuple[int, Any]:
    response = await graphql.client.put(
        "/__fakeauth/catalog", json={"categories": categories, "products": products}
    )
    return response.status, await response.json()


def titled(*titles: str, category: int = 1) -> list[dict[str, Any]]:
    """Products with these titles (prices 10, 20, ...), for a catalogue of one's own."""
    return [
        {
            "title": title,
            "price": 10 * number,
            "description": f"about {title}",
            "categoryId": category,
            "images": [f"/images/products/{number}-1.svg"],
        }
        for number, title in enumerate(titles, 1)
    ]


ONE_CATEGORY = [{"id": 1, "name": "Things", "image": "/images/categories/1.svg"}]


async def gql_data(
    graphql: GraphQL, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    status, body = await graphql.post(query, variables)
    assert status == 200, body
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def gql_error(
    graphql: GraphQL, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The one error of a query that fails in a resolver (HTTP 200, data null)."""
    status, body = await graphql.post(query, variables)
    assert status == 200, body
    assert body["data"] is None, body
    [error] = body["errors"]
    assert isinstance(error, dict)
    return error
