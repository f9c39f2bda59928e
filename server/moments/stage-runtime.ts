// What every pipeline stage shares: its dependencies, the tools an agent run gets for a moment (the games'
// archive in Postgres, Postgres memory, the clock stopped at the peak), and the agent_run rows it writes.
import type { Logger } from "pino";
import type { Prisma } from "../db/generated/client";
import type { Db, Tx } from "../db/client";
import type { Channel } from "../agents/channels/channel-config";
import { AgentRunError } from "../agents/errors";
import type { LlmProvider } from "../agents/llm/types";
import type { MomentSubject } from "../agents/moment-evidence";
import { peakEndOf } from "../agents/moment-evidence";
import type { runtimeFor } from "../agents/providers";
import type { AgentRun } from "../agents/runner";
import type { ToolContext } from "../agents/tools/catalog";
import { createPostgresEvidence } from "../agents/tools/postgres-evidence";
import type { AgentTrace } from "../agents/trace";
import type { MomentStatus } from "./moment-status";
import { createPostgresMemory } from "./postgres-memory";

export type LlmSettings = Parameters<typeof runtimeFor>[0];

export interface PipelineDeps {
  db: Db;
  provider: LlmProvider;
  llm: LlmSettings;
  /** Window size of the traffic buckets (BUCKET_SECONDS). */
  bucketSeconds: number;
  channels: readonly Channel[];
  log: Logger;
  webhookSecret?: string;
  /** The wall clock the channel rules see (active hours, hourly cap); tests pin it. */
  now?: () => number;
}

export type Stage = "score" | "describe" | "decide";

/** A games id that matches nothing: a moment outside every loaded games gets an empty archive. */
const NO_GAMES = "";

/** The games whose archive explains a candidate: the one its cause event is in, else the latest covering it. */
export async function gamesIdFor(
  db: Db,
  candidate: { causeGamesId: string | null; startedAt: Date },
): Promise<string | null> {
  if (candidate.causeGamesId) return candidate.causeGamesId;
  const games = await db.games.findFirst({
    where: { startsAt: { lte: candidate.startedAt }, endsAt: { gte: candidate.startedAt } },
    orderBy: { loadedAt: "desc" },
    select: { id: true },
  });
  return games?.id ?? null;
}

export function toolsFor(
  db: Db,
  moment: { gamesId: string | null; key: string },
  subject: MomentSubject,
): ToolContext {
  return {
    evidence: createPostgresEvidence(db, moment.gamesId ?? NO_GAMES),
    memory: createPostgresMemory(db, moment.gamesId),
    asOf: peakEndOf(subject),
    momentKey: moment.key,
  };
}

function traceColumns(trace: AgentTrace) {
  return {
    agent: trace.agent,
    trace: trace as unknown as Prisma.InputJsonValue,
    generatedBy: trace.generatedBy,
    modelId: trace.modelId,
    inputTokens: trace.usage.inputTokens,
    outputTokens: trace.usage.outputTokens,
    costUsd: trace.costUsd,
    latencyMs: trace.latencyMs,
  };
}

/** Writes a successful run's trace and output (inside the stage's transaction). */
export async function recordAgentRun<Output>(
  tx: Tx,
  at: { momentId: bigint; stage: Stage; attempt: number },
  run: AgentRun<Output>,
): Promise<void> {
  await tx.agentRun.create({
    data: {
      ...at,
      ...traceColumns(run.trace),
      outcome: "ok",
      output: run.output as Prisma.InputJsonValue,
    },
  });
}

/**
 * Runs a stage's agent; when the run fails, keeps its trace and error as a failed agent_run for this
 * attempt (so the failure is visible beside the job's last_error), then rethrows for the queue to retry.
 */
export async function runRecorded<Output>(
  db: Db,
  at: { momentId: bigint; stage: Stage; attempt: number },
  run: () => Promise<AgentRun<Output>>,
): Promise<AgentRun<Output>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AgentRunError) {
      await db.agentRun.createMany({
        data: [{ ...at, ...traceColumns(error.trace), outcome: "failed", error: error.message }],
        skipDuplicates: true,
      });
    }
    throw error;
  }
}

/** The validated output of a stage's successful run on a moment (the latest, if several). */
export async function stageOutput(db: Db, momentId: bigint, stage: Stage): Promise<unknown> {
  const run = await db.agentRun.findFirst({
    where: { momentId, stage, outcome: "ok" },
    orderBy: { attempt: "desc" },
    select: { output: true },
  });
  return run?.output ?? null;
}

/**
 * The moment a stage job is about, with its candidate, if it still waits for that stage (is in one of
 * `statuses`); otherwise why the job has nothing to do.
 */
export async function momentAwaiting(
  db: Db,
  momentId: string,
  statuses: MomentStatus | readonly MomentStatus[],
  waitingFor: string,
): Promise<{ skip: string } | { moment: Prisma.MomentGetPayload<{ include: { candidate: true } }> }> {
  const moment = await db.moment.findUnique({
    where: { id: BigInt(momentId) },
    include: { candidate: true },
  });
  if (!moment) return { skip: `moment ${momentId} no longer exists` };
  if (!([] as readonly string[]).concat(statuses).includes(moment.status)) {
    return { skip: `moment ${moment.id} is ${moment.status}, not waiting for ${waitingFor}` };
  }
  return { moment };
}
