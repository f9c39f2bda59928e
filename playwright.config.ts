// Playwright drives the built app in Debian's Chromium (/usr/bin/chromium; never a downloaded browser). The
// web server is the real launcher (`worker/start.ts`): embedded Postgres, worker with the demo replay, and
// `next start`, on its own port and a fresh data directory.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1366, height: 768 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node --import tsx worker/start.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    // E2E_REUSE_SERVER=1 runs against a launcher already started on the port with this same env (for
    // iterating on one spec); by default every run starts its own.
    reuseExistingServer: process.env.E2E_REUSE_SERVER === "1",
    timeout: 240_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    env: {
      PORT: String(port),
      PEAKLIGHT_WEB_MODE: "prod",
      PEAKLIGHT_DATA_DIR: process.env.E2E_DATA_DIR ?? ".cache/e2e-data",
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? "54339",
      DEMO_ACTIONS_PER_SECOND: "600",
      // Reactions come three times as often as in the default demo, so peaks show up within a test's time.
      DEMO_SPEED: "12",
      // Live streams end every few seconds, so every test also runs across reconnects (sse-reconnect.spec.ts).
      SSE_MAX_STREAM_SECONDS: "5",
      KAFKA_BROKERS: "",
      DATABASE_URL: "",
      LOG_FORMAT: "json",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
