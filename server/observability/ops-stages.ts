// Per agent stage over a time window, from agent_run: runs, failures, latency percentiles, tokens, cost, the
// models that ran and who wrote the output. A run counts in the window it was recorded in (it is recorded
// when it ends). Percentiles are nearest-rank (percentile_disc): every figure is a latency a run really had.
import type { Db } from "../db/client";
import { AGENT_STAGES, type StageFigures } from "./ops-views";

interface StageRow {
  /** null on the row of every stage together. */
  stage: string | null;
  runs: number;
  failures: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  priced_runs: number;
  moments: number;
  priced_moments: number;
  model_ids: string[] | null;
  by_model: number;
  by_offline: number;
}

/**
 * The channel deciders record one agent_run per moment without a cost column; its editorial traces (one per
 * channel whose model ran) carry theirs. No editorial trace: no model call, so it cost nothing.
 */
const RUN_COST_SQL = `
  COALESCE(r.cost_usd, CASE WHEN jsonb_typeof(r.trace -> 'editorial') = 'array' THEN COALESCE(
    (SELECT sum((entry -> 'trace' ->> 'costUsd')::float8) FROM jsonb_array_elements(r.trace -> 'editorial') entry),
    CASE WHEN jsonb_array_length(r.trace -> 'editorial') = 0 THEN 0 END) END)`;

export interface StageTotals {
  runs: number;
  failures: number;
  costUsd: number | null;
  moments: number;
}

export async function readStageFigures(
  db: Db,
  fromMs: number,
  toMs: number,
): Promise<{ stages: StageFigures[]; totals: StageTotals }> {
  const rows = await db.$queryRawUnsafe<StageRow[]>(
    `WITH run AS (
       SELECT r.stage, r.moment_id, r.outcome, r.latency_ms, r.input_tokens, r.output_tokens, r.model_id,
              r.generated_by, ${RUN_COST_SQL} AS cost
       FROM agent_run r
       WHERE r.created_at >= to_timestamp($1::float8 / 1000) AND r.created_at < to_timestamp($2::float8 / 1000))
     SELECT stage,
            count(*)::int AS runs,
            count(*) FILTER (WHERE outcome <> 'ok')::int AS failures,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms)::int AS p50,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms)::int AS p95,
            max(latency_ms)::int AS max,
            COALESCE(sum(input_tokens), 0)::float8 AS input_tokens,
            COALESCE(sum(output_tokens), 0)::float8 AS output_tokens,
            sum(cost)::float8 AS cost_usd,
            count(cost)::int AS priced_runs,
            count(DISTINCT moment_id)::int AS moments,
            count(DISTINCT moment_id) FILTER (WHERE cost IS NOT NULL)::int AS priced_moments,
            array_agg(DISTINCT model_id ORDER BY model_id) FILTER (WHERE model_id IS NOT NULL) AS model_ids,
            count(*) FILTER (WHERE generated_by = 'model')::int AS by_model,
            count(*) FILTER (WHERE generated_by = 'offline')::int AS by_offline
     FROM run GROUP BY GROUPING SETS ((stage), ())`,
    fromMs,
    toMs,
  );
  const all = rows.find((row) => row.stage === null);
  const byStage = new Map(rows.flatMap((row) => (row.stage === null ? [] : [[row.stage, row] as const])));
  const known: { stage: string; label: string }[] = AGENT_STAGES.map(({ stage, label }) => ({
    stage,
    label,
  }));
  // A stage the catalog does not name yet still shows, after the known ones.
  const extra = [...byStage.keys()]
    .filter((stage) => !known.some((entry) => entry.stage === stage))
    .map((stage) => ({ stage, label: stage }));
  return {
    stages: [...known, ...extra].map(({ stage, label }) => figuresOf(stage, label, byStage.get(stage))),
    totals: {
      runs: all?.runs ?? 0,
      failures: all?.failures ?? 0,
      costUsd: all?.cost_usd ?? null,
      moments: all?.moments ?? 0,
    },
  };
}

function figuresOf(stage: string, label: string, row: StageRow | undefined): StageFigures {
  if (!row) {
    return {
      stage,
      label,
      runs: 0,
      failures: 0,
      errorRate: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
      latencyMaxMs: null,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      pricedRuns: 0,
      moments: 0,
      costPerMomentUsd: null,
      modelIds: [],
      generatedBy: { model: 0, offline: 0 },
    };
  }
  return {
    stage,
    label,
    runs: row.runs,
    failures: row.failures,
    errorRate: row.runs > 0 ? row.failures / row.runs : null,
    latencyP50Ms: row.p50,
    latencyP95Ms: row.p95,
    latencyMaxMs: row.max,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    pricedRuns: row.priced_runs,
    moments: row.moments,
    costPerMomentUsd:
      row.cost_usd !== null && row.priced_moments > 0 ? row.cost_usd / row.priced_moments : null,
    modelIds: row.model_ids ?? [],
    generatedBy: { model: row.by_model, offline: row.by_offline },
  };
}
