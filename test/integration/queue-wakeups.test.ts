// The job runner wakes on NOTIFY instead of polling: with the fallback poll set to ten minutes, a job enqueued
// is still claimed at once, a delayed one when it falls due, and after Postgres drops the runner's LISTEN
// connection it reconnects and keeps waking.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { finishJob } from "../../server/queue/job-store";
import { JobRunner, type JobHandler } from "../../server/queue/job-runner";
import { enqueueJob, type JobSpec } from "../../server/queue/job-spec";
import { JOB_LISTENER_APPLICATION } from "../../server/queue/job-wakeups";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { silentLog, waitFor } from "../support/pipeline-fixture";

const pingJob: JobSpec<{ name: string }> = {
  kind: "test-ping",
  payload: z.object({ name: z.string() }),
  dedupeKey: (payload) => `test-ping:${payload.name}`,
  retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
  concurrency: 2,
  leaseMs: 10_000,
};

let database: MigratedDatabase;
const handled = new Map<string, number>();

const handler: JobHandler<{ name: string }> = {
  spec: pingJob,
  async handle({ job, payload }) {
    await database.db.$transaction((tx) => finishJob(tx, job));
    handled.set(payload.name, Date.now());
    return "finished";
  },
};

beforeAll(async () => {
  database = await createMigratedDatabase("queue_wakeups_test");
});
afterAll(async () => {
  await database?.dispose();
});

/** Enqueues a job; returns when the enqueue began (run_after is counted from the insert). */
async function enqueue(name: string, delayMs = 0): Promise<number> {
  const startedAt = Date.now();
  await database.db.$transaction((tx) => enqueueJob(tx, pingJob, { name }, { delayMs }));
  return startedAt;
}

describe("job runner wake-ups", () => {
  it("claims a job when it is enqueued and a delayed one when it is due, with no poll to rely on", async () => {
    const runner = new JobRunner({
      db: database.db,
      handlers: [handler],
      log: silentLog,
      listenUrl: database.url,
      pollMs: 600_000,
      reclaimEveryMs: 600_000,
    });
    await runner.start();
    try {
      expect(runner.listening).toBe(true);
      // Let the first round (the only poll) finish with an empty queue.
      await new Promise((resolve) => setTimeout(resolve, 200));

      const enqueuedAt = await enqueue("now");
      await waitFor(async () => handled.has("now"), "the enqueued job to run", 5_000);
      expect(handled.get("now")! - enqueuedAt).toBeLessThan(1_000);

      const delayedAt = await enqueue("later", 400);
      await waitFor(async () => handled.has("later"), "the delayed job to run", 5_000);
      expect(handled.get("later")! - delayedAt).toBeGreaterThanOrEqual(380);
      expect(handled.get("later")! - delayedAt).toBeLessThan(1_500);
      expect(runner.stats.polls).toBe(1);
    } finally {
      await runner.stop();
    }
  });

  it("reconnects after Postgres drops its LISTEN connection, then wakes again", async () => {
    const runner = new JobRunner({
      db: database.db,
      handlers: [handler],
      log: silentLog,
      listenUrl: database.url,
      pollMs: 600_000,
      reclaimEveryMs: 600_000,
    });
    await runner.start();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ terminated: boolean }>(
        "SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
        [JOB_LISTENER_APPLICATION],
      );
      expect(rows).toEqual([{ terminated: true }]);
      await waitFor(
        async () => runner.listenReconnects === 1 && runner.listening,
        "the LISTEN to reconnect",
        10_000,
      );

      const enqueuedAt = await enqueue("after-drop");
      await waitFor(async () => handled.has("after-drop"), "the job enqueued after the drop to run", 5_000);
      expect(handled.get("after-drop")! - enqueuedAt).toBeLessThan(1_000);
      expect(runner.stats.polls).toBe(1);
    } finally {
      await admin.end();
      await runner.stop();
    }
  });
});
