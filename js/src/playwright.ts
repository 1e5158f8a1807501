// The Playwright fixture: `import { test, expect } from "fakeauth/playwright"`.
import { randomBytes } from "node:crypto";
import { test as base, expect, type TestInfo } from "@playwright/test";
import { FakeAuth, NAMESPACE_HEADER } from "./client.js";
import { startFakeAuth } from "./server.js";
import type { NamespaceSettings, StorageStateOptions, TokenPlaces } from "./types.js";

/** A user to start logged in as: an id or email, or where to put its tokens too. */
export type FakeAuthUser = number | string | (Partial<StorageStateOptions> & Pick<StorageStateOptions, "user">);

/** Options for `test.use({...})` and the config's `use: {...}`. */
export interface FakeAuthOptions {
  /** The namespace of each test; default: a fresh name per test (and repeat, and retry). */
  fakeauthNamespace: string | undefined;
  /** Settings of each test's namespace: `{ now, frozen, access_ttl, ... }`. */
  fakeauthSettings: NamespaceSettings | undefined;
  /** Start each test logged in as this user, through `storageState`. */
  fakeauthUser: FakeAuthUser | undefined;
  /** Where the app keeps its tokens, for fakeauthUser: `{ localStorage: { token: "access_token" } }`. */
  fakeauthStorage: (TokenPlaces & { origin?: string }) | undefined;
}

export interface FakeAuthFixtures {
  /** The control API of this test's own namespace, created before it and deleted after. */
  fakeauth: FakeAuth;
}

export interface FakeAuthWorkerFixtures {
  /** The server's base URL: $FAKEAUTH_URL, else a server this worker starts and stops. */
  fakeauthUrl: string;
}

// Names are 1 to 64 of A-Z a-z 0-9 . _ - ; the random part keeps two runs of one suite
// against one server apart.
function namespaceFor(info: TestInfo): string {
  const id = info.testId.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 32);
  const name = `pw-${id}-${info.repeatEachIndex}-${info.retry}-${randomBytes(4).toString("hex")}`;
  return name.slice(0, 64);
}

export const test = base.extend<FakeAuthOptions & FakeAuthFixtures, FakeAuthWorkerFixtures>({
  fakeauthUrl: [
    async ({}, use) => {
      const given = process.env.FAKEAUTH_URL;
      if (given) {
        await use(given.replace(/\/+$/, ""));
        return;
      }
      const server = await startFakeAuth();
      try {
        await use(server.url);
      } finally {
        await server.stop();
      }
    },
    { scope: "worker" },
  ],
  fakeauthNamespace: [undefined, { option: true }],
  fakeauthSettings: [undefined, { option: true }],
  fakeauthUser: [undefined, { option: true }],
  fakeauthStorage: [undefined, { option: true }],

  fakeauth: async ({ fakeauthUrl, fakeauthNamespace, fakeauthSettings }, use, testInfo) => {
    const server = new FakeAuth({ url: fakeauthUrl, controlToken: process.env.FAKEAUTH_CONTROL_TOKEN });
    const name = fakeauthNamespace ?? namespaceFor(testInfo);
    await server.namespaces.create(name, fakeauthSettings ?? {});
    try {
      await use(server.inNamespace(name));
    } finally {
      await server.namespaces.delete(name);
    }
  },

  // Every page of the test (and its popups) names the test's namespace to fakeauth;
  // requests to other origins go out untouched.
  context: async ({ context, fakeauth }, use) => {
    const origin = new URL(fakeauth.serverUrl).origin;
    const name = fakeauth.namespace as string;
    await context.route(
      (url) => url.origin === origin,
      (route) => route.continue({ headers: { ...route.request().headers(), [NAMESPACE_HEADER.toLowerCase()]: name } }),
    );
    await use(context);
  },

  storageState: async ({ storageState, fakeauth, fakeauthUser, fakeauthStorage, baseURL }, use) => {
    if (fakeauthUser === undefined) {
      await use(storageState);
      return;
    }
    const asked = typeof fakeauthUser === "object" ? fakeauthUser : { user: fakeauthUser };
    const origin = asked.origin ?? fakeauthStorage?.origin ?? baseURL;
    if (origin === undefined) {
      throw new TypeError("fakeauthUser needs the app's origin: set use.baseURL, or fakeauthStorage: { origin }");
    }
    const places = asked.localStorage || asked.cookies ? asked : (fakeauthStorage ?? {});
    await use(await fakeauth.storageState({ user: asked.user, origin, localStorage: places.localStorage, cookies: places.cookies }));
  },
});

export { expect };
export { FakeAuth, FakeAuthError } from "./index.js";
