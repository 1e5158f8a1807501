// Runs the README's Playwright example (copied beside a link to this folder's
// node_modules by tests/test_namespaces_examples.py) in parallel workers, on
// Debian's Chromium: `playwright install` is never run.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: process.env.SPEC_DIR,
  // Results beside the copied spec, not in the checkout.
  outputDir: `${process.env.SPEC_DIR}/test-results`,
  fullyParallel: true,
  workers: 2,
  repeatEach: 2,
  forbidOnly: true,
  retries: 0,
  reporter: "line",
  timeout: 30_000,
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--no-proxy-server"],
    },
  },
});
