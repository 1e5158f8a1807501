"""The catalogue's REST routes under /api/v1: statuses, bodies, conversions, Nest's quirks."""

from __future__ import annotations

import pytest
from helpers import GOOD_IMAGE, GraphQL, rest_ids

NUMERIC = {
    "message": "Validation failed (numeric string is expected)",
    "error": "Bad Request",
    "statusCode": 400,
}
NEW = {
    "title": "Desk Fan",
    "price": 30,
    "description": "Quiet.",
    "categoryId": 2,
    "images": [GOOD_IMAGE],
}


def not_number(*fields: str) -> dict[str, object]:
    return {
        "message": [
            f"{f} must be a number conforming to the specified constraints" for f in fields
        ],
        "error": "Bad Request",
        "statusCode": 400,
    }


async def test_product_by_id_and_by_slug_are_the_same(graphql: GraphQL) -> None:
    status, by_id = await graphql.rest("GET", "/products/9")
    assert status == 200
    assert await graphql.rest("GET", f"/products/slug/{by_id['slug']}") == (200, by_id)


async def test_related_products_are_the_others_of_its_category(graphql: GraphQL) -> None:
    _, product = await graphql.rest("GET", "/products/20")
    category = product["category"]["id"]
    expected = [i for i in await rest_ids(graphql, f"/products?categoryId={category}") if i != 20]
    assert len(expected) >= 2
    assert await rest_ids(graphql, "/products/20/related") == expected
    assert await rest_ids(graphql, f"/products/slug/{product['slug']}/related") == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/products/abc"),
        ("GET", "/products/1.5/related"),
        ("PUT", "/products/x"),
        ("DELETE", "/products/x"),
        ("GET", "/categories/abc"),
        ("GET", "/categories/abc/products"),
        ("PUT", "/categories/x"),
        ("DELETE", "/categories/x"),
    ],
)
async def test_non_numeric_ids_are_refused_first(graphql: GraphQL, method: str, path: str) -> None:
    # Before the body is looked at, as Nest's ParseIntPipe runs first.
    body = {"price": -1} if method == "PUT" else None
    assert await graphql.rest(method, path, body) == (400, NUMERIC)


@pytest.mark.parametrize(
    ("path", "entity", "criteria"),
    [
        (
            "/products/9999",
            "Product",
            '{\n    "relations": [\n        "category"\n    ],\n    "where": {\n        "id": 9999\n    }\n}',
        ),
        (
            "/products/9999/related",
            "Product",
            '{\n    "relations": [\n        "category"\n    ],\n    "where": {\n        "id": 9999\n    }\n}',
        ),
        (
            "/products/slug/no-such-thing",
            "Product",
            '{\n    "relations": [\n        "category"\n    ],\n    "where": {\n        "slug": "no-such-thing"\n    }\n}',
        ),
        (
            "/products/slug/no-such-thing/related",
            "Product",
            '{\n    "relations": [\n        "category"\n    ],\n    "where": {\n        "slug": "no-such-thing"\n    }\n}',
        ),
        ("/categories/999", "Category", '{\n    "id": 999\n}'),
        (
            "/categories/slug/nope",
            "Category",
            '{\n    "where": {\n        "slug": "nope"\n    }\n}',
        ),
    ],
)
async def test_not_found_is_typeorms_400(
    graphql: GraphQL, path: str, entity: str, criteria: str
) -> None:
    assert await graphql.rest("GET", path) == (
        400,
        {
            "path": f"/api/v1{path}",
            "timestamp": "2023-01-03T20:44:43.000Z",
            "name": "EntityNotFoundError",
            "message": f'Could not find any entity of type "{entity}" matching: {criteria}',
        },
    )


async def test_not_found_path_keeps_the_query_string(graphql: GraphQL) -> None:
    status, body = await graphql.rest("PUT", "/products/777?x=1", {"title": "x"})
    assert status == 400
    assert body["path"] == "/api/v1/products/777?x=1"


async def test_create_update_delete_a_product(graphql: GraphQL) -> None:
    status, created = await graphql.rest("POST", "/products", NEW)
    assert status == 201
    assert (created["slug"], created["category"]["slug"]) == ("desk-fan", "electronics")
    status, updated = await graphql.rest(
        "PUT", f"/products/{created['id']}", {"description": "Louder.", "categoryId": 5}
    )
    assert status == 200
    assert (updated["description"], updated["category"]["id"]) == ("Louder.", 5)
    assert updated["images"] == [GOOD_IMAGE]
    assert await graphql.rest("DELETE", f"/products/{created['id']}") == (200, True)
    status, body = await graphql.rest("DELETE", f"/products/{created['id']}")
    assert (status, body["name"]) == (400, "EntityNotFoundError")


