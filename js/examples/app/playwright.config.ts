import { defineConfig } from "@playwright/test";
import type { FakeAuthOptions } from "fakeauth/playwright";

// fakeauth: $FAKEAUTH_URL, or each worker starts `fakeauth serve --port 0` ($FAKEAUTH_COMMAND).
// The app is served from its own origin, as in development.
const APP_PORT = Number(process.env.APP_PORT ?? 5173);
const APP_URL = `http://127.0.0.1:${APP_PORT}`;

export default defineConfig<FakeAuthOptions>({
  testDir: "tests",
  fullyParallel: true,
  workers: 4,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: "line",
  timeout: 30_000,
  use: {
    baseURL: APP_URL,
    // Where the app keeps its tokens: a test with fakeauthUser starts logged in.
    fakeauthStorage: { localStorage: { token: "access_token", refresh: "refresh_token" } },
    // Debian's Chromium (apt-get install chromium), not a downloaded one.
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    },
  },
  webServer: {
    command: "node serve.mjs",
    url: `${APP_URL}/`,
    env: { APP_PORT: String(APP_PORT) },
    reuseExistingServer: false,
  },
});
