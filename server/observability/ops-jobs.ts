// The agent queue as operators see it: depth per job kind and status with the oldest queued job's age, the
// jobs themselves (newest change first) with the moment each is about, and "retry now" for a failed job.
// Reads and the retry are SQL on the `job` table; the queue's own code (server/queue) is not involved.
import type { Db } from "../db/client";
import { JOB_CHANNEL } from "../queue/job-spec";
import type { JobsQuery, OpsJob, QueueDepth } from "./ops-views";

export class OpsJobNotFoundError extends Error {
  override name = "OpsJobNotFoundError";
  constructor(id: bigint) {
    super(`job ${id} does not exist`);
  }
}

export class OpsJobNotFailedError extends Error {
  override name = "OpsJobNotFailedError";
  constructor(
    id: bigint,
    readonly status: string,
  ) {
    super(`job ${id} is ${status}, not failed: only a failed job can be retried`);
  }
}

interface DepthRow {
  kind: string;
  queued: number;
  due: number;
  running: number;
  lease_expired: number;
  failed: number;
  done: number;
  oldest_queued_age_ms: number | null;
}

/** Jobs per kind and status, every kind that has a job (all time: done jobs stay in the table). */
export async function readQueueDepths(db: Db): Promise<QueueDepth[]> {
  const rows = await db.$queryRaw<DepthRow[]>`
    SELECT kind,
           count(*) FILTER (WHERE status = 'queued')::int AS queued,
           count(*) FILTER (WHERE status = 'queued' AND run_after <= now())::int AS due,
           count(*) FILTER (WHERE status = 'running')::int AS running,
           count(*) FILTER (WHERE status = 'running' AND locked_until < now())::int AS lease_expired,
           count(*) FILTER (WHERE status = 'failed')::int AS failed,
           count(*) FILTER (WHERE status = 'done')::int AS done,
           (extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'queued')) * 1000)::float8
             AS oldest_queued_age_ms
    FROM job GROUP BY kind ORDER BY kind`;
  return rows.map((row) => ({
    kind: row.kind,
    queued: row.queued,
    due: row.due,
    running: row.running,
    leaseExpired: row.lease_expired,
    failed: row.failed,
    done: row.done,
    oldestQueuedAgeMs:
      row.oldest_queued_age_ms === null ? null : Math.max(0, Math.round(row.oldest_queued_age_ms)),
  }));
}

/** How many jobs are failed (dead), and when one last changed: the page re-reads its list when these move. */
export async function readFailedMark(db: Db): Promise<{ failedJobs: number; lastFailureAt: number | null }> {
  const [row] = await db.$queryRaw<{ failed: number; last_at: Date | null }[]>`
    SELECT count(*)::int AS failed, max(updated_at) AS last_at FROM job WHERE status = 'failed'`;
  return { failedJobs: row?.failed ?? 0, lastFailureAt: row?.last_at?.getTime() ?? null };
}

interface JobRow {
  id: bigint;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  payload: unknown;
  moment_id: bigint | null;
  run_after: Date;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * The moment a job is about: its payload's momentId (describe, decide, deliver), or the moment of its
 * candidateId (score). Only ids that look like ids are cast, so an odd payload cannot fail the query.
 */
const MOMENT_OF_JOB = `
  LEFT JOIN LATERAL (
    SELECT m.id FROM moment m
    WHERE m.id = CASE WHEN j.payload ->> 'momentId' ~ '^[0-9]{1,18}$' THEN (j.payload ->> 'momentId')::bigint END
       OR m.candidate_id = CASE WHEN j.payload ->> 'candidateId' ~ '^[0-9]{1,18}$'
                                THEN (j.payload ->> 'candidateId')::bigint END
    LIMIT 1) about ON true`;

const JOB_COLUMNS = `j.id, j.kind, j.status, j.attempts, j.last_error, j.payload, about.id AS moment_id,
  j.run_after, j.locked_until, j.created_at, j.updated_at`;

function toOpsJob(row: JobRow): OpsJob {
  return {
    id: row.id.toString(),
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    payload: row.payload,
    momentId: row.moment_id?.toString() ?? null,
    runAfter: row.run_after.getTime(),
    lockedUntil: row.locked_until?.getTime() ?? null,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

/** Jobs, newest change first, filtered by status and kind. */
export async function listJobs(db: Db, query: JobsQuery): Promise<OpsJob[]> {
  const rows = await db.$queryRawUnsafe<JobRow[]>(
    `WITH j AS (
       SELECT * FROM job
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
       ORDER BY updated_at DESC, id DESC LIMIT $3)
     SELECT ${JOB_COLUMNS} FROM j ${MOMENT_OF_JOB}
     ORDER BY j.updated_at DESC, j.id DESC`,
    query.status ?? null,
    query.kind ?? null,
    query.limit,
  );
  return rows.map(toOpsJob);
}

/** Every job about one moment (its stages and deliveries), oldest first. */
export async function jobsOfMoment(db: Db, momentId: bigint, candidateId: bigint): Promise<OpsJob[]> {
  const rows = await db.$queryRawUnsafe<JobRow[]>(
    `WITH j AS (
       SELECT * FROM job
       WHERE payload ->> 'momentId' = $1 OR payload ->> 'candidateId' = $2)
     SELECT ${JOB_COLUMNS} FROM j ${MOMENT_OF_JOB}
     ORDER BY j.created_at, j.id`,
    momentId.toString(),
    candidateId.toString(),
  );
  return rows.map(toOpsJob);
}

/**
 * "Retry now": a failed (dead) job goes back to queued, due at once, and the runners are woken. Fenced on
 * status = 'failed', so a job that is queued, running or done is never touched (OpsJobNotFailedError), and
 * two operators pressing at once retry it once. Attempts keep counting (they are the queue's fencing token),
 * so the job gets one more attempt under its kind's retry policy; last_error stays until that attempt ends.
 */
export async function retryFailedJob(db: Db, id: bigint): Promise<OpsJob> {
  return db.$transaction(async (tx) => {
    const updated = await tx.$queryRaw<{ id: bigint; kind: string }[]>`
      UPDATE job SET status = 'queued', run_after = now(), locked_until = NULL, updated_at = now()
      WHERE id = ${id} AND status = 'failed'
      RETURNING id, kind`;
    const kind = updated[0]?.kind;
    if (kind === undefined) {
      const [current] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM job WHERE id = ${id}`;
      if (!current) throw new OpsJobNotFoundError(id);
      throw new OpsJobNotFailedError(id, current.status);
    }
    // Delivered on commit, like enqueueJob's: the runners LISTEN for the kind and claim it at once.
    await tx.$executeRaw`SELECT pg_notify(${JOB_CHANNEL}, ${kind})`;
    const [row] = await tx.$queryRawUnsafe<JobRow[]>(
      `WITH j AS (SELECT * FROM job WHERE id = $1) SELECT ${JOB_COLUMNS} FROM j ${MOMENT_OF_JOB}`,
      id,
    );
    return toOpsJob(row!);
  });
}
