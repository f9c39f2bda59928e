// The `score-moment` job: a candidate moment has traffic evidence and waits for the interest scorer. Enqueued
// only through `enqueueScoreMoment`, inside the transaction that writes the anomaly (outbox), so the agent
// pipeline sees each candidate exactly once; the dedupe key makes a retried transaction a no-op.
//
// The `job` table is deliberately minimal (kind, dedupe_key, payload, status queued|running|done|failed,
// run_after, attempts, last_error): a runner claims rows with FOR UPDATE SKIP LOCKED where status = queued
// and run_after <= now(). It can be replaced by pg-boss later by moving these rows into its tables.
import { z } from "zod";
import type { Tx } from "../db/client";

export const SCORE_MOMENT_JOB = "score-moment";

export const scoreMomentPayloadSchema = z.object({
  /** The anomaly that gave the candidate its first traffic evidence. */
  anomalyId: z.string().regex(/^\d+$/),
  candidateId: z.string().regex(/^\d+$/),
});
export type ScoreMomentPayload = z.infer<typeof scoreMomentPayloadSchema>;

export function scoreMomentDedupeKey(candidateId: bigint | string): string {
  return `${SCORE_MOMENT_JOB}:candidate:${candidateId}`;
}

/**
 * Queues scoring of a candidate once (a second call for the same candidate does nothing). `settleMs` lets
 * simultaneous markets of other partitions join the candidate before the scorer reads it. Returns whether a
 * job was created.
 */
export async function enqueueScoreMoment(
  tx: Tx,
  payload: ScoreMomentPayload,
  settleMs: number,
): Promise<boolean> {
  const parsed = scoreMomentPayloadSchema.parse(payload);
  const inserted = await tx.$executeRaw`
    INSERT INTO job (kind, dedupe_key, payload, status, run_after)
    VALUES (${SCORE_MOMENT_JOB}, ${scoreMomentDedupeKey(parsed.candidateId)}, ${JSON.stringify(parsed)}::jsonb,
            'queued', now() + make_interval(secs => ${settleMs / 1000}))
    ON CONFLICT (dedupe_key) DO NOTHING`;
  return inserted > 0;
}
