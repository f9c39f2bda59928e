// Starts the real services the integration suites use, once per run: an embedded PostgreSQL (with a
// migrated template database, so each test file gets a fresh copy in milliseconds) and a single-node Kafka
// broker. Both live in a temporary directory removed afterwards.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import { freePort } from "../../server/runtime/ports";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../server/db/embedded-postgres";
import { startBroker, waitForGroupCoordinator } from "../../scripts/kafka/broker";

export const TEMPLATE_DATABASE = "peaklight_test_template";

export default async function setup(): Promise<() => Promise<void>> {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-it-"));
  await fs.chmod(workDir, 0o755); // Postgres runs as the postgres user when we are root
  const startedAt = Date.now();
  const [postgres, broker] = await Promise.all([
    freePort().then((port) => startEmbeddedPostgres({ dataDir: path.join(workDir, "postgres"), port })),
    startBroker({ dataDir: path.join(workDir, "kafka"), partitionsForOffsetsTopic: 3, heapMb: 512 }),
  ]);
  await postgres.ensureDatabase(TEMPLATE_DATABASE);
  const migrate = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: postgres.url(TEMPLATE_DATABASE) },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);
  await waitForGroupCoordinator(broker.brokers);
  console.log(
    `[integration] Postgres on ${postgres.port}, Kafka on ${broker.brokers}, ready in ${Date.now() - startedAt} ms`,
  );

  process.env.TEST_PG_ADMIN_URL = postgres.url("postgres");
  process.env.TEST_PG_TEMPLATE = TEMPLATE_DATABASE;
  process.env.TEST_KAFKA_BROKERS = broker.brokers;

  return async () => {
    await Promise.allSettled([broker.stop(), postgres.stop()]);
    await fs.rm(workDir, { recursive: true, force: true });
  };
}
