"""The printed schema (`fakeauth schema`) has the catalogue part of the real schema exactly."""

from __future__ import annotations

from graphql import build_schema, print_type
from helpers import fakeauth_cmd

# The reference's catalogue part (src/schema.gql of the real service), with the user
# types it leans on left out.
REAL = """
scalar DateTime
type Product { id: ID!  title: String!  slug: String!  price: Float!  description: String!
  category: Category!  images: [String!]!  creationAt: DateTime!  updatedAt: DateTime! }
type Category { id: ID!  name: String!  slug: String!  image: String!
  creationAt: DateTime!  updatedAt: DateTime!  products: [Product!]! }
type Query {
  products(limit: Int, offset: Int, price: Int, price_min: Int, price_max: Int, title: String, categoryId: Float, categorySlug: String): [Product!]!
  product(id: ID!): Product!
  categories: [Category!]!
  category(id: ID!): Category!
}
type Mutation {
  addProduct(data: CreateProductDto!): Product!
  updateProduct(id: ID!, changes: UpdateProductDto!): Product!
  deleteProduct(id: ID!): Boolean!
  addCategory(data: CreateCategoryDto!): Category!
  updateCategory(id: ID!, changes: UpdateCategoryDto!): Category!
  deleteCategory(id: ID!): Boolean!
}
input CreateProductDto { title: String! price: Float! description: String! categoryId: Float! images: [String!]! }
input UpdateProductDto { title: String price: Float description: String categoryId: Float images: [String!] }
input CreateCategoryDto { name: String! image: String! }
input UpdateCategoryDto { name: String image: String }
"""


def test_the_catalogue_types_are_the_real_ones() -> None:
    result = fakeauth_cmd("schema")
    assert result.returncode == 0, result.stderr
    ours, real = build_schema(result.stdout), build_schema(REAL)
    for name in (
        "Product",
        "Category",
        "CreateProductDto",
        "UpdateProductDto",
        "CreateCategoryDto",
        "UpdateCategoryDto",
    ):
        assert print_type(ours.type_map[name]) == print_type(real.type_map[name]), name
    for root in ("Query", "Mutation"):
        real_fields = real.type_map[root].fields
        our_fields = ours.type_map[root].fields
        for field_name, field in real_fields.items():
            mine = our_fields[field_name]
            assert str(mine.type) == str(field.type), field_name
            assert {a: str(arg.type) for a, arg in mine.args.items()} == {
                a: str(arg.type) for a, arg in field.args.items()
            }, field_name
            assert list(mine.args) == list(field.args), field_name
    # No argument defaults printed where the real schema has none.
    assert "= null" not in result.stdout
