// What a pipeline stage writes: its agent_run rows (a successful run with its results, a failed run, an attempt
// whose worker died), and its commit: finishing the job, the run, the moment's update, the next job and the
// audit event in one transaction — for score and describe one statement, so one round trip.
import { Prisma } from "../db/generated/client";
import type { Db, Tx } from "../db/client";
import { AgentRunError } from "../agents/errors";
import type { AgentRun } from "../agents/runner";
import type { AgentTrace } from "../agents/trace";
import { enqueueJobCtes, type JobSpec } from "../queue/job-spec";
import type { ChainSlot } from "../queue/job-handler";
import { finishJobSql, LeaseLostError, type ClaimedJob } from "../queue/job-store";
import { momentEventCtes, type MomentEventInput } from "./moment-events";
import type { MomentStatus } from "./moment-status";
import type { Stage } from "./stage-runtime";

/** The agent that runs each stage: what a lost attempt's agent_run row names. */
export const STAGE_AGENTS: Record<Stage, string> = {
  score: "interest-scorer",
  describe: "enrichment-summary",
  decide: "channel-decider",
};

export interface RunAt {
  momentId: bigint;
  stage: Stage;
  attempt: number;
}

/** An agent_run row as a stage writes it. */
export interface AgentRunRow {
  agent: string;
  outcome: "ok" | "failed";
  trace: unknown;
  output?: unknown;
  generatedBy: string | null;
  modelId: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number;
  error?: string;
}

/** An agent_run row's values, in the column order of AGENT_RUN_COLUMNS, each cast to its column's type. */
function agentRunValues(at: RunAt, row: AgentRunRow): Prisma.Sql {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return Prisma.sql`${at.momentId}::bigint, ${at.stage}::text, ${at.attempt}::int, ${row.agent}::text,
    ${row.outcome}::text, ${json(row.trace)}::jsonb, ${json(row.output)}::jsonb, ${row.generatedBy}::text,
    ${row.modelId}::text, ${row.inputTokens}::int, ${row.outputTokens}::int, ${row.costUsd}::float8,
    ${row.latencyMs}::int, ${row.error ?? null}::text`;
}

const AGENT_RUN_COLUMNS = Prisma.raw(
  "(moment_id, stage, attempt, agent, outcome, trace, output, generated_by, model_id, input_tokens, " +
    "output_tokens, cost_usd, latency_ms, error)",
);

function traceColumns(trace: AgentTrace) {
  return {
    agent: trace.agent,
    trace,
    generatedBy: trace.generatedBy,
    modelId: trace.modelId,
    inputTokens: trace.usage.inputTokens,
    outputTokens: trace.usage.outputTokens,
    costUsd: trace.costUsd,
    latencyMs: trace.latencyMs,
  };
}

/** What a stage's finishing statement records and changes besides finishing its job. */
export interface StageResult {
  /** The agent_run row of this attempt (outcome ok). */
  run: AgentRunRow;
  /** The moment's update (`SET` list, without updated_at), applied only while it is still `waitingIn`. */
  momentUpdate: Prisma.Sql;
  waitingIn: MomentStatus | readonly MomentStatus[];
  /** More rows to write with the run: one CTE (`name AS (INSERT … FROM recorded …)`), after the run's. */
  alsoWrite?: Prisma.Sql;
}

/** The agent_run row of a successful agent run. */
export function okRun<Output>(run: AgentRun<Output>): StageResult["run"] {
  return { ...traceColumns(run.trace), outcome: "ok", output: run.output };
}

/**
 * Inside the stage's transaction, in one statement: finishes the job (fenced on the claim; it locks the job
 * row first, and everything else depends on it, so a lost claim writes nothing), records the run, and updates
 * the moment if it still waits for this stage. Throws LeaseLostError when the claim was lost; returns the
 * moment's status after the update, or null when it no longer waited (an editor decided meanwhile). Call it
 * before anything else in the transaction, and record the moment event last.
 */
export async function finishStage(
  tx: Tx,
  job: ClaimedJob,
  at: RunAt,
  result: StageResult,
): Promise<string | null> {
  const waiting = ([] as string[]).concat(result.waitingIn);
  const [row] = await tx.$queryRaw<{ finished: number; status: string | null }[]>`
    WITH finished AS (${finishJobSql(job)}),
    recorded AS (
      INSERT INTO agent_run ${AGENT_RUN_COLUMNS}
      SELECT ${agentRunValues(at, result.run)} FROM finished
      RETURNING id),
    ${result.alsoWrite ? Prisma.sql`${result.alsoWrite},` : Prisma.empty}
    updated AS (
      UPDATE moment SET ${result.momentUpdate}, updated_at = now()
      WHERE id = ${at.momentId} AND status = ANY(${waiting}::text[]) AND EXISTS (SELECT 1 FROM recorded)
      RETURNING status)
    SELECT (SELECT count(*) FROM finished)::int AS finished, (SELECT status FROM updated) AS status`;
  if (!row || row.finished === 0) throw new LeaseLostError(job);
  return row.status;
}

/** A stage's whole commit, for stages that write nothing but their run, the moment, the next job and the event. */
export interface StageCommit<Next> extends Omit<StageResult, "alsoWrite"> {
  /**
   * The next stage's job, queued only when the moment was updated; with `slot`, queued claimed by this runner
   * (JobRun `chainSlot`), to be returned to it as `{ chained }`.
   */
  next?: { spec: JobSpec<Next>; payload: Next; slot?: ChainSlot };
  /** The audit event, recorded only when the moment was updated. */
  event: MomentEventInput;
}

