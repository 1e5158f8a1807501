"""The catalogue part of the real schema: Product, Category, their queries and mutations.

Resolvers return the core's records (cast, as for users); only image URLs and
``Category.products`` need a resolver of their own.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry

from fakeauth.core.catalog import Category, Product, absolute
from fakeauth.gql.schema import Context, DateTime

Info = strawberry.Info[Context, None]


def _product_images(root: Product, info: Info) -> list[str]:
    base = info.context.base_url
    return [absolute(url, base) for url in root.images]


def _category_image(root: Category, info: Info) -> str:
    return absolute(root.image, info.context.base_url)


def _category_products(root: Category, info: Info) -> list[ProductType]:
    # The real service never loads this relation (it always fails); its evident intent.
    return _products(info.context.fake.catalog_store.in_category(root.id))


@strawberry.type(name="Product")
class ProductType:
    id: strawberry.ID
    title: str
    slug: str
    price: float
    description: str
    category: CategoryType
    images: list[str] = strawberry.field(resolver=_product_images)
    creation_at: DateTime
    updated_at: DateTime


@strawberry.type(name="Category")
class CategoryType:
    id: strawberry.ID
    name: str
    slug: str
    image: str = strawberry.field(resolver=_category_image)
    creation_at: DateTime
    updated_at: DateTime
    products: list[ProductType] = strawberry.field(resolver=_category_products)


def _products(products: list[Product]) -> list[ProductType]:
    return cast(list[ProductType], products)


@strawberry.input
class CreateProductDto:
    title: str
    price: float
    description: str
    category_id: float
    images: list[str]


@strawberry.input
class UpdateProductDto:
    title: str | None = strawberry.UNSET
    price: float | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    category_id: float | None = strawberry.UNSET
    images: list[str] | None = strawberry.UNSET


@strawberry.input
class CreateCategoryDto:
    name: str
    image: str


@strawberry.input
class UpdateCategoryDto:
    name: str | None = strawberry.UNSET
    image: str | None = strawberry.UNSET


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The arguments or input fields a client gave, by their GraphQL names."""
    return {name: value for name, value in values.items() if value is not strawberry.UNSET}


def _product_fields(dto: CreateProductDto | UpdateProductDto) -> dict[str, Any]:
    return _given(
        {
            "title": dto.title,
            "price": dto.price,
            "description": dto.description,
            "categoryId": dto.category_id,
            "images": dto.images,
        }
    )


def _category_fields(dto: CreateCategoryDto | UpdateCategoryDto) -> dict[str, Any]:
    return _given({"name": dto.name, "image": dto.image})


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def products(
        self,
        info: Info,
        limit: int | None = strawberry.UNSET,
        offset: int | None = strawberry.UNSET,
        price: int | None = strawberry.UNSET,
        price_min: Annotated[int | None, strawberry.argument(name="price_min")] = strawberry.UNSET,
        price_max: Annotated[int | None, strawberry.argument(name="price_max")] = strawberry.UNSET,
        title: str | None = strawberry.UNSET,
        category_id: float | None = strawberry.UNSET,
        category_slug: str | None = strawberry.UNSET,
    ) -> list[ProductType]:
        args = _given(
            {
                "limit": limit,
                "offset": offset,
                "price": price,
                "price_min": price_min,
                "price_max": price_max,
                "title": title,
                "categoryId": category_id,
                "categorySlug": category_slug,
            }
        )
        return _products(info.context.fake.catalog.products(args))

    @strawberry.field
    def product(self, info: Info, id: strawberry.ID) -> ProductType:
        return cast(ProductType, info.context.fake.catalog.product(id))

    @strawberry.field
    def categories(self, info: Info) -> list[CategoryType]:
        return cast(list[CategoryType], info.context.fake.catalog.categories())

    @strawberry.field
    def category(self, info: Info, id: strawberry.ID) -> CategoryType:
        return cast(CategoryType, info.context.fake.catalog.category(id))


@strawberry.type
class CatalogMutation:
    @strawberry.mutation
    def add_product(self, info: Info, data: CreateProductDto) -> ProductType:
        return cast(ProductType, info.context.fake.catalog.add_product(_product_fields(data)))

    @strawberry.mutation
    def update_product(
        self, info: Info, id: strawberry.ID, changes: UpdateProductDto
    ) -> ProductType:
        catalog = info.context.fake.catalog
        return cast(ProductType, catalog.update_product(id, _product_fields(changes)))

    @strawberry.mutation
    def delete_product(self, info: Info, id: strawberry.ID) -> bool:
        return info.context.fake.catalog.delete_product(id)

    @strawberry.mutation
    def add_category(self, info: Info, data: CreateCategoryDto) -> CategoryType:
        return cast(CategoryType, info.context.fake.catalog.add_category(_category_fields(data)))

    @strawberry.mutation
    def update_category(
        self, info: Info, id: strawberry.ID, changes: UpdateCategoryDto
    ) -> CategoryType:
        catalog = info.context.fake.catalog
        return cast(CategoryType, catalog.update_category(id, _category_fields(changes)))

    @strawberry.mutation
    def delete_category(self, info: Info, id: strawberry.ID) -> bool:
        return info.context.fake.catalog.delete_category(id)
