// A store frontend as written for the real API: categories, a category's products
// with their images, login, then a new product that shows up in the list.
"use strict";

const params = new URLSearchParams(location.search);
const url = params.get("graphql");
const slug = params.get("category") || "electronics";

async function data(query, variables, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (response.status !== 200 || body.errors) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body.data;
}

function loaded(img) {
  return new Promise((resolve, reject) => {
    if (img.complete && img.naturalWidth > 0) return resolve();
    img.addEventListener("load", () => resolve());
    img.addEventListener("error", () => reject(new Error(`image failed: ${img.src}`)));
  });
}

async function showProducts(category) {
  const { products } = await data(
    "query($s: String) { products(categorySlug: $s) { id title price images } }",
    { s: category.slug },
  );
  const list = document.getElementById("products");
  list.replaceChildren();
  const images = [];
  for (const product of products) {
    const item = document.createElement("li");
    item.dataset.id = product.id;
    const img = document.createElement("img");
    img.alt = product.title;
    img.src = product.images[0];
    images.push(loaded(img));
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = `${product.title} — $${product.price}`;
    item.append(img, title);
    list.append(item);
  }
  document.getElementById("count").textContent = String(products.length);
  await Promise.all(images);
}

async function main() {
  if (!url) throw new Error("no ?graphql=<fakeauth GraphQL URL>");
  const { categories } = await data("{ categories { id name slug image } }");
  const category = categories.find((c) => c.slug === slug);
  document.getElementById("category-name").textContent = category.name;
  await showProducts(category);

  const { login } = await data(
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { access_token } }",
    { e: "john@mail.com", p: "changeme" },
  );
  const { myProfile } = await data("{ myProfile { name } }", {}, login.access_token);
  document.getElementById("user-name").textContent = myProfile.name;

  const image = new URL("/images/products/1-1.svg", url).href;
  const { addProduct } = await data(
    "mutation($d: CreateProductDto!) { addProduct(data: $d) { id title } }",
    { d: { title: "Browser Test Lamp", price: 42, description: "Added from the page.", categoryId: Number(category.id), images: [image] } },
    login.access_token,
  );
  document.getElementById("added").textContent = `added ${addProduct.id}`;
  await showProducts(category);
}

main().then(
  () => { document.body.dataset.state = "done"; },
  (error) => { document.getElementById("error").textContent = String(error.stack || error); document.body.dataset.state = "failed"; },
);