async def test_numbers_in_strings_pass_as_numbers(graphql: GraphQL) -> None:
    status, created = await graphql.rest(
        "POST", "/products", {**NEW, "price": "45", "categoryId": "3", "title": 2024}
    )
    assert status == 201
    assert (created["price"], created["category"]["id"], created["title"]) == (45, 3, "2024")


async def test_unknown_body_fields_are_dropped(graphql: GraphQL) -> None:
    status, created = await graphql.rest(
        "POST",
        "/products",
        {**NEW, "id": 4242, "slug": "mine", "creationAt": "1999-01-01T00:00:00Z"},
    )
    assert status == 201
    assert created["id"] != 4242
    assert created["slug"] == "desk-fan"
    assert created["creationAt"] == "2023-01-03T20:44:43.000Z"


async def test_bodies_that_are_not_objects(graphql: GraphQL) -> None:
    status, body = await graphql.rest("POST", "/products", data=b"[1, 2]")
    assert status == 400
    assert body["statusCode"] == 400
    status, body = await graphql.rest("POST", "/categories", data=b"{oops")
    assert (status, body["error"]) == (400, "Bad Request")


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("limit=abc", ("limit",)),
        ("offset=abc", ("offset",)),
        ("categoryId=abc", ("categoryId",)),
        ("categoryId=x&offset=y&limit=z", ("limit", "offset", "categoryId")),
    ],
)
async def test_query_numbers_are_checked(
    graphql: GraphQL, query: str, fields: tuple[str, ...]
) -> None:
    assert await graphql.rest("GET", f"/products?{query}") == (400, not_number(*fields))


async def test_query_values_without_a_rule_pass(graphql: GraphQL) -> None:
    every = await rest_ids(graphql, "/products")
    # price and price_max have no rule; NaN is falsy, so no filter.
    assert await rest_ids(graphql, "/products?price=abc") == every
    assert await rest_ids(graphql, "/products?price_max=abc&price_min=10") == every
    assert await rest_ids(graphql, "/products?limit=&offset=") == every  # "" is 0
    assert await rest_ids(graphql, "/products?limit=3&offset=1&unknown=1") == every[1:4]


async def test_categories_with_limit(graphql: GraphQL) -> None:
    every = await rest_ids(graphql, "/categories")
    assert every == [1, 2, 3, 4, 5]
    assert await rest_ids(graphql, "/categories?limit=2") == [1, 2]
    assert await rest_ids(graphql, "/categories?limit=0") == every
    assert await rest_ids(graphql, "/categories?limit=-1") == every
    assert await graphql.rest("GET", "/categories?limit=abc") == (400, not_number("limit"))


async def test_a_categorys_products(graphql: GraphQL) -> None:
    expected = await rest_ids(graphql, "/products?categoryId=4")
    assert await rest_ids(graphql, "/categories/4/products") == expected
    assert await rest_ids(graphql, "/categories/4/products?limit=3&offset=2") == expected[2:5]
    # Only limit and offset act here.
    assert await rest_ids(graphql, "/categories/4/products?title=zzz&price=1") == expected
    assert await rest_ids(graphql, "/categories/999/products") == []
    status, body = await graphql.rest("GET", "/categories/4/products?price_min=-1")
    assert (status, body["message"]) == (400, ["price_min must not be less than 0"])


async def test_create_update_delete_a_category(graphql: GraphQL) -> None:
    status, created = await graphql.rest(
        "POST", "/categories", {"name": "Toys", "image": GOOD_IMAGE}
    )
    assert status == 201
    assert {k: created[k] for k in ("id", "name", "slug", "image")} == {
        "id": 6,
        "name": "Toys",
        "slug": "toys",
        "image": GOOD_IMAGE,
    }
    status, body = await graphql.rest("GET", "/categories/slug/toys")
    assert (status, body) == (200, created)
    status, updated = await graphql.rest("PUT", "/categories/6", {"name": "Toys & Games"})
    assert (status, updated["slug"]) == (200, "toys-games")
    assert await graphql.rest("DELETE", "/categories/6") == (200, True)


async def test_no_patch_route(graphql: GraphQL) -> None:
    assert await graphql.rest("PATCH", "/products/1", {"title": "x"}) == (
        404,
        {"message": "Cannot PATCH /api/v1/products/1", "error": "Not Found", "statusCode": 404},
    )


async def test_any_bearer_is_ignored(graphql: GraphQL) -> None:
    status, _ = await graphql.rest("GET", "/products/1", token="not.a.token")
    assert status == 200
    status, _ = await graphql.rest("POST", "/products", {**NEW, "title": "Anyone"}, token="bad")
    assert status == 201


async def test_rest_and_graphql_share_one_catalogue(graphql: GraphQL) -> None:
    status, created = await graphql.rest("POST", "/products", NEW)
    assert status == 201
    _, body = await graphql.post(f'{{ product(id: "{created["id"]}") {{ title slug }} }}')
    assert body["data"]["product"] == {"title": "Desk Fan", "slug": "desk-fan"}
