import { test, expect, type FakeAuth } from "fakeauth/playwright";
import type { Page } from "@playwright/test";

// Each test has a namespace of its own, with these settings: its own clock, frozen at
// this instant, which only that test moves; access tokens that last 15 minutes.
test.use({ fakeauthSettings: { now: "2023-01-03T20:44:43Z", frozen: true, access_ttl: "15m" } });

// The app calls fakeauth's plain GraphQL URL; the fixture adds the namespace's header.
async function openApp(page: Page, fakeauth: FakeAuth) {
  await page.goto(`/?api=${encodeURIComponent(`${fakeauth.serverUrl}/graphql`)}`);
}

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

const fieldsOf = async (fakeauth: FakeAuth) => (await fakeauth.requests()).map((request) => request.fields[0]);

test("logs in and shows the profile", async ({ page, fakeauth }) => {
  await fakeauth.clock.advance("1h");
  await openApp(page, fakeauth);
  await logIn(page, "john@mail.com", "changeme");
  await expect(page.locator("#name")).toHaveText("Jhon");
  expect(await fieldsOf(fakeauth)).toEqual(["login", "myProfile"]);
  // The app's own origin gets no fakeauth header.
  const headers = await page.evaluate(() => fetch("/echo-headers").then((response) => response.json()));
  expect(headers).not.toHaveProperty("x-fakeauth-namespace");
});

test("refreshes when its access token expires", async ({ page, fakeauth }) => {
  await openApp(page, fakeauth);
  await logIn(page, "john@mail.com", "changeme");
  await expect(page.locator("#name")).toHaveText("Jhon");
  await fakeauth.clock.advance("16m");
  await page.getByRole("button", { name: "Reload profile" }).click();
  await expect(page.locator("body")).toHaveAttribute("data-state", "profile");
  await expect(page.locator("#name")).toHaveText("Jhon");
  expect(await fieldsOf(fakeauth)).toEqual(["login", "myProfile", "myProfile", "refreshToken", "myProfile"]);
  const [, , expired] = await fakeauth.requests();
  expect(expired.outcome).toBe("UNAUTHENTICATED");
});

test("sends a revoked user back to the login form", async ({ page, fakeauth }) => {
  await fakeauth.clock.advance("3h");
  await openApp(page, fakeauth);
  await logIn(page, "john@mail.com", "changeme");
  await expect(page.locator("#name")).toHaveText("Jhon");
  await fakeauth.users.revoke("john@mail.com");
  await fakeauth.clock.advance("1m");
  await page.getByRole("button", { name: "Reload profile" }).click();
  await expect(page.locator("#message")).toHaveText("Your session has ended. Please log in again.");
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
  expect(await fieldsOf(fakeauth)).toEqual(["login", "myProfile", "myProfile", "refreshToken"]);
});

test.describe("with the storageState bypass", () => {
  test.use({ fakeauthUser: "maria@mail.com" });

  test("starts logged in, and refreshes later", async ({ page, fakeauth }) => {
    await openApp(page, fakeauth);
    await expect(page.locator("#name")).toHaveText("Maria");
    expect(await fieldsOf(fakeauth)).toEqual(["myProfile"]);
    await fakeauth.clock.advance("20m");
    await page.getByRole("button", { name: "Reload profile" }).click();
    await expect(page.locator("body")).toHaveAttribute("data-state", "profile");
    await expect(page.locator("#email")).toHaveText("maria@mail.com");
    expect(await fieldsOf(fakeauth)).toEqual(["myProfile", "myProfile", "refreshToken", "myProfile"]);
  });
});
