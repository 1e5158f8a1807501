"""The catalogue's mutations: input rules and their messages, slugs, ids, timestamps, errors."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import DOC_NOW, GOOD_IMAGE, PRODUCT, GraphQL, gql_data, gql_error, product_ids

ADD_PRODUCT = f"mutation($d: CreateProductDto!) {{ addProduct(data: $d) {{ {PRODUCT} }} }}"
UPDATE_PRODUCT = f"mutation($id: ID!, $c: UpdateProductDto!) {{ updateProduct(id: $id, changes: $c) {{ {PRODUCT} }} }}"
ADD_CATEGORY = "mutation($d: CreateCategoryDto!) { addCategory(data: $d) { id name slug image creationAt updatedAt } }"
UPDATE_CATEGORY = (
    "mutation($id: ID!, $c: UpdateCategoryDto!) "
    "{ updateCategory(id: $id, changes: $c) { id name slug image updatedAt products { id } } }"
)
NEW = {
    "title": "Travel Mug",
    "price": 25,
    "description": "Keeps coffee hot.",
    "categoryId": 5,
    "images": [GOOD_IMAGE],
}


async def add_product(graphql: GraphQL, **changes: Any) -> dict[str, Any]:
    data = await gql_data(graphql, ADD_PRODUCT, {"d": {**NEW, **changes}})
    product: dict[str, Any] = data["addProduct"]
    return product


def bad_request(messages: list[str]) -> dict[str, Any]:
    return {
        "code": "BAD_REQUEST",
        "originalError": {"message": messages, "error": "Bad Request", "statusCode": 400},
    }


async def test_add_product_gives_the_next_id_and_the_clock_time(graphql: GraphQL) -> None:
    before = await product_ids(graphql)
    graphql.fake.clock.set("2024-05-06T07:08:09.750Z")
    product = await add_product(graphql)
    assert int(product["id"]) == max(before) + 1
    assert product["slug"] == "travel-mug"
    assert product["category"]["id"] == "5"
    assert product["images"] == [GOOD_IMAGE]
    # Whole seconds, as SQLite's CURRENT_TIMESTAMP.
    assert product["creationAt"] == product["updatedAt"] == "2024-05-06T07:08:09.000Z"
    assert await product_ids(graphql) == [*before, int(product["id"])]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Héllo Wörld__Foo!!  Bar--baz  ", "hello-world-foo-bar-baz"),
        ("äöü ß Straße", "aou-stra-e"),
        ("C++ & C# -- guide", "c-c-guide"),
        ("  Spaced   Out  ", "spaced-out"),
        ("---Edge---", "edge"),
        ("!!!", ""),
    ],
)
async def test_slugs_follow_the_real_rules(graphql: GraphQL, title: str, slug: str) -> None:
    product = await add_product(graphql, title=title)
    assert product["slug"] == slug
    assert product["title"] == title  # titles stay untrimmed
    if slug:
        status, body = await graphql.rest("GET", f"/products/slug/{slug}")
        assert (status, body["id"]) == (200, int(product["id"]))


async def test_a_taken_slug_is_refused(graphql: GraphQL) -> None:
    first = await add_product(graphql, title="Same Thing")
    error = await gql_error(graphql, ADD_PRODUCT, {"d": {**NEW, "title": "same   THING!"}})
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "same-thing" in error["message"]
    assert first["id"] in error["message"]
    status, body = await graphql.rest("POST", "/products", {**NEW, "title": "Same thing"})
    assert status == 400
    assert body == {
        "path": "/api/v1/products",
        "timestamp": "2023-01-03T20:44:43.000Z",
        "name": "QueryFailedError",
        "message": "SqliteError: UNIQUE constraint failed: product.slug",
        "code": "SQLITE_CONSTRAINT_UNIQUE",
    }


async def test_symbol_only_titles_share_the_empty_slug_once(graphql: GraphQL) -> None:
    await add_product(graphql, title="???")
    error = await gql_error(graphql, ADD_PRODUCT, {"d": {**NEW, "title": "!!!"}})
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_add_product_with_an_unknown_category(graphql: GraphQL) -> None:
    error = await gql_error(graphql, ADD_PRODUCT, {"d": {**NEW, "categoryId": 999}})
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "Category" in error["message"]
    assert "999" in error["message"]
    status, body = await graphql.rest("POST", "/products", {**NEW, "categoryId": 999})
    assert status == 400
    assert body["name"] == "EntityNotFoundError"
    assert body["message"] == (
        'Could not find any entity of type "Category" matching: {\n    "id": 999\n}'
    )
    assert "code" not in body


async def test_create_product_rule_messages_over_graphql(graphql: GraphQL) -> None:
    data = {"title": "", "price": 0, "description": "", "categoryId": 1, "images": []}
    error = await gql_error(graphql, ADD_PRODUCT, {"d": data})
    assert error["message"] == "Bad Request Exception"
    assert error["extensions"] == bad_request(
        [
            "title should not be empty",
            "price must be a positive number",
            "description should not be empty",
            "images must contain at least 1 elements",
        ]
    )
    error = await gql_error(
        graphql, ADD_PRODUCT, {"d": {**NEW, "price": -2.5, "images": ["nope", GOOD_IMAGE]}}
    )
    assert error["extensions"] == bad_request(
        ["price must be a positive number", "each value in images must be a URL address"]
    )


async def test_create_product_rule_messages_over_rest_in_the_real_order(graphql: GraphQL) -> None:
    assert await graphql.rest("POST", "/products", {}) == (
        400,
        {
            "message": [
                "title should not be empty",
                "title must be a string",
                "price should not be empty",
                "price must be a positive number",
                "description should not be empty",
                "description must be a string",
                "categoryId should not be empty",
                "categoryId must be a number conforming to the specified constraints",
                "images must contain at least 1 elements",
                "images should not be empty",
                "each value in images must be a URL address",
                "images must be an array",
            ],
            "error": "Bad Request",
            "statusCode": 400,
        },
    )


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://localhost:3001/a.png", False),  # no TLD
        ("http://127.0.0.1:3001/a.png", True),  # an IP is enough
        ("example.com/a.png", True),  # no scheme
        ("ftp://example.com/a.png", True),
        ("https://a.com/x y.png", False),
        ("/images/products/1-1.svg", False),  # paths are for the catalogue file only
    ],
)
async def test_images_must_be_urls(graphql: GraphQL, url: str, ok: bool) -> None:
    status, body = await graphql.post(ADD_PRODUCT, {"d": {**NEW, "images": [url]}})
    assert status == 200
    if ok:
        assert body["data"]["addProduct"]["images"] == [url]
    else:
        assert body["errors"][0]["extensions"] == bad_request(
            ["each value in images must be a URL address"]
        )


async def test_update_product_without_images_applies_the_changes(graphql: GraphQL) -> None:
    graphql.fake.clock.advance("1h")
    data = await gql_data(
        graphql, UPDATE_PRODUCT, {"id": "2", "c": {"title": "Renamed Hoodie", "price": 12.5}}
    )
    product = data["updateProduct"]
    assert product["title"] == "Renamed Hoodie"
    assert product["slug"] == "renamed-hoodie"
    assert product["price"] == 12.5
    assert len(product["images"]) >= 2  # kept
    assert product["creationAt"] == "2023-01-01T00:00:00.000Z"
    assert product["updatedAt"] == "2023-01-03T21:44:43.000Z"
    status, body = await graphql.rest("GET", "/products/slug/renamed-hoodie")
    assert (status, body["id"]) == (200, 2)


async def test_update_product_category_moves_it(graphql: GraphQL) -> None:
    data = await gql_data(graphql, UPDATE_PRODUCT, {"id": "1", "c": {"categoryId": 4}})
    assert data["updateProduct"]["category"]["slug"] == "shoes"
    shoes = await product_ids(graphql, 'categorySlug: "shoes"')
    assert 1 in shoes
    assert shoes == sorted(shoes)
    assert 1 not in await product_ids(graphql, "categoryId: 1")
    error = await gql_error(graphql, UPDATE_PRODUCT, {"id": "1", "c": {"categoryId": 77}})
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "77" in error["message"]


async def test_update_with_an_empty_title_keeps_the_slug(graphql: GraphQL) -> None:
    data = await gql_data(graphql, UPDATE_PRODUCT, {"id": "3", "c": {"title": ""}})
    before = await gql_data(graphql, '{ product(id: "4") { slug } }')
    assert data["updateProduct"]["title"] == ""
    assert data["updateProduct"]["slug"] != ""
    assert before["product"]["slug"]


async def test_update_product_rule_messages(graphql: GraphQL) -> None:
    changes = {"price": -1, "images": []}
    error = await gql_error(graphql, UPDATE_PRODUCT, {"id": "1", "c": changes})
    assert error["extensions"] == bad_request(
        ["price must be a positive number", "images must contain at least 1 elements"]
    )
    status, body = await graphql.rest(
        "PUT", "/products/1", {"title": [], "categoryId": "x", "images": "http://a.com/x.png"}
    )
    assert status == 400
    assert body["message"] == [
        "title must be a string",
        "categoryId must be a number conforming to the specified constraints",
        "images must contain at least 1 elements",
        "each value in images must be a URL address",
        "images must be an array",
    ]


async def test_update_and_delete_of_an_unknown_product(graphql: GraphQL) -> None:
    error = await gql_error(graphql, UPDATE_PRODUCT, {"id": "999", "c": {"title": "x"}})
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "999" in error["message"]
    error = await gql_error(graphql, 'mutation { deleteProduct(id: "999") }')
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_delete_product(graphql: GraphQL) -> None:
    data = await gql_data(graphql, 'mutation { deleteProduct(id: "5") }')
    assert data == {"deleteProduct": True}
    assert 5 not in await product_ids(graphql)
    error = await gql_error(graphql, '{ product(id: "5") { id } }')
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_ids_are_never_given_out_twice(graphql: GraphQL) -> None:
    first = int((await add_product(graphql, title="One"))["id"])
    await gql_data(graphql, f'mutation {{ deleteProduct(id: "{first}") }}')
    second = int((await add_product(graphql, title="Two"))["id"])
    assert second == first + 1
    graphql.fake.reset()
    assert first not in await product_ids(graphql)
    third = int((await add_product(graphql, title="Three"))["id"])
    assert third == second + 1
    category = (await gql_data(graphql, ADD_CATEGORY, {"d": {"name": "X", "image": GOOD_IMAGE}}))[
        "addCategory"
    ]
    await gql_data(graphql, f'mutation {{ deleteCategory(id: "{category["id"]}") }}')
    again = (await gql_data(graphql, ADD_CATEGORY, {"d": {"name": "X", "image": GOOD_IMAGE}}))[
        "addCategory"
    ]
    assert int(again["id"]) == int(category["id"]) + 1


async def test_add_category(graphql: GraphQL) -> None:
    data = await gql_data(
        graphql, ADD_CATEGORY, {"d": {"name": "Garden & Outdoor", "image": GOOD_IMAGE}}
    )
    assert data["addCategory"] == {
        "id": "6",
        "name": "Garden & Outdoor",
        "slug": "garden-outdoor",
        "image": GOOD_IMAGE,
        "creationAt": "2023-01-03T20:44:43.000Z",
        "updatedAt": "2023-01-03T20:44:43.000Z",
    }
    error = await gql_error(graphql, ADD_CATEGORY, {"d": {"name": "SHOES", "image": GOOD_IMAGE}})
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "shoes" in error["message"]
    status, body = await graphql.rest(
        "POST", "/categories", {"name": "Shoes!", "image": GOOD_IMAGE}
    )
    assert status == 400
    assert body["message"] == "SqliteError: UNIQUE constraint failed: category.slug"


async def test_category_rule_messages(graphql: GraphQL) -> None:
    error = await gql_error(graphql, ADD_CATEGORY, {"d": {"name": "", "image": "nope"}})
    assert error["extensions"] == bad_request(
        ["name should not be empty", "image must be a URL address"]
    )
    assert await graphql.rest("POST", "/categories", {}) == (
        400,
        {
            "message": [
                "name should not be empty",
                "name must be a string",
                "image should not be empty",
                "image must be a URL address",
            ],
            "error": "Bad Request",
            "statusCode": 400,
        },
    )
    error = await gql_error(graphql, UPDATE_CATEGORY, {"id": "1", "c": {"image": "x"}})
    assert error["extensions"] == bad_request(["image must be a URL address"])


async def test_update_category_shows_in_its_products(graphql: GraphQL) -> None:
    graphql.fake.clock.advance("2m")
    data = await gql_data(graphql, UPDATE_CATEGORY, {"id": "2", "c": {"name": "Gadgets"}})
    category = data["updateCategory"]
    assert (category["name"], category["slug"]) == ("Gadgets", "gadgets")
    assert category["updatedAt"] == "2023-01-03T20:46:43.000Z"
    assert category["products"]
    listed = await gql_data(graphql, "{ products(categoryId: 2) { category { name slug } } }")
    assert {(p["category"]["name"], p["category"]["slug"]) for p in listed["products"]} == {
        ("Gadgets", "gadgets")
    }
    assert await product_ids(graphql, 'categorySlug: "gadgets"') == await product_ids(
        graphql, "categoryId: 2"
    )
    assert await product_ids(graphql, 'categorySlug: "electronics"') == []


async def test_a_category_with_products_cannot_be_deleted(graphql: GraphQL) -> None:
    before = await product_ids(graphql)
    error = await gql_error(graphql, 'mutation { deleteCategory(id: "1") }')
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "products" in error["message"]
    status, body = await graphql.rest("DELETE", "/categories/1")
    assert (status, body["name"], body["code"]) == (
        400,
        "QueryFailedError",
        "SQLITE_CONSTRAINT_FOREIGNKEY",
    )
    assert body["message"] == "SqliteError: FOREIGN KEY constraint failed"
    assert await product_ids(graphql) == before
    await gql_data(graphql, '{ category(id: "1") { id } }')


async def test_an_empty_category_deletes(graphql: GraphQL) -> None:
    data = await gql_data(graphql, ADD_CATEGORY, {"d": {"name": "Empty", "image": GOOD_IMAGE}})
    new_id = data["addCategory"]["id"]
    assert await gql_data(graphql, f'mutation {{ deleteCategory(id: "{new_id}") }}') == {
        "deleteCategory": True
    }
    error = await gql_error(graphql, f'{{ category(id: "{new_id}") {{ id }} }}')
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_graphql_refuses_unknown_input_fields(graphql: GraphQL) -> None:
    _, body = await graphql.post(ADD_PRODUCT, {"d": {**NEW, "slug": "mine"}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "data" not in body


async def test_the_frozen_clock_stamps_rest_errors(graphql: GraphQL) -> None:
    _, before = await graphql.rest("GET", "/products/9999")
    assert before["timestamp"] == "2023-01-03T20:44:43.000Z" == DOC_NOW.replace("Z", ".000Z")
    graphql.fake.clock.advance("1d")
    _, after = await graphql.rest("GET", "/products/9999")
    assert after["timestamp"] == "2023-01-04T20:44:43.000Z"