/**
 * A stage's results in one statement, so one transaction and one round trip: finishes the job (fenced; it
 * locks the job row first and every write depends on it, so a lost claim writes nothing), records the run,
 * updates the moment if it still waits for this stage and, only then, queues the next job (and wakes the
 * runners, or claims it for this one) and records the audit event (its lock last, after every row the
 * statement writes). Throws LeaseLostError when the claim was lost; returns the moment's new status, or null
 * when it no longer waited (an editor decided meanwhile: the job is finished and the run kept, the moment left
 * alone), and the next job when it was queued claimed.
 */
export async function commitStage<Next>(
  db: Db,
  job: ClaimedJob,
  at: RunAt,
  commit: StageCommit<Next>,
): Promise<{ status: string | null; chained: ClaimedJob | null }> {
  const waiting = ([] as string[]).concat(commit.waitingIn);
  const next = commit.next
    ? enqueueJobCtes("next_job", "updated", commit.next.spec, commit.next.payload, commit.next.slot)
    : Prisma.sql`next_job AS (SELECT NULL::bigint AS id, NULL::text AS kind, NULL::jsonb AS payload,
                                     NULL::int AS attempts WHERE false),
                 next_job_notified AS (SELECT NULL::text AS kind WHERE false)`;
  const [row] = await db.$queryRaw<
    {
      finished: number;
      status: string | null;
      next_id: bigint | null;
      next_kind: string | null;
      next_payload: unknown;
      next_attempt: number | null;
    }[]
  >`
    WITH finished AS (${finishJobSql(job)}),
    recorded AS (
      INSERT INTO agent_run ${AGENT_RUN_COLUMNS}
      SELECT ${agentRunValues(at, commit.run)} FROM finished
      RETURNING id),
    updated AS (
      UPDATE moment SET ${commit.momentUpdate}, updated_at = now()
      WHERE id = ${at.momentId} AND status = ANY(${waiting}::text[]) AND EXISTS (SELECT 1 FROM recorded)
      RETURNING id, status),
    ${next},
    event_moment AS (
      SELECT updated.id FROM updated WHERE (SELECT count(*) FROM next_job_notified) >= 0),
    ${momentEventCtes("event_moment", commit.event)}
    SELECT (SELECT count(*) FROM finished)::int AS finished, (SELECT status FROM updated) AS status,
           (SELECT count(*) FROM event_notified)::int AS events,
           (SELECT id FROM next_job) AS next_id, (SELECT kind FROM next_job) AS next_kind,
           (SELECT payload FROM next_job) AS next_payload, (SELECT attempts FROM next_job) AS next_attempt`;
  if (!row || row.finished === 0) throw new LeaseLostError(job);
  const chained =
    commit.next?.slot && row.next_id !== null && row.next_kind !== null && row.next_attempt !== null
      ? { id: row.next_id, kind: row.next_kind, payload: row.next_payload, attempt: row.next_attempt }
      : null;
  return { status: row.status, chained };
}

/** Records a failed attempt's agent_run (a retried write of the same attempt is a no-op). */
async function recordFailedRun(db: Db | Tx, at: RunAt, run: AgentRunRow) {
  await db.$executeRaw`
    INSERT INTO agent_run ${AGENT_RUN_COLUMNS} VALUES (${agentRunValues(at, run)})
    ON CONFLICT (moment_id, stage, attempt) DO NOTHING`;
}

/**
 * Runs a stage's agent; when the run fails, keeps its trace and error as a failed agent_run for this
 * attempt (so the failure is visible beside the job's last_error), then rethrows for the queue to retry.
 */
export async function runRecorded<Output>(
  db: Db,
  at: RunAt,
  run: () => Promise<AgentRun<Output>>,
): Promise<AgentRun<Output>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AgentRunError) {
      await recordFailedRun(db, at, {
        ...traceColumns(error.trace),
        outcome: "failed",
        error: error.message,
      });
    }
    throw error;
  }
}

/**
 * Records an attempt whose worker died mid-stage as a failed agent_run ("attempt N lost its worker"), once
 * the queue has taken the job back: the dead worker could not say so itself. `moment` finds the moment the job
 * is about (by id, or by candidate for scoring); nothing is recorded when it has none yet.
 */
export async function recordLostRun(
  db: Db,
  stage: Stage,
  moment: { momentId: string } | { candidateId: string },
  attempt: number,
): Promise<void> {
  const target =
    "momentId" in moment
      ? Prisma.sql`SELECT id FROM moment WHERE id = ${BigInt(moment.momentId)}`
      : Prisma.sql`SELECT id FROM moment WHERE candidate_id = ${BigInt(moment.candidateId)}`;
  await db.$executeRaw`
    INSERT INTO agent_run (moment_id, stage, attempt, agent, outcome, error)
    SELECT target.id, ${stage}, ${attempt}::int, ${STAGE_AGENTS[stage]}, 'failed',
           ${`attempt ${attempt} lost its worker (lease expired mid-stage)`}
    FROM (${target}) AS target
    ON CONFLICT (moment_id, stage, attempt) DO NOTHING`;
}
