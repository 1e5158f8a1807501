"""The catalogue file: the bundled seed, the format, and each error with its file and line;
`fakeauth serve --catalog` (and FAKEAUTH_CATALOG) and `fakeauth check` on catalogues."""

from __future__ import annotations

import json
import textwrap
import urllib.request
from pathlib import Path

import pytest
from helpers import fakeauth_cmd, serving

import fakeauth
from fakeauth import CatalogFileError, Config, FakeAuth, load_catalog

GOOD = """\
categories:
  - id: 1
    name: Kitchen
    image: /images/categories/1.svg
  - name: Garden Tools
    slug: garden
    image: https://cdn.example.com/garden.png
    creationAt: 2024-02-03T04:05:06Z
products:
  - id: 10
    title: Copper Kettle
    price: 35
    description: Whistles.
    categoryId: 1
    images: [/images/products/10-1.svg, /images/products/10-2.svg]
  - title: Rake
    price: 12.5
    description: "Leaves, mostly."
    categoryId: 2
    images:
      - https://cdn.example.com/rake.png
"""
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_the_bundled_catalogue() -> None:
    seed = load_catalog()
    assert [(c.id, c.name, c.slug) for c in seed.categories] == [
        (1, "Clothes", "clothes"),
        (2, "Electronics", "electronics"),
        (3, "Furniture", "furniture"),
        (4, "Shoes", "shoes"),
        (5, "Miscellaneous", "miscellaneous"),
    ]
    assert 45 <= len(seed.products) <= 55
    assert [p.id for p in seed.products] == list(range(1, len(seed.products) + 1))
    for product in seed.products:
        assert isinstance(product.price, int)
        assert 10 <= product.price <= 98
        assert 2 <= len(product.images) <= 3
        assert product.images == tuple(
            f"/images/products/{product.id}-{n}.svg" for n in range(1, len(product.images) + 1)
        )
        assert product.title.strip()
        assert product.description.strip()
    assert len({p.slug for p in seed.products}) == len(seed.products)
    # Fixed instants, never the load time.
    stamps = {p.creation_at for p in seed.products} | {c.updated_at for c in seed.categories}
    assert stamps == {1672531200.0}  # 2023-01-01T00:00:00Z
    assert all(c.image == f"/images/categories/{c.id}.svg" for c in seed.categories)


