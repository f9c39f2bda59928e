// Two test projects: `unit` (pure logic beside the code, no servers) and `integration` (real Postgres and a
// real Kafka broker, started once per run by test/support/global-setup.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["server/**/*.test.ts", "components/**/*.test.ts", "worker/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // The suites share one Postgres server and one broker on a 2-core machine: run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
