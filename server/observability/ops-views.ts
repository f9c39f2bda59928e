// What the operators' view reads and sends: the query schemas its routes validate with, and the shapes of
// its answers (stage figures, queue depths, jobs, deliveries, a moment's trace waterfall). Shared by the
// routes, the page and the SQL that fills them, so each shape is defined once.
import { z } from "zod";

/** The time windows the stage figures cover. */
export const OPS_WINDOWS = { "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000 } as const;
export type OpsWindow = keyof typeof OPS_WINDOWS;

export const summaryQuerySchema = z.object({
  window: z.enum(["15m", "1h", "24h"], { error: "expected 15m, 1h or 24h" }).default("1h"),
});

export const JOB_STATUSES = ["queued", "running", "failed", "done"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobsQuerySchema = z.object({
  status: z.enum(JOB_STATUSES, { error: "expected queued, running, failed or done" }).optional(),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,59}$/, "expected a job kind such as score-moment")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JobsQuery = z.infer<typeof jobsQuerySchema>;

/** An id in a path (job or moment): a positive bigint. */
export const pathIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, "expected a positive whole number such as 42")
  .transform((id) => BigInt(id));

/** The agent stages in pipeline order, with the names operators know them by. */
export const AGENT_STAGES = [
  { stage: "score", label: "Interest scorer" },
  { stage: "describe", label: "Enrichment & summary" },
  { stage: "decide", label: "Channel deciders" },
] as const;

export interface StageFigures {
  stage: string;
  label: string;
  runs: number;
  failures: number;
  /** failures / runs; null without runs. */
  errorRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyMaxMs: number | null;
  inputTokens: number;
  outputTokens: number;
  /** USD over the runs with a known price; null when none had one (self-hosted models). */
  costUsd: number | null;
  /** Runs whose cost is known (offline runs cost 0). */
  pricedRuns: number;
  moments: number;
  /** costUsd / moments with a priced run. */
  costPerMomentUsd: number | null;
  modelIds: string[];
  /** Runs by who wrote the output: a model, or the offline provider. */
  generatedBy: { model: number; offline: number };
}

export interface QueueDepth {
  kind: string;
  queued: number;
  /** Queued and due now (the rest wait for their back-off or settle delay). */
  due: number;
  running: number;
  /** Running past its lease: the worker died or hangs; it is reclaimed shortly. */
  leaseExpired: number;
  failed: number;
  done: number;
  /** Age of the oldest queued job (since it was created), ms; null when none is queued. */
  oldestQueuedAgeMs: number | null;
}

export interface DeliveryCount {
  channelId: string;
  queued: number;
  sent: number;
  failed: number;
  /** Time of the latest delivery change, epoch ms. */
  lastAt: number | null;
}

export interface OpsSummary {
  window: OpsWindow;
  /** Epoch ms the figures were read at (the database's clock). */
  at: number;
  from: number;
  stages: StageFigures[];
  totals: { runs: number; failures: number; costUsd: number | null; moments: number };
  queue: QueueDepth[];
  /** Failed (dead) jobs of every kind; the page re-reads its list when this changes. */
  failedJobs: number;
  /** Latest change to a failed job, epoch ms. */
  lastFailureAt: number | null;
  deliveries: DeliveryCount[];
}

export interface OpsJob {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  payload: unknown;
  /** The moment the job is about, when it names one that exists. */
  momentId: string | null;
  runAfter: number;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface OpsJobList {
  jobs: OpsJob[];
}

export interface TraceToolCall {
  name: string;
  ok: boolean;
  allowed: boolean;
  latencyMs: number;
  error: string | null;
  resultItems: number | null;
}

export interface TraceTurn {
  index: number;
  /** The channel whose editorial model ran this turn (channel deciders), else null. */
  channelId: string | null;
  latencyMs: number;
  attempts: number;
  stopReason: string | null;
  inputTokens: number;
  outputTokens: number;
  toolCalls: TraceToolCall[];
  validationError: string | null;
}

export interface TraceRun {
  id: string;
  stage: string;
  attempt: number;
  agent: string;
  outcome: string;
  /** When the run started (recorded time − latency) and ended, epoch ms. */
  startMs: number;
  endMs: number;
  durationMs: number;
  modelId: string | null;
  generatedBy: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  error: string | null;
  /** How the agent's run ended by its own trace (ok, invalid_output, turn_limit, …), when recorded. */
  traceOutcome: string | null;
  turns: TraceTurn[];
}

export interface MomentTrace {
  momentId: string;
  key: string;
  sport: string;
  country: string;
  status: string;
  headline: string | null;
  runs: TraceRun[];
  jobs: OpsJob[];
  deliveries: {
    channelId: string;
    status: string;
    attempts: number;
    error: string | null;
    createdAt: number;
    sentAt: number | null;
  }[];
}
