// The queue's SQL: claim with FOR UPDATE SKIP LOCKED, renew and reclaim leases, finish, fail with back-off
// or dead, hand back. Every change to a running job is fenced on (id, attempts): a worker whose lease expired
// and whose job was claimed again can no longer finish, fail or hand it back. Whatever puts a job back in the
// queue NOTIFYs the runners, so they wake for it (at once, or when its back-off ends) without polling.
import type { Db, Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { FailureVerdict } from "./backoff";
import { JOB_CHANNEL } from "./job-spec";

export interface ClaimedJob {
  id: bigint;
  kind: string;
  payload: unknown;
  /** This claim's attempt number (1 for the first): the fencing token. */
  attempt: number;
}

export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(job: Pick<ClaimedJob, "id" | "kind" | "attempt">) {
    super(
      `job ${job.id} (${job.kind}) attempt ${job.attempt} lost its lease: another worker took it over, ` +
        "so this attempt's results were discarded",
    );
  }
}

const MAX_ERROR_CHARS = 4_000;

/** Claims up to `limit` due jobs of one kind, oldest due first, each leased for `leaseMs`. */
export async function claimJobs(db: Db, kind: string, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
  if (limit <= 0) return [];
  const rows = await db.$queryRaw<{ id: bigint; kind: string; payload: unknown; attempts: number }[]>`
    UPDATE job SET status = 'running', attempts = attempts + 1,
           locked_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
    WHERE id IN (
      SELECT id FROM job
      WHERE kind = ${kind} AND status = 'queued' AND run_after <= now()
      ORDER BY run_after
      FOR UPDATE SKIP LOCKED
      LIMIT ${limit})
    RETURNING id, kind, payload, attempts`;
  return rows.map((row) => ({ id: row.id, kind: row.kind, payload: row.payload, attempt: row.attempts }));
}

/** A job taken back from a worker whose lease expired: the attempt that was lost, and what became of it. */
export interface ReclaimedJob {
  id: bigint;
  kind: string;
  payload: unknown;
  /** The lost attempt's number. */
  attempt: number;
  /** queued again, or failed when that was its last attempt. */
  status: "queued" | "failed";
}

/** What reclaiming needs to know of a kind: after how many claims a job whose worker died is dead. */
export interface ReclaimLimit {
  kind: string;
  maxAttempts: number;
}

/**
 * Running jobs of these kinds whose lease expired (their worker died or hung): back to queued, or failed when
 * that was the last attempt of its kind. One statement for every kind, so an idle runner's check is cheap.
 */
export async function reclaimExpired(db: Db, limits: readonly ReclaimLimit[]): Promise<ReclaimedJob[]> {
  if (limits.length === 0) return [];
  const rows = await db.$queryRaw<
    { id: bigint; kind: string; payload: unknown; attempts: number; status: "queued" | "failed" }[]
  >`
    WITH limits AS (
      SELECT * FROM unnest(${limits.map((limit) => limit.kind)}::text[],
                           ${limits.map((limit) => limit.maxAttempts)}::int[]) AS l(kind, max_attempts)),
    expired AS (
      SELECT job.id, limits.max_attempts FROM job JOIN limits ON limits.kind = job.kind
      WHERE job.status = 'running' AND job.locked_until < now()
      FOR UPDATE OF job SKIP LOCKED)
    UPDATE job SET status = CASE WHEN job.attempts >= expired.max_attempts THEN 'failed' ELSE 'queued' END,
           last_error = 'attempt ' || job.attempts || ' lost its worker (lease expired mid-job)',
           locked_until = NULL, run_after = now(), updated_at = now()
    FROM expired WHERE job.id = expired.id
    RETURNING job.id, job.kind, job.payload, job.attempts, job.status`;
  for (const kind of new Set(rows.filter((row) => row.status === "queued").map((row) => row.kind))) {
    await notifyRunners(db, kind);
  }
  return rows.map((row) => ({ ...row, attempt: row.attempts }));
}

/**
 * Milliseconds until the earliest queued job of these kinds that is not due yet (delayed or backing off), or
 * null when there is none: the runner sleeps until then instead of polling.
 */
export async function msUntilNextDue(db: Db, kinds: readonly string[]): Promise<number | null> {
  const rows = await db.$queryRaw<{ ms: number | null }[]>`
    SELECT (extract(epoch FROM min(run_after) - now()) * 1000)::float8 AS ms FROM job
    WHERE status = 'queued' AND kind = ANY(${kinds as string[]}) AND run_after > now()`;
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Math.ceil(ms));
}

/** Extends a claim's lease; false when the claim was lost. */
export async function renewLease(db: Db, job: ClaimedJob, leaseMs: number): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE job SET locked_until = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempt}`;
  return updated > 0;
}

/**
 * Marks the job done, fenced on this claim (id, attempt): a statement for a CTE, so a stage can finish its job
 * and write its results in one round trip. Put it first, and make the writes depend on its row (`WHERE EXISTS
 * (SELECT 1 FROM <it>)`), so the job row is locked before anything else and a lost claim writes nothing.
 */
export function finishJobSql(job: ClaimedJob): Prisma.Sql {
  return Prisma.sql`
    UPDATE job SET status = 'done', locked_until = NULL, updated_at = now()
    WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempt}
    RETURNING id`;
}

/**
 * Marks the job done inside the transaction that writes its results (or alone, for a job with nothing to
 * write); throws LeaseLostError (rolling the transaction back) when this claim no longer holds the job. Call
 * it first in the transaction: it also locks the job row, so two holders can never both commit.
 */
export async function finishJob(db: Db | Tx, job: ClaimedJob): Promise<void> {
  const updated = await db.$executeRaw`
    UPDATE job SET status = 'done', locked_until = NULL, updated_at = now()
    WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempt}`;
  if (updated === 0) throw new LeaseLostError(job);
}

/**
 * Records a failed attempt: queued again after the back-off, or failed (dead) with the error kept. Takes a
 * transaction too, so a handler can record its own side of the failure atomically with it.
 */
export async function failJob(
  db: Db | Tx,
  job: ClaimedJob,
  error: string,
  verdict: FailureVerdict,
): Promise<boolean> {
  const status = verdict.kind === "dead" ? "failed" : "queued";
  const delaySeconds = verdict.kind === "retry" ? verdict.delayMs / 1000 : 0;
  const updated = await db.$executeRaw`
    UPDATE job SET status = ${status}, last_error = ${error.slice(0, MAX_ERROR_CHARS)}, locked_until = NULL,
           run_after = now() + make_interval(secs => ${delaySeconds}), updated_at = now()
    WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempt}`;
  if (updated > 0 && verdict.kind === "retry") await notifyRunners(db, job.kind);
  return updated > 0;
}

/** Wakes every runner LISTENing for jobs of `kind` (on commit, inside a transaction). */
export async function notifyRunners(db: Db | Tx, kind: string): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${JOB_CHANNEL}, ${kind})`;
}

/**
 * Gives an unfinished claim back on shutdown: queued at once. The attempt stays counted on purpose: it is
 * the fencing token, and reusing its number would let the abandoned run finish a later claim's job.
 */
export async function handBack(db: Db, jobs: readonly ClaimedJob[]): Promise<number> {
  let count = 0;
  for (const job of jobs) {
    count += await db.$executeRaw`
      UPDATE job SET status = 'queued', locked_until = NULL, run_after = now(),
             last_error = 'attempt ' || attempts || ' handed back by a worker shutting down', updated_at = now()
      WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempt}`;
  }
  for (const kind of new Set(jobs.map((job) => job.kind))) await notifyRunners(db, kind);
  return count;
}
