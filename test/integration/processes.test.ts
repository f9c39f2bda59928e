// Process behaviour a user relies on: a second `npm start` on the same data refuses clearly, a bad env var
// stops start-up with a message naming it, and the stream worker shuts down in order on SIGTERM.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { startWorker } from "../support/worker-process";

let database: MigratedDatabase;
beforeAll(async () => {
  database = await createMigratedDatabase("processes_test");
});
afterAll(async () => {
  await database?.dispose();
});

describe("launcher and worker processes", () => {
  it("refuses a second start on a data directory in use, naming the running instance", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "peaklight-lock-"));
    fs.writeFileSync(path.join(dataDir, "peaklight.pid"), `${process.pid}\n`);
    const result = spawnSync(process.execPath, ["--import", "tsx", "worker/start.ts"], {
      env: { ...process.env, PEAKLIGHT_DATA_DIR: dataDir },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`Peaklight is already running from this folder (pid ${process.pid}`);
    expect(fs.existsSync(path.join(dataDir, "postgres")), "must not touch the database files").toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("stops at start-up on a bad environment variable, naming it and what it expects", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "worker/start.ts"], {
      env: { ...process.env, PORT: "eighty", BUCKET_SECONDS: "-5" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT: expected a port number 1-65535 (got "eighty")');
    expect(result.stderr).toContain('BUCKET_SECONDS: expected a positive integer (got "-5")');
  });

  it("runs the demo into Postgres and, on SIGTERM, finishes its batch and exits cleanly", async () => {
    const worker = startWorker({
      DATABASE_URL: database.url,
      DEMO_REPLAY: "true",
      DEMO_ACTIONS_PER_SECOND: "500",
    });

    const stored = async () =>
      // Per country × sport: the country totals (sport `all`) hold the same actions again.
      (
        await database.db.trafficBucket.aggregate({
          where: { sport: { not: "all" } },
          _sum: { actions: true },
        })
      )._sum.actions ?? 0;
    await expect
      .poll(stored, { timeout: 30_000, message: "worker stored no demo traffic" })
      .toBeGreaterThan(200);
    expect(await worker.stop(), worker.output()).toBe(0);
    const output = worker.output();

    const final = output
      .split("\n")
      .filter((line) => line.includes('"final stream stats"'))
      .map((line) => JSON.parse(line) as { actions: number; sent: number | undefined });
    expect(final, output).toHaveLength(1);
    // Everything the worker counted is in Postgres: nothing was lost in the shutdown.
    expect(await stored()).toBe(final[0]!.actions);
    expect(output).toContain('"msg":"stopped"');
  });
});
