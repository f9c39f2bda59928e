// What a kind of job is, apart from who runs it: its name, zod payload, natural key, retry policy, how many
// run at once and how long a claim lasts. Enqueue goes only through `enqueueJob` with a spec, so every row in
// `job` has a payload its kind's schema accepts.
//
// Why a small runner over the existing `job` table rather than pg-boss: detection already writes this table
// as its outbox inside the anomaly transaction (Prisma's transaction client, not pg-boss's own pool), and the
// stages finish their job in the same transaction that writes their results (see job-store.ts `finishJob`),
// which pg-boss's API cannot join. The runner is ~200 lines of SQL and timers on FOR UPDATE SKIP LOCKED.
import type { z } from "zod";
import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { RetryPolicy } from "./backoff";

export interface JobSpec<Payload> {
  kind: string;
  payload: z.ZodType<Payload>;
  /** The job's natural key (kind + subject): enqueueing it twice is a no-op. */
  dedupeKey(payload: Payload): string;
  retry: RetryPolicy;
  /** Jobs of this kind one worker process runs at once. */
  concurrency: number;
  /** A claim lasts this long unless renewed; a worker that dies mid-job loses it after this. */
  leaseMs: number;
}

/** The NOTIFY channel job runners LISTEN on; the payload is the job's kind. */
export const JOB_CHANNEL = "peaklight_jobs";

/**
 * Inserts a job once (a second call with the same natural key does nothing); returns whether it did. A new job
 * also wakes the runners (NOTIFY, delivered when the transaction commits, so never before the row is visible).
 */
export async function enqueueJob<Payload>(
  tx: Tx,
  spec: JobSpec<Payload>,
  payload: Payload,
  options: { delayMs?: number } = {},
): Promise<boolean> {
  const parsed = spec.payload.parse(payload);
  // One round trip: the NOTIFY runs only for a row the insert returned (none on a duplicate).
  const inserted = await tx.$executeRaw`
    WITH inserted AS (
      INSERT INTO job (kind, dedupe_key, payload, status, run_after)
      VALUES (${spec.kind}, ${spec.dedupeKey(parsed)}, ${JSON.stringify(parsed)}::jsonb, 'queued',
              now() + make_interval(secs => ${(options.delayMs ?? 0) / 1000}))
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING kind)
    SELECT pg_notify(${JOB_CHANNEL}, kind) FROM inserted`;
  return inserted > 0;
}

/**
 * `enqueueJob` as CTEs of a larger statement: queues the job, due now, once if CTE `source` returns a row (not
 * at all if none), as CTE `name` (columns `id`, `kind`, `payload`, `attempts`), and wakes the runners in CTE
 * `${name}_notified`, which the statement must read (a NOTIFY nobody reads is never sent). With `claim`, the
 * job is queued already claimed by the caller's runner (running, attempt 1, leased for `leaseMs`; see JobRun
 * `chainSlot`), and nobody is woken: the runner starts it itself. A worker that dies before it does loses the
 * lease like any other, and the job is reclaimed.
 */
export function enqueueJobCtes<Payload>(
  name: string,
  source: string,
  spec: JobSpec<Payload>,
  payload: Payload,
  claim?: { leaseMs: number },
): Prisma.Sql {
  const parsed = spec.payload.parse(payload);
  const queued = Prisma.raw(name);
  const state = claim
    ? Prisma.sql`'running', 1, now() + make_interval(secs => ${claim.leaseMs / 1000})`
    : Prisma.sql`'queued', 0, NULL::timestamptz`;
  const wake = claim
    ? Prisma.empty
    : Prisma.sql`CROSS JOIN LATERAL (SELECT pg_notify(${JOB_CHANNEL}, ${queued}.kind)) AS notified`;
  return Prisma.sql`
    ${queued} AS (
      INSERT INTO job (kind, dedupe_key, payload, status, attempts, locked_until, run_after)
      SELECT ${spec.kind}, ${spec.dedupeKey(parsed)}, ${JSON.stringify(parsed)}::jsonb, ${state}, now()
      FROM (SELECT 1 FROM ${Prisma.raw(source)} LIMIT 1) AS due
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id, kind, payload, attempts),
    ${Prisma.raw(`${name}_notified`)} AS (
      SELECT ${queued}.kind FROM ${queued} ${wake})`;
}
