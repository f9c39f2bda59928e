// What every pipeline stage shares: its dependencies, the tools an agent run gets for a moment (the games'
// archive in Postgres, Postgres memory, the clock stopped at the peak), and the one read of its moment (raw
// SQL, one query, with its candidate and the earlier stages' outputs). What a stage writes: stage-results.ts.
import type { Logger } from "pino";
import { Prisma } from "../db/generated/client";
import type { Db } from "../db/client";
import type { Channel } from "../agents/channels/channel-config";
import type { LlmProvider } from "../agents/llm/types";
import type { MomentSubject } from "../agents/moment-evidence";
import { peakEndOf } from "../agents/moment-evidence";
import type { runtimeFor } from "../agents/providers";
import type { ToolContext } from "../agents/tools/catalog";
import { createPostgresEvidence } from "../agents/tools/postgres-evidence";
import type { StoredCandidate } from "./candidate-subject";
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

/** A moment as a stage reads it: the columns the stages use, its candidate, earlier stages' outputs. */
export interface StageMoment {
  id: bigint;
  key: string;
  gamesId: string | null;
  sport: string;
  peakAt: Date;
  status: string;
  causeEventId: string | null;
  generatedBy: string | null;
  candidate: StoredCandidate;
  /** The latest successful run's output of the score and describe stages (null until there is one). */
  scoreOutput: unknown;
  describeOutput: unknown;
}

interface StageMomentRow {
  id: bigint;
  key: string;
  games_id: string | null;
  sport: string;
  peak_at: Date;
  status: string;
  cause_event_id: string | null;
  generated_by: string | null;
  candidate_id: bigint;
  candidate_key: string;
  candidate_sport: string;
  started_at: Date;
  last_peak_at: Date | null;
  markets: unknown;
  score: number;
  extra_viewers: number;
  score_output: unknown;
  describe_output: unknown;
}

/** The latest successful output of a stage on moment `m`, as a scalar subquery. */
const latestOutput = (stage: Stage, wanted: boolean) =>
  wanted
    ? Prisma.sql`(SELECT r.output FROM agent_run r
                  WHERE r.moment_id = m.id AND r.stage = ${stage} AND r.outcome = 'ok'
                  ORDER BY r.attempt DESC LIMIT 1)`
    : Prisma.sql`NULL::jsonb`;

/**
 * The moment a stage job is about, with its candidate and the earlier stages' outputs it asks for, in one
 * query, if it still waits for that stage (is in one of `statuses`); otherwise why the job has nothing to do.
 */
export async function momentAwaiting(
  db: Db,
  momentId: string,
  statuses: MomentStatus | readonly MomentStatus[],
  waitingFor: string,
  outputs: readonly Exclude<Stage, "decide">[] = [],
): Promise<{ skip: string } | { moment: StageMoment }> {
  const [row] = await db.$queryRaw<StageMomentRow[]>`
    SELECT m.id, m.key, m.games_id, m.sport, m.peak_at, m.status, m.cause_event_id, m.generated_by,
           c.id AS candidate_id, c.key AS candidate_key, c.sport AS candidate_sport, c.started_at,
           c.last_peak_at, c.score, c.extra_viewers,
           -- Detection may empty a candidate later (its peaks re-read as a country-wide surge): the later stages
           -- then describe and route the markets the moment was scored on.
           COALESCE(NULLIF(c.markets, '[]'::jsonb), m.markets) AS markets,
           ${latestOutput("score", outputs.includes("score"))} AS score_output,
           ${latestOutput("describe", outputs.includes("describe"))} AS describe_output
    FROM moment m JOIN candidate_moment c ON c.id = m.candidate_id
    WHERE m.id = ${BigInt(momentId)}`;
  if (!row) return { skip: `moment ${momentId} no longer exists` };
  if (!([] as readonly string[]).concat(statuses).includes(row.status)) {
    return { skip: `moment ${row.id} is ${row.status}, not waiting for ${waitingFor}` };
  }
  return {
    moment: {
      id: row.id,
      key: row.key,
      gamesId: row.games_id,
      sport: row.sport,
      peakAt: row.peak_at,
      status: row.status,
      causeEventId: row.cause_event_id,
      generatedBy: row.generated_by,
      candidate: {
        id: row.candidate_id,
        key: row.candidate_key,
        sport: row.candidate_sport,
        startedAt: row.started_at,
        lastPeakAt: row.last_peak_at,
        markets: row.markets,
        score: row.score,
        extraViewers: row.extra_viewers,
      },
      scoreOutput: row.score_output,
      describeOutput: row.describe_output,
    },
  };
}