def test_a_file_of_ones_own(tmp_path: Path) -> None:
    seed = load_catalog(write(tmp_path, GOOD))
    kitchen, garden = seed.categories
    assert (garden.id, garden.slug, garden.image) == (
        2,
        "garden",
        "https://cdn.example.com/garden.png",
    )
    assert garden.creation_at == 1706933106.0
    kettle, rake = seed.products
    assert (kettle.id, kettle.slug, kettle.category) == (10, "copper-kettle", kitchen)
    assert (rake.id, rake.price, rake.category.slug) == (11, 12.5, "garden")
    assert rake.images == ("https://cdn.example.com/rake.png",)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", None, "the file is empty; expected top-level 'categories:' and 'products:' lists"),
        ("- a\n", 1, "expected a mapping with top-level 'categories:' and 'products:' lists"),
        (
            "categories: []\nitems: []\n",
            2,
            "unknown top-level key 'items' (expected 'categories' and 'products')",
        ),
        ("categories: []\ncategories: []\n", 2, "'categories' is given twice"),
        ("categories: 5\n", 1, "'categories' must be a list"),
        ("categories:\n  - 5\n", 2, "each category must be a mapping of fields"),
        ("categories:\n  - name: A\n", 2, "category 1: missing field 'image'"),
        (
            "categories:\n  - name: A\n    image: /a.svg\n    colour: red\n",
            4,
            "category 1: unknown field 'colour' (allowed: id, name, slug, image, creationAt, updatedAt)",
        ),
        (
            "categories:\n  - name: A\n    image: /a.svg\n  - id: 1\n    name: B\n    image: /b.svg\n",
            4,
            "category 2: duplicate id 1 (already used by another category)",
        ),
        (
            "categories:\n  - name: A b\n    image: /a.svg\n  - name: a-B\n    image: /b.svg\n",
            4,
            "category 2: duplicate slug 'a-b' (already used by category 1); slugs are unique",
        ),
        (
            "categories:\n  - name: A\n    image: /a.svg\n    creationAt: 2023-02-30T00:00:00Z\n",
            4,
            "category 1: creationAt: not an instant: '2023-02-30T00:00:00Z'; use ISO 8601 with a zone (2023-01-03T20:44:43Z) or Unix seconds (1672778683)",
        ),
        (
            "categories:\n  - name: A\n    image: /a.svg\nproducts:\n  - title: T\n    price: free\n"
            "    description: d\n    categoryId: 1\n    images: [/x.svg]\n",
            6,
            "product 1: price must be a positive number, not 'free'",
        ),
        (
            "categories:\n  - name: A\n    image: /a.svg\nproducts:\n  - title: T\n    price: 3\n"
            "    description: d\n    categoryId: 7\n    images: [/x.svg]\n",
            8,
            "product 1: categoryId 7 is not the id of a category in this catalogue (ids: 1)",
        ),
        (
            "categories:\n  - name: A\n    image: /a.svg\nproducts:\n  - title: T\n    price: 3\n"
            "    description: d\n    categoryId: 1\n    images: []\n",
            9,
            "product 1: images must be a list of one or more non-empty strings: URLs, or paths such as /images/products/1-1.svg for images fakeauth draws itself",
        ),
        (
            "categories:\n  - name: A\n    image: /a.svg\nproducts:\n  - title: T\n    price: 3\n"
            "    description: d\n    categoryId: 1\n    images: {a: 1}\n",
            9,
            "field 'images' must be a single value",
        ),
        (
            "categories:\n  - &a\n    name: A\n  - *a\n",
            4,
            "aliases (*a) are not allowed in a catalogue file",
        ),
        (
            "categories: !!python/object:os.system []\n",
            1,
            "YAML tags such as !!python/object:os.system are not allowed in a catalogue file",
        ),
        ("categories: [\n", 2, "not valid YAML: did not find expected node content"),
        ("categories: []\n---\nproducts: []\n", 2, "only one YAML document is allowed"),
    ],
)
def test_each_problem_names_file_line_and_what(
    tmp_path: Path, text: str, line: int | None, problem: str
) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    with pytest.raises(CatalogFileError) as caught:
        load_catalog(path)
    assert (caught.value.source, caught.value.line, caught.value.problem) == (
        str(path),
        line,
        problem,
    )
    where = str(path) if line is None else f"{path} line {line}"
    assert str(caught.value) == f"{where}: {problem}"


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match=r"nowhere\.yaml: cannot read: No such file"):
        FakeAuth(Config.build(catalog=tmp_path / "nowhere.yaml"))


def test_a_fake_with_its_own_catalogue(tmp_path: Path) -> None:
    fake = FakeAuth(Config.build(catalog=write(tmp_path, GOOD)))
    assert [p.title for p in fake.catalog_store] == ["Copper Kettle", "Rake"]
    assert fakeauth.load_catalog is load_catalog


def test_check_a_catalogue(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    result = fakeauth_cmd("check", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{path}: OK, 2 categories, 2 products (Kitchen 1, Garden Tools 1)\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("price: 35", "price: -35"))
    result = fakeauth_cmd("check", str(bad))
    assert result.returncode == 1
    assert (
        result.stderr
        == f"Error: {bad} line 12: product 1: price must be a positive number, not -35\n"
    )


def test_check_still_checks_users_files(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(
        "users:\n  - email: a@b.co\n    password: abcd\n    name: A\n    role: customer\n    avatar: https://a.co/x.png\n"
    )
    result = fakeauth_cmd("check", str(users))
    assert result.returncode == 0, result.stderr
    assert "1 user" in result.stdout


def test_serve_refuses_a_bad_catalogue(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("products: 3\n")
    result = fakeauth_cmd("serve", "--port", "0", "--catalog", str(bad))
    assert result.returncode == 1
    assert result.stderr == f"Error: {bad} line 1: 'products' must be a list\n"
    assert result.stdout == ""


@pytest.mark.parametrize("how", ["flag", "env"])
def test_serve_with_a_catalogue_of_ones_own(tmp_path: Path, how: str) -> None:
    path = write(tmp_path, GOOD)
    args = ("--catalog", str(path)) if how == "flag" else ()
    env = {"FAKEAUTH_CATALOG": str(path)} if how == "env" else None
    with serving(*args, env=env) as (_, url):
        request = urllib.request.Request(
            url,
            data=json.dumps({"query": "{ products { title images } }"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with _OPENER.open(request, timeout=10) as response:
            products = json.load(response)["data"]["products"]
    base = url.removesuffix("/graphql")
    assert products == [
        {
            "title": "Copper Kettle",
            "images": [f"{base}/images/products/10-1.svg", f"{base}/images/products/10-2.svg"],
        },
        {"title": "Rake", "images": ["https://cdn.example.com/rake.png"]},
    ]
