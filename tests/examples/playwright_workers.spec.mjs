import { test as base, expect } from "@playwright/test";

// One fakeauth for all workers, and the app under test, whose pages call fakeauth.
const FAKEAUTH = (process.env.FAKEAUTH_URL ?? "http://127.0.0.1:3001").replace(/\/+$/, "");
const APP_URL = process.env.APP_URL ?? "http://127.0.0.1:5173/";

const test = base.extend({
  // Each worker has a namespace of its own on that server: "worker-0", "worker-1", ...
  namespace: [async ({}, use, workerInfo) => use(`worker-${workerInfo.workerIndex}`), { scope: "worker" }],

  // The control API of this worker's namespace, reset before each test.
  control: async ({ request, namespace }, use) => {
    const control = async (method, path, data) => {
      const response = await request.fetch(`${FAKEAUTH}/ns/${namespace}/__fakeauth${path}`, { method, data });
      expect(response.ok(), `${method} ${path} answered ${response.status()}`).toBeTruthy();
      return response.status() === 204 ? null : response.json();
    };
    await control("POST", "/reset");
    await use(control);
  },

  // The page's requests to fakeauth (and only those) name the worker's namespace.
  page: async ({ page, namespace }, use) => {
    await page.route(`${FAKEAUTH}/**`, (route) =>
      route.continue({ headers: { ...route.request().headers(), "x-fakeauth-namespace": namespace } }),
    );
    await use(page);
  },
});

test("the app logs in with a token of this worker's clock", async ({ page, control }) => {
  const clock = await control("PUT", "/clock", { now: "2024-02-29T12:00:00Z", frozen: true });
  await control("POST", "/clock/advance", { by: `${test.info().workerIndex}h` });
  await page.goto(APP_URL);
  await expect(page.locator("body")).toHaveAttribute("data-state", "done");

  const token = await page.locator("#access-token").textContent();
  const { iat } = JSON.parse(Buffer.from(token.split(".")[1], "base64url"));
  expect(iat).toBe(clock.timestamp + 3600 * test.info().workerIndex);
  const log = await control("GET", "/requests");
  expect(log.map((entry) => entry.fields[0])).toEqual(["login", "myProfile", "refreshToken", "myProfile", "myProfile"]);
});

test("the app shows a server error at login", async ({ page, control }) => {
  // Only this worker's logins fail: the other workers' tests run on undisturbed.
  await control("POST", "/faults", { operation: "login", error: "INTERNAL_SERVER_ERROR" });
  await page.goto(APP_URL);
  await expect(page.locator("body")).toHaveAttribute("data-state", "failed");
  await expect(page.locator("#error")).toContainText("INTERNAL_SERVER_ERROR");
});
