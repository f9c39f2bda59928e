// The `score-moment` job: a candidate moment has traffic evidence and waits for the interest scorer. Enqueued
// only through `enqueueScoreMoment`, inside the transaction that writes the anomaly (outbox), so the agent
// pipeline sees each candidate exactly once; the dedupe key makes a retried transaction a no-op. Its handler
// is server/moments/score-stage.ts (bound in server/moments/pipeline-jobs.ts, so detection, which enqueues
// it, never imports the agents).
import { z } from "zod";
import type { Tx } from "../db/client";
import { enqueueJob, type JobSpec } from "./job-spec";

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

export const scoreMomentJob: JobSpec<ScoreMomentPayload> = {
  kind: SCORE_MOMENT_JOB,
  payload: scoreMomentPayloadSchema,
  dedupeKey: (payload) => scoreMomentDedupeKey(payload.candidateId),
  retry: { maxAttempts: 4, baseDelayMs: 5_000, maxDelayMs: 120_000 },
  concurrency: 8,
  // A scorer run is a few model calls of LLM_TIMEOUT_MS at most; the lease is renewed while it runs.
  leaseMs: 60_000,
};

/**
 * Queues scoring of a candidate once (a second call for the same candidate does nothing). `settleMs` lets
 * simultaneous markets of other partitions join the candidate before the scorer reads it. Returns whether a
 * job was created.
 */
export function enqueueScoreMoment(tx: Tx, payload: ScoreMomentPayload, settleMs: number): Promise<boolean> {
  return enqueueJob(tx, scoreMomentJob, payload, { delayMs: settleMs });
}
