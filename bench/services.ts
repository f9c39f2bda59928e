// The bench's own services in a temporary directory: an embedded Postgres with a migrated template database
// (each Postgres phase gets a fresh copy) and, if asked, a single-node Kafka broker. stop() removes it all.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import { freePort } from "../server/runtime/ports";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { startBroker, waitForGroupCoordinator, type RunningBroker } from "../scripts/kafka/broker";
import { createDb, type Db } from "../server/db/client";
import { startEmbeddedPostgres, type RunningPostgres } from "../server/db/embedded-postgres";
import type { WatchedPids } from "./machine";
import { withTimeout } from "./measure";

const run = promisify(execFile);
const TEMPLATE_DATABASE = "peaklight_bench_template";
const STARTUP_TIMEOUT_MS = 150_000;

export class BenchServiceError extends Error {
  override name = "BenchServiceError";
}

export interface BenchServices {
  workDir: string;
  postgres: RunningPostgres;
  broker: RunningBroker | undefined;
  pids: WatchedPids;
  startupSeconds: number;
  /** A new database copied from the migrated template, with a Prisma client (pool of 4, like the worker). */
  freshDatabase(name: string): Promise<Db>;
  /** Closes clients, stops Kafka and Postgres, removes the temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

async function migrate(postgres: RunningPostgres): Promise<void> {
  await postgres.ensureDatabase(TEMPLATE_DATABASE);
  await run(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: postgres.url(TEMPLATE_DATABASE) },
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new BenchServiceError(
      `prisma migrate deploy failed: ${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`,
    );
  });
}

export async function startBenchServices(options: { kafka: boolean }): Promise<BenchServices> {
  const startedAt = Date.now();
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-bench-"));
  await fs.chmod(workDir, 0o755); // Postgres runs as the postgres user when we are root
  const postgresStart = freePort().then((port) =>
    startEmbeddedPostgres({ dataDir: path.join(workDir, "postgres"), port }),
  );
  const brokerStart = options.kafka
    ? startBroker({ dataDir: path.join(workDir, "kafka"), partitionsForOffsetsTopic: 3, heapMb: 512 })
    : Promise.resolve(undefined);
  const ready = Promise.all([
    postgresStart.then(async (postgres) => {
      await migrate(postgres);
      return postgres;
    }),
    brokerStart.then(async (broker) => {
      if (broker) await waitForGroupCoordinator(broker.brokers);
      return broker;
    }),
  ]);

  let postgres: RunningPostgres;
  let broker: RunningBroker | undefined;
  try {
    [postgres, broker] = await withTimeout("starting Postgres and Kafka", STARTUP_TIMEOUT_MS, ready);
  } catch (error) {
    // Whatever did come up (or comes up later) is stopped before the temporary directory goes.
    await Promise.allSettled([
      postgresStart.then((started) => started.stop()),
      brokerStart.then((started) => started?.stop()),
    ]);
    await fs.rm(workDir, { recursive: true, force: true });
    throw error;
  }

  const clients: Db[] = [];
  let stopped = false;
  return {
    workDir,
    postgres,
    broker,
    pids: { postgres: postgres.pid, kafka: broker?.pid },
    startupSeconds: (Date.now() - startedAt) / 1_000,
    async freshDatabase(name) {
      const admin = new pg.Client({ connectionString: postgres.url("postgres") });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
        await admin.query(
          `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(TEMPLATE_DATABASE)}`,
        );
      } finally {
        await admin.end();
      }
      const db = createDb(postgres.url(name), 4);
      clients.push(db);
      return db;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.allSettled(clients.map((db) => db.$disconnect()));
      const results = await Promise.allSettled([broker?.stop(), postgres.stop()]);
      await fs.rm(workDir, { recursive: true, force: true });
      const failures = results.filter((result) => result.status === "rejected");
      if (failures.length > 0) {
        throw new BenchServiceError(
          `could not stop every service cleanly: ${failures.map((failure) => String(failure.reason)).join("; ")}`,
        );
      }
    },
  };
}
